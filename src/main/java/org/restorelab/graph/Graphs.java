package org.restorelab.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Gradients;
import org.tensorflow.types.family.TFloating;
import org.tensorflow.types.family.TType;

/** Small graph helpers shared by every model: typed constants, reductions and gradients. */
public final class Graphs {
  private Graphs() {}

  /** A scalar constant of type {@code type}. */
  public static <T extends TType> Operand<T> constant(Ops tf, double value, Class<T> type) {
    return tf.dtypes.cast(tf.constant(value), type);
  }

  /** The mean over all elements. */
  public static <T extends TFloating> Operand<T> meanAll(Ops tf, Operand<T> x) {
    return tf.math.mean(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0));
  }

  /** The sum over all elements. */
  public static <T extends TFloating> Operand<T> sumAll(Ops tf, Operand<T> x) {
    return tf.reduceSum(tf.reshape(x, tf.constant(new long[] {-1})), tf.constant(0));
  }

  /** The number of rows of x (its first dimension) as an int64 scalar. */
  public static Operand<org.tensorflow.types.TInt64> rows(Ops tf, Operand<?> x) {
    Operand<org.tensorflow.types.TInt64> shape = tf.shape(x, org.tensorflow.types.TInt64.class);
    return tf.reshape(tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1})), tf.constant(new long[] {}));
  }

  /** Dimension {@code axis} of x, read from its runtime shape, as an int32 scalar. */
  public static Operand<org.tensorflow.types.TInt32> dim(Ops tf, Operand<?> x, int axis) {
    Operand<org.tensorflow.types.TInt32> shape = tf.shape(x);
    return tf.reshape(tf.slice(shape, tf.constant(new int[] {axis}), tf.constant(new int[] {1})), tf.constant(new long[] {}));
  }

  /** Sum over every axis but the first: [n, ...] -> [n]. */
  public static <T extends TFloating> Operand<T> sumPerRow(Ops tf, Operand<T> x) {
    return tf.reduceSum(x, tf.range(tf.constant(1), tf.rank(x), tf.constant(1)));
  }

  /**
   * d(scalar)/d(xs), with the explicit seed 1 that second-order gradients need (the implicit seed
   * is built with OnesLike, which has no gradient; see TFJAVA_NOTES).
   */
  @SuppressWarnings("unchecked")
  public static <T extends TFloating> List<Operand<T>> gradients(Ops tf, Operand<T> scalar, List<? extends Operand<T>> xs) {
    Operand<T> seed = constant(tf, 1, scalar.type());
    Gradients g = tf.gradients(List.of(scalar), xs, Gradients.dx(List.of(seed)));
    List<Operand<T>> out = new ArrayList<>();
    for (int i = 0; i < xs.size(); i++) {
      out.add((Output<T>) (Output<?>) g.dy(i));
    }
    return out;
  }
}
