package org.restorelab.estimator.flow;

import org.restorelab.graph.Graphs;
import org.restorelab.graph.Initializer;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Glow's activation normalization: a per-channel affine map y = (x + b) exp(s) (Kingma and
 * Dhariwal 2018, Table 1), log-determinant h w sum(s). Initialized from data: on the first
 * batch b = -mean and s = -log std per channel, so that batch leaves the layer with zero mean and
 * unit variance.
 */
public final class ActNorm<T extends TFloating> implements FlowLayer<T> {
  /** Added to the batch standard deviation at initialization (a constant channel stays finite). */
  static final double EPSILON = 1e-6;

  private final Parameters.Parameter<T> bias;
  private final Parameters.Parameter<T> logScale;
  private final int height;
  private final int width;

  public ActNorm(Parameters<T> params, String name, int height, int width, int channels) {
    this.bias = params.create(name + "_bias", Shape.of(channels), Initializer.zeros());
    this.logScale = params.create(name + "_logs", Shape.of(channels), Initializer.zeros());
    this.height = height;
    this.width = width;
  }

  @Override
  public Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init) {
    Operand<T> b = bias.read();
    Operand<T> s = logScale.read();
    if (init != null) {
      Operand<T> mean = tf.math.mean(x, tf.constant(new int[] {0, 1, 2}));
      Operand<T> centred = tf.math.sub(x, mean);
      Operand<T> std = tf.math.sqrt(tf.math.mean(tf.math.square(centred), tf.constant(new int[] {0, 1, 2})));
      b = tf.math.neg(mean);
      s = tf.math.neg(tf.math.log(tf.math.add(std, Graphs.constant(tf, EPSILON, x.type()))));
      init.add(tf.assign(bias.variable(), b));
      init.add(tf.assign(logScale.variable(), s));
    }
    Operand<T> y = tf.math.mul(tf.math.add(x, b), tf.math.exp(s));
    return new Transformed<>(y, tf.math.mul(Graphs.sumAll(tf, s), Graphs.constant(tf, (double) height * width, x.type())));
  }

  @Override
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u) {
    return tf.math.sub(tf.math.mul(y, tf.math.exp(tf.math.neg(logScale.read()))), bias.read());
  }

}
