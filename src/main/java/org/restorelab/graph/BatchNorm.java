package org.restorelab.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.math.Mean;
import org.tensorflow.types.family.TFloating;

/**
 * 2-D batch normalization (Ioffe and Szegedy 2015) over NHWC, with PyTorch's conventions:
 * <pre>
 *   training:  y = gamma (x - mu_B) / sqrt(var_B + eps) + beta      (biased batch variance)
 *              m <- (1 - momentum) m + momentum mu_B,  v <- (1 - momentum) v + momentum var_B n/(n-1)
 *   inference: y = gamma (x - m) / sqrt(v + eps) + beta
 * </pre>
 * Written with mean and rsqrt rather than FusedBatchNormV3, so it has gradients of every order
 * and runs in float64 for gradient checks. The moving averages live in a separate
 * {@link Parameters} group: saved in checkpoints and exports, never differentiated.
 */
public final class BatchNorm<T extends TFloating> {
  /** The two ways of running the layer. */
  public enum Mode {
    TRAINING,
    INFERENCE
  }

  /** The normalized output and, in training mode, the ops that update the moving averages. */
  public record Applied<T extends TFloating>(Operand<T> output, List<Op> updates) {}

  private final Parameters.Parameter<T> gamma;
  private final Parameters.Parameter<T> beta;
  private final Parameters.Parameter<T> movingMean;
  private final Parameters.Parameter<T> movingVariance;
  private final int channels;
  private final double momentum;
  private final double epsilon;

  public BatchNorm(Parameters<T> params, Parameters<T> statistics, String name, int channels, double momentum,
      double epsilon) {
    gamma = params.create(name + "_gamma", Shape.of(channels), Initializer.ones());
    beta = params.create(name + "_beta", Shape.of(channels), Initializer.zeros());
    movingMean = statistics.create(name + "_moving_mean", Shape.of(channels), Initializer.zeros());
    movingVariance = statistics.create(name + "_moving_variance", Shape.of(channels), Initializer.ones());
    this.channels = channels;
    this.momentum = momentum;
    this.epsilon = epsilon;
  }

  public Applied<T> apply(Ops tf, Operand<T> x, Mode mode) {
    Class<T> type = x.type();
    Operand<T> mean;
    Operand<T> variance;
    List<Op> updates = List.of();
    if (mode == Mode.TRAINING) {
      Operand<org.tensorflow.types.TInt32> axes = tf.constant(new int[] {0, 1, 2});
      mean = tf.math.mean(x, axes, Mean.keepDims(true));
      variance = tf.math.mean(tf.math.square(tf.math.sub(x, mean)), axes, Mean.keepDims(true));
      Operand<T> flatMean = tf.reshape(mean, tf.constant(new long[] {channels}));
      Operand<T> flatVariance = tf.reshape(variance, tf.constant(new long[] {channels}));
      // n / (n - 1): PyTorch keeps the unbiased variance in its running estimate
      Operand<T> count = tf.dtypes.cast(tf.math.div(tf.size(x, org.tensorflow.types.TInt64.class),
          tf.constant((long) channels)), type);
      Operand<T> unbiased = tf.math.mul(flatVariance,
          tf.math.div(count, tf.math.maximum(tf.math.sub(count, Graphs.constant(tf, 1, type)), Graphs.constant(tf, 1, type))));
      updates = List.of(
          tf.assign(movingMean.variable(), blend(tf, movingMean.read(), tf.stopGradient(flatMean))),
          tf.assign(movingVariance.variable(), blend(tf, movingVariance.read(), tf.stopGradient(unbiased))));
    } else {
      mean = movingMean.read();
      variance = movingVariance.read();
    }
    Operand<T> scale = tf.math.mul(gamma.read(), tf.math.rsqrt(tf.math.add(variance, Graphs.constant(tf, epsilon, type))));
    Operand<T> y = tf.math.add(tf.math.mul(tf.math.sub(x, mean), scale), beta.read());
    return new Applied<>(y, updates);
  }

  private Operand<T> blend(Ops tf, Operand<T> old, Operand<T> batch) {
    Class<T> type = old.type();
    return tf.math.add(tf.math.mul(old, Graphs.constant(tf, 1 - momentum, type)),
        tf.math.mul(batch, Graphs.constant(tf, momentum, type)));
  }

  /** Trainable scalars (gamma and beta). */
  public long parameterCount() {
    return 2L * channels;
  }
}
