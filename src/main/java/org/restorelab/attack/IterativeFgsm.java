package org.restorelab.attack;

import java.util.SplittableRandom;

/**
 * I-FGSM of Choi et al. (ICCV 2019; SPEC section 5), driven from Java around any model whose
 * loss gradient an oracle supplies (a loaded SavedModel): x_adv = clip(y + delta, 0, 1), and each
 * of T steps
 * <pre>  delta <- clip(delta + (alpha / T) sign(grad_delta L), -alpha, alpha)</pre>
 * where grad_delta L is the oracle's gradient w.r.t. x_adv, passed through the clip (zero where
 * y + delta lies outside [0, 1], as TensorFlow's ClipByValue gradient). delta is float64.
 */
public final class IterativeFgsm {

  /** Writes grad_x L at x (the attacked inputs, all rows) into {@code grad}. */
  @FunctionalInterface
  public interface Oracle {
    void gradient(float[] x, float[] grad);
  }

  private IterativeFgsm() {}

  /**
   * The perturbation after {@code steps} steps of budget {@code alpha} (L-infinity), from a start
   * of +-initScale * alpha / steps with random signs (see IfgsmConfig.init_scale): every element
   * starts far enough from 0 that y + delta differs from y in float32.
   */
  public static double[] attack(Oracle oracle, float[] y, double alpha, int steps, double initScale,
      SplittableRandom random) {
    if (alpha < 0 || steps < 1) {
      throw new IllegalArgumentException("I-FGSM needs alpha >= 0 and steps >= 1, got " + alpha + " and " + steps);
    }
    double step = alpha / steps;
    double[] delta = new double[y.length];
    for (int i = 0; i < delta.length; i++) {
      delta[i] = (random.nextBoolean() ? initScale : -initScale) * step;
    }
    float[] x = new float[y.length];
    float[] grad = new float[y.length];
    for (int t = 0; t < steps; t++) {
      apply(y, delta, x);
      oracle.gradient(x, grad);
      for (int i = 0; i < delta.length; i++) {
        double u = y[i] + delta[i];
        double g = u < 0 || u > 1 ? 0 : grad[i]; // d clip(u, 0, 1) / du
        delta[i] = Math.max(-alpha, Math.min(alpha, delta[i] + step * Math.signum(g)));
      }
    }
    return delta;
  }

  /** x_adv = clip(y + delta, 0, 1), into {@code x}. */
  public static void apply(float[] y, double[] delta, float[] x) {
    for (int i = 0; i < y.length; i++) {
      x[i] = (float) Math.max(0, Math.min(1, y[i] + delta[i]));
    }
  }
}
