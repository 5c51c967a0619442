package org.restorelab.task;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The toy problem (section 4) as a restoration task: x = (x1, x2) on the unit disk, y = D(x) = x1,
 * and consistency by replacing the first coordinate of the output with y, so
 * x_hat = (y, raw_2). The network sees y itself.
 */
public final class ToyProjection implements RestorationTask {
  public static final ToyProjection INSTANCE = new ToyProjection();

  private ToyProjection() {}

  @Override
  public String name() {
    return "toy";
  }

  @Override
  public Shape signalShape() {
    return Shape.of(2);
  }

  @Override
  public Shape measurementShape() {
    return Shape.of(1);
  }

  @Override
  public <T extends TFloating> Operand<T> degrade(Ops tf, Operand<T> x) {
    return tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
  }

  @Override
  public <T extends TFloating> Operand<T> networkInput(Ops tf, Operand<T> y) {
    return y;
  }

  /** raw [n, 2] (or [n, 1] holding only the estimate of x2) -> (y, raw's last column). */
  @Override
  public <T extends TFloating> Operand<T> enforceConsistency(Ops tf, Operand<T> raw, Operand<T> y) {
    return tf.concat(List.of(y, lastColumn(tf, raw)), tf.constant(1));
  }

  private static <T extends TFloating> Operand<T> lastColumn(Ops tf, Operand<T> raw) {
    Operand<org.tensorflow.types.TInt32> cols = tf.slice(tf.shape(raw), tf.constant(new int[] {1}), tf.constant(new int[] {1}));
    Operand<org.tensorflow.types.TInt32> begin = tf.concat(List.of(tf.constant(new int[] {0}),
        tf.math.sub(cols, tf.constant(new int[] {1}))), tf.constant(0));
    return tf.slice(raw, begin, tf.constant(new int[] {-1, 1}));
  }
}
