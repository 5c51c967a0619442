package org.restorelab.estimator.flow;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Glow's squeeze: each 2 x 2 block of pixels becomes 4 channels, [n, h, w, c] -> [n, h/2, w/2, 4c]
 * (a permutation of the elements, so its log-determinant is 0), and its inverse.
 */
public final class Squeeze {
  private Squeeze() {}

  public static <T extends TFloating> Operand<T> squeeze(Ops tf, Operand<T> x) {
    return tf.nn.spaceToDepth(x, 2L);
  }

  public static <T extends TFloating> Operand<T> unsqueeze(Ops tf, Operand<T> x) {
    return tf.nn.depthToSpace(x, 2L);
  }
}
