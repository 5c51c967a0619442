package org.restorelab.attack;

import org.restorelab.config.AttackConfig;

/**
 * The attack of Eq. 6 driven from Java, for models whose graph cannot be rebuilt around a new
 * input (a loaded SavedModel): each step asks an oracle for the objective's gradient at delta,
 * then applies exactly the update of {@link UnrolledAdamAttack} (Adam ascent, bias-corrected,
 * then projection of each row onto the L2 ball), in float64.
 */
public final class AdamAscent {

  /** Gradient of sum_b J_b at delta [B * d] (row-major), written into {@code grad}. */
  @FunctionalInterface
  public interface Oracle {
    void gradient(double[] delta, double[] grad);
  }

  private AdamAscent() {}

  /** Runs the attack from {@code delta0} (rows of length d); returns the final delta. */
  public static double[] maximise(Oracle oracle, double[] delta0, int d, AttackConfig config) {
    double[] delta = delta0.clone();
    double[] m = new double[delta.length];
    double[] v = new double[delta.length];
    double[] g = new double[delta.length];
    double b1 = config.getBeta1();
    double b2 = config.getBeta2();
    for (int k = 1; k <= config.getSteps(); k++) {
      oracle.gradient(delta, g);
      double c1 = 1 - Math.pow(b1, k);
      double c2 = 1 - Math.pow(b2, k);
      for (int i = 0; i < delta.length; i++) {
        m[i] = b1 * m[i] + (1 - b1) * g[i];
        v[i] = b2 * v[i] + (1 - b2) * g[i] * g[i];
        delta[i] += config.getLr() * (m[i] / c1) / (Math.sqrt(v[i] / c2) + config.getAdamEpsilon());
      }
      project(delta, d, config.getEpsilon());
    }
    return delta;
  }

  /** Scales each row of length d by min(1, eps / |row|). */
  public static void project(double[] delta, int d, double epsilon) {
    for (int r = 0; r < delta.length / d; r++) {
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += delta[r * d + j] * delta[r * d + j];
      }
      double scale = Math.min(1, epsilon / Math.max(Math.sqrt(norm), 1e-30));
      for (int j = 0; j < d; j++) {
        delta[r * d + j] *= scale;
      }
    }
  }
}
