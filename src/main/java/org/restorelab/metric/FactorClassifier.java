package org.restorelab.metric;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.graph.Conv2d;
import org.restorelab.graph.Dense;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Initializer;
import org.restorelab.graph.Parameters;
import org.restorelab.graph.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * The project's own image feature extractor (issue 5, item 1): a small CNN classifier of the
 * procedural data's known factors, whose penultimate layer gives the features for FID and
 * precision/recall (the role Inception's pool3 plays for natural images). For x [n, S, S, 3] in
 * [0, 1], S divisible by 8, width c:
 * <pre>
 *   h_0 = 2 x - 1
 *   h_k = AvgPool_2(relu(conv_k2(relu(conv_k1(h_{k-1})))))     k = 1, 2, 3; channels c, 2c, 4c
 *   f   = relu(W_f vec(h_3) + b_f)                             the features [n, feature_dim], >= 0
 *   l_j = W_j f + b_j                                          logits of factor j [n, K_j]
 *   L   = sum_j (1/n) sum_i -log softmax(l_j(x_i))[y_ij]       summed per-factor cross-entropy
 * </pre>
 * 3x3 "same" convolutions with biases, average pooling as reshape + mean. The last map
 * [S/8, S/8, 4c] is flattened rather than averaged: the faces' factors are tied to places (hair
 * on top, shirt at the bottom, background around), and a global average pool that mixes them
 * left every colour factor near chance after 150 steps here. Weights are He-uniform,
 * U(+-sqrt(6 / fan_in)) (He et al. 2015), biases zero: PyTorch's default init (variance
 * 1 / (3 fan_in)) shrinks the signal about 2.5x per ReLU layer in this net without batch norm.
 * No batch norm: a row's features depend on that row alone, the same in training and export.
 *
 * @param <T> float32 for training and export, float64 for gradient checks
 */
public final class FactorClassifier<T extends TFloating> {
  /** The variables' network name: variables are {@code classifier_<layer>_<w|b>}. */
  public static final String NETWORK = "classifier";
  /** Poolings by 2: the input side must be divisible by 2^STAGES. */
  public static final int STAGES = 3;

  private record Stage<T extends TFloating>(Conv2d<T> first, Conv2d<T> second) {}

  private final int side;
  private final List<Stage<T>> stages = new ArrayList<>();
  private final Dense<T> features;
  private final List<Dense<T>> heads = new ArrayList<>();
  private final int[] cardinalities;
  private final long parameterCount;

  /**
   * @param side input side S (divisible by 8)
   * @param width channels of the first stage
   * @param featureDim dimension of the features
   * @param cardinalities K_j, the number of values of each factor (one head per factor)
   */
  public FactorClassifier(Parameters<T> params, int side, int width, int featureDim, int[] cardinalities) {
    if (side % (1 << STAGES) != 0 || width < 1 || featureDim < 1 || cardinalities.length == 0) {
      throw new IllegalArgumentException("factor classifier: side " + side + " (divisible by " + (1 << STAGES)
          + "), width " + width + ", feature_dim " + featureDim + ", " + cardinalities.length + " factors");
    }
    this.side = side;
    this.cardinalities = cardinalities.clone();
    int lastSide = side >> STAGES;
    int in = 3;
    for (int k = 1; k <= STAGES; k++) {
      int out = width << (k - 1);
      stages.add(new Stage<>(conv(params, "stage" + k + "_conv1", in, out), conv(params, "stage" + k + "_conv2", out, out)));
      in = out;
    }
    features = dense(params, "features", lastSide * lastSide * in, featureDim);
    for (int j = 0; j < cardinalities.length; j++) {
      heads.add(dense(params, "head" + j, featureDim, cardinalities[j]));
    }
    parameterCount = params.count();
  }

  /** f(x): images [n, S, S, 3] in [0, 1] -> features [n, feature_dim], non-negative. */
  public Operand<T> features(Ops tf, Operand<T> x) {
    Class<T> type = x.type();
    Operand<T> h = tf.math.sub(tf.math.mul(x, Graphs.constant(tf, 2, type)), Graphs.constant(tf, 1, type));
    int size = side;
    for (Stage<T> s : stages) {
      h = tf.nn.relu(s.second().apply(tf, tf.nn.relu(s.first().apply(tf, h))));
      h = Pooling.average(tf, h, 2, size, size, s.second().out());
      size /= 2;
    }
    Operand<T> flat = tf.reshape(h, tf.constant(new long[] {-1, features.in()}));
    return tf.nn.relu(features.apply(tf, flat));
  }

