package org.restorelab.render;

import java.math.BigDecimal;

/** Chooses tick positions: "nice" 1/2/5 x 10^k steps on linear axes, powers of two on log2 axes. */
final class Ticks {

  /** A linear axis aims at about this many intervals between its first and last tick. */
  private static final double TARGET_INTERVALS = 5;
  /** A log2 axis shows at most this many powers of two (thinned to every 2nd, 3rd, ... power). */
  private static final int MAX_LOG_TICKS = 8;
  private static final double EPS = 1e-9;
  private static final int[] MANTISSAS = {1, 2, 5};

  private Ticks() {}

  /**
   * Ticks covering {@code [min, max]} at multiples of a 1/2/5 x 10^k step, about five intervals
   * apart; e.g. {@code ticks(0, 1)} is 0, 0.2, 0.4, 0.6, 0.8, 1. Values are the doubles nearest to
   * the exact decimal multiples (0.6, not 0.6000000000000001).
   */
  static double[] ticks(double min, double max) {
    requireRange(min, max);
    BigDecimal step = niceStep((max - min) / TARGET_INTERVALS);
    double s = step.doubleValue();
    long first = (long) Math.ceil(min / s - EPS);
    long last = (long) Math.floor(max / s + EPS);
    double[] ticks = new double[(int) (last - first + 1)];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = step.multiply(BigDecimal.valueOf(first + i)).doubleValue() + 0.0;
    }
    return ticks;
  }

  /**
   * Powers of two inside {@code [min, max]} (both positive), thinned to at most eight ticks. A
   * range containing no power of two falls back to linear {@link #ticks}.
   */
  static double[] log2Ticks(double min, double max) {
    requireRange(min, max);
    if (!(min > 0)) {
      throw new IllegalArgumentException("log2 axis needs a positive range, got min " + min);
    }
    int first = (int) Math.ceil(log2(min) - EPS);
    int last = (int) Math.floor(log2(max) + EPS);
    if (last < first) {
      return ticks(min, max);
    }
    int stride = (last - first) / MAX_LOG_TICKS + 1;
    int start = Math.floorDiv(first + stride - 1, stride) * stride;
    double[] ticks = new double[(last - start) / stride + 1];
    for (int i = 0; i < ticks.length; i++) {
      ticks[i] = Math.scalb(1.0, start + i * stride);
    }
    return ticks;
  }

  /** Base-2 logarithm. */
  static double log2(double v) {
    return Math.log(v) / Math.log(2);
  }

  /** The 1/2/5 x 10^k step closest (in ratio) to {@code raw}. */
  private static BigDecimal niceStep(double raw) {
    int exponent = (int) Math.floor(Math.log10(raw));
    BigDecimal best = null;
    double bestDistance = Double.POSITIVE_INFINITY;
    for (int e = exponent; e <= exponent + 1; e++) {
      for (int m : MANTISSAS) {
        BigDecimal candidate = BigDecimal.valueOf(m).scaleByPowerOfTen(e);
        double distance = Math.abs(Math.log(candidate.doubleValue() / raw));
        if (distance < bestDistance) {
          best = candidate;
          bestDistance = distance;
        }
      }
    }
    return best;
  }

  private static void requireRange(double min, double max) {
    if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
      throw new IllegalArgumentException("need finite min < max, got [" + min + ", " + max + "]");
    }
  }
}
