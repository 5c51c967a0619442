package org.restorelab.estimator.flow;

import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Shift and scale of an affine flow layer read from a network output h [n, h, w, 2c]: shift =
 * h[..., :c], scale = sigmoid(h[..., c:] + offset) + eps (SRFlow's bounded scale, offset 2 and
 * eps 1e-4: 0.88 at the zero init, never below eps, so the inverse's division stays finite).
 */
record AffineParameters<T extends TFloating>(Operand<T> shift, Operand<T> scale) {

  static <T extends TFloating> AffineParameters<T> of(Ops tf, Operand<T> h, int c, ScaleBound bound) {
    Operand<T> shift = Channels.take(tf, h, 0, c);
    Operand<T> raw = Channels.take(tf, h, c, 2 * c);
    Operand<T> scale = tf.math.sigmoid(tf.math.add(raw, Graphs.constant(tf, bound.offset(), h.type())));
    if (bound.eps() > 0) {
      scale = tf.math.add(scale, Graphs.constant(tf, bound.eps(), h.type()));
    }
    return new AffineParameters<>(shift, scale);
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