  /** A 3x3 convolution with He-uniform weights and zero biases. */
  private static <T extends TFloating> Conv2d<T> conv(Parameters<T> params, String name, int in, int out) {
    return new Conv2d<>(params.create(name + "_w", Shape.of(3, 3, in, out), heUniform(9L * in)),
        params.create(name + "_b", Shape.of(out), Initializer.zeros()), 3, in, out, false);
  }

  /** A dense layer with He-uniform weights and zero biases. */
  private static <T extends TFloating> Dense<T> dense(Parameters<T> params, String name, int in, int out) {
    return new Dense<>(params.create(name + "_w", Shape.of(in, out), heUniform(in)),
        params.create(name + "_b", Shape.of(out), Initializer.zeros()), in, out);
  }

  /** U(-sqrt(6 / fan_in), sqrt(6 / fan_in)): variance 2 / fan_in, which keeps ReLU activations' scale. */
  private static Initializer heUniform(long fanIn) {
    return Initializer.uniform(Math.sqrt(6.0 / fanIn));
  }

  /** l_j(f): the logits of every factor, [n, K_j] each. */
  public List<Operand<T>> logits(Ops tf, Operand<T> features) {
    return heads.stream().map(head -> head.apply(tf, features)).toList();
  }

  /** The logits of all factors side by side, [n, sum_j K_j], factor j at columns offset_j .. offset_j + K_j. */
  public Operand<T> concatenated(Ops tf, List<Operand<T>> logits) {
    return tf.concat(logits, tf.constant(1));
  }

  /**
   * L = sum_j mean_i CE(l_j(x_i), y_ij), where CE(l, y) = -log softmax(l)[y] = logsumexp(l) - l_y
   * (LogSoftmax subtracts the row maximum, so large logits do not overflow).
   *
   * @param codes the factor codes y [n, factors], int32, y_ij in [0, K_j)
   */
  public Operand<T> loss(Ops tf, List<Operand<T>> logits, Operand<TInt32> codes) {
    Operand<T> total = null;
    for (int j = 0; j < logits.size(); j++) {
      Operand<T> ce = Graphs.meanAll(tf, crossEntropy(tf, logits.get(j), factor(tf, codes, j), cardinalities[j]));
      total = total == null ? ce : tf.math.add(total, ce);
    }
    return total;
  }

  /** CE per row: -sum_k onehot(y)_k log softmax(l)_k, logits [n, K], labels [n] -> [n]. */
  public static <T extends TFloating> Operand<T> crossEntropy(Ops tf, Operand<T> logits, Operand<TInt32> labels,
      int classes) {
    Class<T> type = logits.type();
    Operand<T> onehot = tf.oneHot(labels, tf.constant(classes), Graphs.constant(tf, 1, type),
        Graphs.constant(tf, 0, type));
    return tf.math.neg(tf.reduceSum(tf.math.mul(onehot, tf.nn.logSoftmax(logits)), tf.constant(1)));
  }

  /**
   * The fraction of rows whose most likely value is the true one, per factor: [factors], each in
   * [0, 1] (ties go to the lowest code, as argmax does).
   */
  public Operand<T> accuracy(Ops tf, List<Operand<T>> logits, Operand<TInt32> codes) {
    List<Operand<T>> perFactor = new ArrayList<>();
    for (int j = 0; j < logits.size(); j++) {
      Operand<TInt32> predicted = tf.math.argMax(logits.get(j), tf.constant(1), TInt32.class);
      Operand<T> correct = tf.dtypes.cast(tf.math.equal(predicted, factor(tf, codes, j)), logits.get(j).type());
      perFactor.add(tf.reshape(Graphs.meanAll(tf, correct), tf.constant(new long[] {1})));
    }
    return tf.concat(perFactor, tf.constant(0));
  }

  /** Column j of the codes: [n, factors] -> [n]. */
  private static Operand<TInt32> factor(Ops tf, Operand<TInt32> codes, int j) {
    return tf.gather(codes, tf.constant(j), tf.constant(1));
  }

  public int[] cardinalities() {
    return cardinalities.clone();
  }

  /** sum_j K_j, the width of {@link #concatenated}. */
  public int logitCount() {
    int n = 0;
    for (int k : cardinalities) {
      n += k;
    }
    return n;
  }

  public int featureDim() {
    return features.out();
  }

  /** Trainable scalars. */
  public long parameterCount() {
    return parameterCount;
  }
}
