package org.restorelab.metric;

import java.util.Arrays;

/**
 * How far S samples of an estimator at one input are from a posterior that is uniform on an
 * interval [lo, hi] (the toy problem's p(x2 | y) = U[-c, c], c = sqrt(1 - y^2)), exactly:
 * <pre>
 *   W2^2 = int_0^1 (F_S^-1(u) - Q(u))^2 du,   Q(u) = lo + (hi - lo) u
 *        = (1/S) sum_j (x_(j) - m_j)^2 + (hi - lo)^2 / (12 S^2),   m_j = Q((j + 1/2) / S)
 * </pre>
 * (on [j/S, (j+1)/S] the sample quantile is x_(j) and Q is linear around m_j with slope hi - lo),
 * and the share of [lo, hi] outside the samples' range, 1 - |[min x, max x] n [lo, hi]| / (hi - lo):
 * the part of the posterior's support the estimator never reaches at its ends. A posterior
 * sampler's share is 2 / (S + 1) in expectation; a deterministic estimator's is 1.
 */
public final class UniformPosteriorDistance {
  private UniformPosteriorDistance() {}

  /** W2^2 between the samples {@code x} and U[lo, hi] (x is not modified). */
  public static double w2Squared(double[] x, double lo, double hi) {
    requireInterval(lo, hi);
    double[] s = x.clone();
    Arrays.sort(s);
    int n = s.length;
    double width = hi - lo;
    double sum = 0;
    for (int j = 0; j < n; j++) {
      double m = lo + width * (j + 0.5) / n;
      sum += (s[j] - m) * (s[j] - m);
    }
    return sum / n + width * width / (12.0 * n * n);
  }

  /** The share of [lo, hi] outside [min x, max x]: in [0, 1]. */
  public static double uncoveredShare(double[] x, double lo, double hi) {
    requireInterval(lo, hi);
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    for (double v : x) {
      min = Math.min(min, v);
      max = Math.max(max, v);
    }
    double covered = Math.max(0, Math.min(max, hi) - Math.max(min, lo));
    return 1 - covered / (hi - lo);
  }

  private static void requireInterval(double lo, double hi) {
    if (!(hi > lo)) {
      throw new IllegalArgumentException("the posterior interval must have hi > lo, got [" + lo + ", " + hi + "]");
    }
  }
}
