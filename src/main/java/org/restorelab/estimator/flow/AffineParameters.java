package org.restorelab.estimator.flow;

import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Shift and scale of an affine flow layer read from a network output h [n, h, w, 2c]: shift =
 * h[..., :c], scale = sigmoid(h[..., c:] + 2) (Glow's bounded scale, 0.88 at the zero init).
 */
record AffineParameters<T extends TFloating>(Operand<T> shift, Operand<T> scale) {

  static <T extends TFloating> AffineParameters<T> of(Ops tf, Operand<T> h, int c) {
    Operand<T> shift = Channels.take(tf, h, 0, c);
    Operand<T> raw = Channels.take(tf, h, c, 2 * c);
    return new AffineParameters<>(shift, tf.math.sigmoid(tf.math.add(raw, Graphs.constant(tf, 2, h.type()))));
  }

  /** y = (x + shift) scale. */
  Operand<T> forward(Ops tf, Operand<T> x) {
    return tf.math.mul(tf.math.add(x, shift), scale);
  }

  /** x = y / scale - shift. */
  Operand<T> reverse(Ops tf, Operand<T> y) {
    return tf.math.sub(tf.math.div(y, scale), shift);
  }

  /** sum log scale per row [n]. */
  Operand<T> logDet(Ops tf) {
    return Graphs.sumPerRow(tf, tf.math.log(scale));
  }
}
