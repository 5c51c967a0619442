package org.restorelab.estimator.flow;

import org.restorelab.graph.Graphs;
import org.restorelab.graph.Initializer;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Glow's invertible 1 x 1 convolution, LU-parametrized: y = W x at every pixel with
 * W = P L (U + diag(sign exp(s))), P a fixed permutation, L unit lower triangular, U strictly
 * upper triangular, sign fixed; log |det W| = sum(s), so the layer's log-determinant is
 * h w sum(s) (Kingma and Dhariwal 2018, Eq. 10). P and sign are not trained: they live in the
 * {@code fixed} parameter group (saved with the weights, never given to the optimizer).
 */
public final class InvertibleConv1x1<T extends TFloating> implements FlowLayer<T> {
  private final Parameters.Parameter<T> permutation;
  private final Parameters.Parameter<T> sign;
  private final Parameters.Parameter<T> lower;
  private final Parameters.Parameter<T> upper;
  private final Parameters.Parameter<T> logScale;
  private final int height;
  private final int width;
  private final int channels;

  public InvertibleConv1x1(Parameters<T> params, Parameters<T> fixed, String name, int height, int width, int channels) {
    LuInitialization lu = LuInitialization.random(channels, params.seedOf(name + "_rotation"));
    Shape square = Shape.of(channels, channels);
    this.permutation = fixed.create(name + "_p", square, Initializer.values(lu.permutation()));
    this.sign = fixed.create(name + "_sign", Shape.of(channels), Initializer.values(lu.sign()));
    this.lower = params.create(name + "_l", square, Initializer.values(lu.lower()));
    this.upper = params.create(name + "_u", square, Initializer.values(lu.upper()));
    this.logScale = params.create(name + "_s", Shape.of(channels), Initializer.values(lu.logAbsDiagonal()));
    this.height = height;
    this.width = width;
    this.channels = channels;
  }

  /** W = P L (U + diag(sign exp(s))), with L and U masked to their triangles. */
  Operand<T> weight(Ops tf) {
    Class<T> type = logScale.read().type();
    double[] strictlyLower = new double[channels * channels];
    double[] strictlyUpper = new double[channels * channels];
    double[] identity = new double[channels * channels];
    for (int i = 0; i < channels; i++) {
      identity[i * channels + i] = 1;
      for (int j = 0; j < channels; j++) {
        if (j < i) {
          strictlyLower[i * channels + j] = 1;
        } else if (j > i) {
          strictlyUpper[i * channels + j] = 1;
        }
      }
    }
    Operand<T> l = tf.math.add(tf.math.mul(lower.read(), matrix(tf, strictlyLower, type)), matrix(tf, identity, type));
    // diag(v) as I * v (broadcast over columns): MatrixDiag has no registered gradient here
    Operand<T> diagonal = tf.math.mul(matrix(tf, identity, type), tf.math.mul(sign.read(), tf.math.exp(logScale.read())));
    Operand<T> u = tf.math.add(tf.math.mul(upper.read(), matrix(tf, strictlyUpper, type)), diagonal);
    return tf.linalg.matMul(permutation.read(), tf.linalg.matMul(l, u));
  }

  private Operand<T> matrix(Ops tf, double[] values, Class<T> type) {
    return tf.dtypes.cast(tf.reshape(tf.constant(values), tf.constant(new long[] {channels, channels})), type);
  }

  @Override
  public Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init) {
    Operand<T> y = perPixel(tf, x, weight(tf));
    Operand<T> logDet = tf.math.mul(Graphs.sumAll(tf, logScale.read()),
        Graphs.constant(tf, (double) height * width, x.type()));
    return new Transformed<>(y, logDet);
  }

  @Override
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u) {
    return perPixel(tf, y, tf.linalg.inv(weight(tf)));
  }

  /** m x at every pixel: [n, h, w, c] rows times m^T. */
  private Operand<T> perPixel(Ops tf, Operand<T> x, Operand<T> m) {
    Operand<T> rows = tf.reshape(x, tf.constant(new long[] {-1, channels}));
    Operand<T> out = tf.linalg.matMul(rows, m, org.tensorflow.op.linalg.MatMul.transposeB(true));
    return tf.reshape(out, tf.shape(x)); // x's own shape: any h, w
  }
}
