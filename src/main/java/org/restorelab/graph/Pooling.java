package org.restorelab.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * Box pooling and nearest-neighbour upsampling written with reshape, mean and broadcast, so they
 * have gradients of every order (TF's AvgPoolGrad has none, which R1 through a critic needs) and
 * are exact in any float type. NHWC with known h, w, c, or (the overloads without them) with h
 * and w read from x's runtime shape, for graphs that take images of any size.
 */
public final class Pooling {
  private Pooling() {}

  /** AvgPool_s: the mean of each non-overlapping s x s block, [n, h, w, c] -> [n, h/s, w/s, c]. */
  public static <T extends TFloating> Operand<T> average(Ops tf, Operand<T> x, int s, int h, int w, int c) {
    checkDivides(s, h, w);
    Operand<T> blocks = tf.reshape(x, tf.constant(new long[] {-1, h / s, s, w / s, s, c}));
    return tf.math.mean(blocks, tf.constant(new int[] {2, 4}));
  }

  /** NN_up_s: each pixel repeated into an s x s block, [n, h, w, c] -> [n, h s, w s, c]. */
  public static <T extends TFloating> Operand<T> nearestUpsample(Ops tf, Operand<T> x, int s, int h, int w, int c) {
    Operand<T> expanded = tf.reshape(x, tf.constant(new long[] {-1, h, 1, w, 1, c}));
    Operand<T> ones = tf.fill(tf.constant(new long[] {1, 1, s, 1, s, 1}), Graphs.constant(tf, 1, x.type()));
    return tf.reshape(tf.math.mul(expanded, ones), tf.constant(new long[] {-1, h * s, w * s, c}));
  }

  /** AvgPool_s for x [n, h, w, c] of any h, w divisible by s (read at run time). */
  public static <T extends TFloating> Operand<T> average(Ops tf, Operand<T> x, int s, int c) {
    Operand<TInt32> step = tf.constant(s);
    Operand<TInt32> blocks = tf.stack(List.of(tf.constant(-1), tf.math.floorDiv(Graphs.dim(tf, x, 1), step), step,
        tf.math.floorDiv(Graphs.dim(tf, x, 2), step), step, tf.constant(c)));
    return tf.math.mean(tf.reshape(x, blocks), tf.constant(new int[] {2, 4}));
  }

  /** NN_up_s for x [n, h, w, c] of any h, w (read at run time) -> [n, h s, w s, c]. */
  public static <T extends TFloating> Operand<T> nearestUpsample(Ops tf, Operand<T> x, int s, int c) {
    Operand<TInt32> h = Graphs.dim(tf, x, 1);
    Operand<TInt32> w = Graphs.dim(tf, x, 2);
    Operand<TInt32> minusOne = tf.constant(-1);
    Operand<TInt32> one = tf.constant(1);
    Operand<T> expanded = tf.reshape(x, tf.stack(List.of(minusOne, h, one, w, one, tf.constant(c))));
    Operand<T> ones = tf.fill(tf.constant(new long[] {1, 1, s, 1, s, 1}), Graphs.constant(tf, 1, x.type()));
    Operand<TInt32> step = tf.constant(s);
    return tf.reshape(tf.math.mul(expanded, ones),
        tf.stack(List.of(minusOne, tf.math.mul(h, step), tf.math.mul(w, step), tf.constant(c))));
  }

  /** 2x2 max pooling, stride 2 (first-order gradient only, enough for the estimator). */
  public static <T extends TFloating> Operand<T> max2(Ops tf, Operand<T> x) {
    return tf.nn.maxPool(x, tf.constant(new int[] {1, 2, 2, 1}), tf.constant(new int[] {1, 2, 2, 1}), "VALID");
  }

  static void checkDivides(int s, int h, int w) {
    if (s <= 0 || h % s != 0 || w % s != 0) {
      throw new IllegalArgumentException("pooling factor " + s + " must divide the image size " + h + "x" + w);
    }
  }
}
