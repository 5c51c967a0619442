package org.restorelab.train;

import java.util.List;
import java.util.function.Function;
import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The non-saturating GAN loss (Goodfellow et al. 2014) with the R1 penalty (Mescheder et al.
 * 2018) on real samples, written with logits D(.):
 * <ul>
 *   <li>critic: E softplus(-D(x)) + E softplus(D(x_hat)) + (gamma / 2) E |grad_x D(x)|^2;
 *   <li>estimator: E softplus(-D(x_hat)).
 * </ul>
 */
public final class GanLoss {
  private GanLoss() {}

  /** E softplus(-D(x_hat)): the estimator's non-saturating loss. */
  public static <T extends TFloating> Operand<T> estimatorLoss(Ops tf, Operand<T> fakeLogits) {
    return Graphs.meanAll(tf, tf.math.softplus(tf.math.neg(fakeLogits)));
  }

  /** E softplus(-D(x)) + E softplus(D(x_hat)): the critic's loss without R1. */
  public static <T extends TFloating> Operand<T> criticLoss(Ops tf, Operand<T> realLogits, Operand<T> fakeLogits) {
    return tf.math.add(Graphs.meanAll(tf, tf.math.softplus(tf.math.neg(realLogits))),
        Graphs.meanAll(tf, tf.math.softplus(fakeLogits)));
  }

  /**
   * R1 = (gamma / 2) E_x |grad_x D(x)|^2 on real samples x [n, ...]. The gradient is taken of
   * sum(D(x)) (per-sample gradients, since samples are independent), not of the softplus loss,
   * whose SoftplusGrad has no second-order gradient in TF.
   */
  public static <T extends TFloating> Operand<T> r1(Ops tf, Function<Operand<T>, Operand<T>> logits,
      Operand<T> real, double gamma) {
    return r1(tf, logits.apply(real), real, gamma);
  }

  /**
   * R1 from the logits D(x) [n] that the critic loss already computed on {@code real}: the same
   * penalty without a second forward pass of the critic.
   */
  public static <T extends TFloating> Operand<T> r1(Ops tf, Operand<T> realLogits, Operand<T> real, double gamma) {
    Operand<T> grad = Graphs.gradients(tf, Graphs.sumAll(tf, realLogits), List.of(real)).get(0);
    Operand<T> perSample = Graphs.sumPerRow(tf, tf.math.square(grad));
    return tf.math.mul(Graphs.constant(tf, gamma / 2, real.type()), Graphs.meanAll(tf, perSample));
  }
}
