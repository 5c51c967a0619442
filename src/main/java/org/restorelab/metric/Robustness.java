package org.restorelab.metric;

/**
 * The paper's robustness measures of an estimator under the adversarial attack of Eq. 6, for
 * signals in [0, 1] (peak 1, mean squared errors floored as in {@link Psnr#peakOne}):
 * <ul>
 *   <li>Eq. 9, robustness: E_z[PSNR(G(y, z), G(y + delta*, z))], the output PSNR of the attacked
 *       input against the clean one, the same z on both sides, averaged over the attack's z draws;
 *   <li>AI-PSNR, the adversarial input PSNR: PSNR(y + delta*, y) = 10 log10(m / |delta*|^2) for an
 *       m-dimensional y, which is 10 log10(m / epsilon^2) when delta* lies on the L2 ball of radius
 *       epsilon ({@link #aiPsnrOnBall}).
 * </ul>
 *
 * @see "Ohayon et al. 2023, Eq. 9 and Section 6.1.1"
 */
public final class Robustness {
  private Robustness() {}

  /**
   * Eq. 9 for one input: the mean over its {@code draws} rows r (rows input * draws ..
   * (input + 1) * draws - 1 of {@code clean} and {@code attacked}, each {@code pixels} values) of
   * PSNR(clean_r, attacked_r).
   */
  public static double attackedPsnr(float[] clean, float[] attacked, int input, int draws, int pixels) {
    double sum = 0;
    for (int r = input * draws; r < (input + 1) * draws; r++) {
      double se = 0;
      for (int j = r * pixels; j < (r + 1) * pixels; j++) {
        double d = clean[j] - attacked[j];
        se += d * d;
      }
      sum += Psnr.peakOne(se / pixels);
    }
    return sum / draws;
  }

  /** AI-PSNR of one input: PSNR(y + delta, y) for delta = {@code delta[input * m .. (input + 1) * m)}. */
  public static double aiPsnr(double[] delta, int input, int m) {
    double norm2 = 0;
    for (int j = input * m; j < (input + 1) * m; j++) {
      norm2 += delta[j] * delta[j];
    }
    return Psnr.peakOne(norm2 / m);
  }

  /** AI-PSNR of a perturbation of L2 norm {@code epsilon} in m dimensions: 10 log10(m / epsilon^2). */
  public static double aiPsnrOnBall(int m, double epsilon) {
    return Psnr.peakOne(epsilon * epsilon / m);
  }
}
