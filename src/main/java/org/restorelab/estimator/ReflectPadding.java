package org.restorelab.estimator;

import java.util.List;
import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TType;

/**
 * How an any-size estimator meets a size its network cannot take: the input y [n, h, w, c] is
 * padded at the bottom and right by reflection (REFLECT: the edge row is not repeated) to
 * [n, ceil(h/m) m, ceil(w/m) m, c], and the output is cropped back to its top-left part, as
 * super-resolution benchmarks run fully convolutional networks on images of any size. Padding
 * whole low-resolution pixels keeps each output block over its own input pixel, so the
 * consistency D(x_hat) = y of the padded problem holds on the cropped one.
 */
public final class ReflectPadding {
  private ReflectPadding() {}

  /** y [n, h, w, c] -> [n, ceil(h/m) m, ceil(w/m) m, c]; each pad (at most m - 1) must be below h and w. */
  public static <T extends TType> Operand<T> pad(Ops tf, Operand<T> y, int m) {
    Operand<TInt32> step = tf.constant(m);
    Operand<TInt32> zero = tf.constant(0);
    Operand<TInt32> bottom = tf.math.floorMod(tf.math.sub(step, tf.math.floorMod(Graphs.dim(tf, y, 1), step)), step);
    Operand<TInt32> right = tf.math.floorMod(tf.math.sub(step, tf.math.floorMod(Graphs.dim(tf, y, 2), step)), step);
    Operand<TInt32> paddings = tf.reshape(tf.stack(List.of(zero, zero, zero, bottom, zero, right, zero, zero)),
        tf.constant(new long[] {4, 2}));
    return tf.mirrorPad(y, paddings, "REFLECT");
  }

  /** The top-left [n, h, w, c] of x, with h and w int32 scalars. */
  public static <T extends TType> Operand<T> crop(Ops tf, Operand<T> x, Operand<TInt32> h, Operand<TInt32> w) {
    return tf.slice(x, tf.constant(new int[] {0, 0, 0, 0}),
        tf.stack(List.of(tf.constant(-1), h, w, tf.constant(-1))));
  }
}
