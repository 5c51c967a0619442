package org.restorelab.task;

import org.restorelab.graph.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The CEM consistency projection (Bahat and Michaeli 2020) for super-resolution by a
 * non-overlapping s x s box average: x_hat = x + NN_up_s(y - AvgPool_s(x)). Each block of x is
 * shifted by its residual, so AvgPool_s(x_hat) = y (exactly in exact arithmetic, and wherever
 * the block sums are exact in the float type). x is [n, h, w, c], y is [n, h/s, w/s, c].
 *
 * @see "SPEC section 4; Bahat and Michaeli, Explorable Super Resolution, CVPR 2020"
 */
public final class CemProjection {
  private CemProjection() {}

  /** x_hat = x + NN_up_s(y - AvgPool_s(x)), [n, h, w, c]. */
  public static <T extends TFloating> Operand<T> project(Ops tf, Operand<T> x, Operand<T> y, int s, int h, int w,
      int c) {
    Operand<T> residual = tf.math.sub(y, Pooling.average(tf, x, s, h, w, c));
    return tf.math.add(x, Pooling.nearestUpsample(tf, residual, s, h / s, w / s, c));
  }

  /** The same projection for x of any h, w divisible by s (read at run time). */
  public static <T extends TFloating> Operand<T> project(Ops tf, Operand<T> x, Operand<T> y, int s, int c) {
    Operand<T> residual = tf.math.sub(y, Pooling.average(tf, x, s, c));
    return tf.math.add(x, Pooling.nearestUpsample(tf, residual, s, c));
  }
}
