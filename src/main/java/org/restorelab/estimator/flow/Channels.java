package org.restorelab.estimator.flow;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.index.Indices;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** Channel slices and concatenation of NHWC tensors (StridedSlice and Concat have gradients here). */
final class Channels {
  private Channels() {}

  /** x[..., from:to]. */
  static <T extends TFloating> Operand<T> take(Ops tf, Operand<T> x, int from, int to) {
    return tf.stridedSlice(x, Indices.all(), Indices.all(), Indices.all(), Indices.slice(from, to));
  }

  /** Concatenation along the channel axis. */
  static <T extends TFloating> Operand<T> concat(Ops tf, List<Operand<T>> parts) {
    return tf.concat(parts, tf.constant(3));
  }
}
