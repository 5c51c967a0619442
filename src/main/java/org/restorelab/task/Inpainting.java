package org.restorelab.task;

import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Inpainting (section 6): the upper {@code maskedRows} rows of an h x w x 3 image are masked
 * (fixed, known). y = m x + (1 - m) fill, where m = 1 on the visible (bottom) rows; the network
 * sees y itself; consistency replaces the visible rows of the output with y:
 * x_hat = (1 - m) raw + m y.
 */
public final class Inpainting implements RestorationTask {
  private final int height;
  private final int width;
  private final int maskedRows;
  private final double fill;

  public Inpainting(int height, int width, double maskedFraction, double fill) {
    if (!(maskedFraction > 0 && maskedFraction < 1)) {
      throw new IllegalArgumentException("inpainting masked_fraction must be in (0, 1), got " + maskedFraction);
    }
    this.height = height;
    this.width = width;
    this.maskedRows = (int) Math.round(height * maskedFraction);
    this.fill = fill;
  }

  @Override
  public String name() {
    return "inpainting";
  }

  public int maskedRows() {
    return maskedRows;
  }

  @Override
  public Shape signalShape() {
    return Shape.of(height, width, 3);
  }

  @Override
  public Shape measurementShape() {
    return signalShape();
  }

  /** m [1, h, 1, 1]: 0 on the masked (upper) rows, 1 on the visible ones. */
  public <T extends TFloating> Operand<T> visibleMask(Ops tf, Class<T> type) {
    float[] m = new float[height];
    for (int r = maskedRows; r < height; r++) {
      m[r] = 1;
    }
    return tf.dtypes.cast(tf.reshape(tf.constant(m), tf.constant(new long[] {1, height, 1, 1})), type);
  }

  @Override
  public <T extends TFloating> Operand<T> degrade(Ops tf, Operand<T> x) {
    Operand<T> m = visibleMask(tf, x.type());
    Operand<T> hidden = tf.math.sub(Graphs.constant(tf, 1, x.type()), m);
    return tf.math.add(tf.math.mul(m, x), tf.math.mul(hidden, Graphs.constant(tf, fill, x.type())));
  }

  @Override
  public <T extends TFloating> Operand<T> networkInput(Ops tf, Operand<T> y) {
    return y;
  }

  @Override
  public <T extends TFloating> Operand<T> enforceConsistency(Ops tf, Operand<T> raw, Operand<T> y) {
    Operand<T> m = visibleMask(tf, raw.type());
    Operand<T> hidden = tf.math.sub(Graphs.constant(tf, 1, raw.type()), m);
    return tf.math.add(tf.math.mul(hidden, raw), tf.math.mul(m, y));
  }
}
