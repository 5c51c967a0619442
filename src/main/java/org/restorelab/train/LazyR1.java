package org.restorelab.train;

import org.restorelab.config.OptimizerConfig;

/**
 * Lazy R1 regularization (Karras et al. 2020, "Analyzing and Improving the Image Quality of
 * StyleGAN", section 3.1 and Appendix B): with interval k the critic minimises its GAN loss on
 * every step and adds k R1 on every k-th step only, so R1's expected weight per step is unchanged
 * while its double backprop runs k times less often.
 *
 * <p>The R1 steps are the 0-based steps s with {@code s % k == 0}: steps 0, k, 2k, ... (1-based
 * 1, k + 1, ...), as StyleGAN2 runs its regularization when {@code running_mb_counter %
 * D_reg_interval == 0} with the counter starting at 0 (NVlabs/stylegan2
 * {@code training/training_loop.py}; stylegan2-ada-pytorch {@code batch_idx % phase.interval}).
 * The rule depends on the step number alone, so a resumed run regularises the same steps.
 *
 * <p>StyleGAN2 also rescales the regularised network's Adam by c = k / (k + 1) ({@code mb_ratio}:
 * lr * c, beta1^c, beta2^c; NVlabs/stylegan2 {@code training/training_loop.py}). There the
 * regularization is a separate Adam step, k + 1 steps per k minibatches, and c keeps Adam's time
 * scales per minibatch. Here R1 joins the GAN loss in the same step, so the critic still takes one
 * Adam step per minibatch and its optimizer is left as configured: c would only lower its learning
 * rate, a second change mixed into the first.
 */
public final class LazyR1 {
  private LazyR1() {}

  /** Whether 0-based {@code step} is a step with (k times) R1. */
  public static boolean isR1Step(long step, int interval) {
    return step % interval == 0;
  }
}
