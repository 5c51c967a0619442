package org.restorelab.train;

import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The distortion objective of a deterministic estimator trained without a critic (Appendix G's
 * L1 baseline in EDSR's role): the mean absolute error over every pixel, channel and image, and
 * the PSNR of the same batch for the log.
 */
public final class L1Loss {
  private L1Loss() {}

  /** L_1 = mean |x_hat - x| over all elements. */
  public static <T extends TFloating> Operand<T> meanAbsoluteError(Ops tf, Operand<T> estimate, Operand<T> truth) {
    return Graphs.meanAll(tf, tf.math.abs(tf.math.sub(estimate, truth)));
  }

  /** PSNR = -10 log10(mean (x_hat - x)^2) in dB, peak 1, over the whole batch (images in [0, 1]). */
  public static <T extends TFloating> Operand<T> batchPsnr(Ops tf, Operand<T> estimate, Operand<T> truth) {
    Operand<T> mse = Graphs.meanAll(tf, tf.math.square(tf.math.sub(estimate, truth)));
    return tf.math.mul(Graphs.constant(tf, -10 / Math.log(10), estimate.type()), tf.math.log(mse));
  }
}
