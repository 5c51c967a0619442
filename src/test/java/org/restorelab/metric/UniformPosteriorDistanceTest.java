package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UniformPosteriorDistanceTest {

  /** W2^2 by brute force: the quantile functions compared at a million midpoints in float64. */
  private static double bruteW2Squared(double[] x, double lo, double hi) {
    double[] s = x.clone();
    Arrays.sort(s);
    int grid = 1_000_000;
    double sum = 0;
    for (int k = 0; k < grid; k++) {
      double u = (k + 0.5) / grid;
      double q = lo + (hi - lo) * u;
      double xq = s[Math.min(s.length - 1, (int) Math.floor(u * s.length))];
      sum += (xq - q) * (xq - q);
    }
    return sum / grid;
  }

  @Test
  void w2MatchesTheQuantileIntegralOnRandomSamples() {
    SplittableRandom r = new SplittableRandom(3);
    for (int n : new int[] {1, 2, 7, 50}) {
      double[] x = new double[n];
      for (int i = 0; i < n; i++) {
        x[i] = -1.5 + 3 * r.nextDouble();
      }
      double lo = -0.8;
      double hi = 0.6;
      assertThat(UniformPosteriorDistance.w2Squared(x, lo, hi)).as("n = " + n)
          .isCloseTo(bruteW2Squared(x, lo, hi), within(1e-4));
    }
  }

  @Test
  void closedForms() {
    double c = 0.6;
    // a point x against U[-c, c]: E (x - U)^2 = x^2 + c^2 / 3
    assertThat(UniformPosteriorDistance.w2Squared(new double[] {0.2}, -c, c)).isCloseTo(0.04 + c * c / 3, within(1e-15));
    // the posterior's own S quantile midpoints: only the within-cell part (2c / S)^2 / 12 is left
    int s = 100;
    double[] mid = new double[s];
    for (int j = 0; j < s; j++) {
      mid[j] = c * (2 * (j + 0.5) / s - 1);
    }
    assertThat(UniformPosteriorDistance.w2Squared(mid, -c, c)).isCloseTo(c * c / (3.0 * s * s), within(1e-15));
    // the midpoints shrunk by a: W2^2 = (1 - a)^2 mean_j m_j^2 + c^2 / (3 S^2), mean_j m_j^2 = c^2 (1 - 1/S^2) / 3
    double a = 0.75;
    double[] shrunk = Arrays.stream(mid).map(v -> a * v).toArray();
    assertThat(UniformPosteriorDistance.w2Squared(shrunk, -c, c))
        .isCloseTo((1 - a) * (1 - a) * c * c * (1 - 1.0 / (s * s)) / 3 + c * c / (3.0 * s * s), within(1e-15));
    // uncovered share: those shrunk outputs span a (1 - 1/S) of the chord; one point spans none
    assertThat(UniformPosteriorDistance.uncoveredShare(shrunk, -c, c)).isCloseTo(1 - a * (1 - 1.0 / s), within(1e-12));
    assertThat(UniformPosteriorDistance.uncoveredShare(new double[] {0.1}, -c, c)).isEqualTo(1.0);
    // outputs beyond the interval cover only what lies inside it; a range past both ends covers all
    assertThat(UniformPosteriorDistance.uncoveredShare(new double[] {0.0, 5.0}, -c, c)).isCloseTo(0.5, within(1e-12));
    assertThat(UniformPosteriorDistance.uncoveredShare(new double[] {-2.0, 2.0}, -c, c)).isEqualTo(0.0);
    assertThat(UniformPosteriorDistance.uncoveredShare(new double[] {2.0, 3.0}, -c, c)).isEqualTo(1.0);
  }

  @Test
  void aPosteriorSamplerLeavesTwoOverSPlusOneUncoveredOnAverage() {
    SplittableRandom r = new SplittableRandom(9);
    int s = 50;
    int trials = 20_000;
    double sum = 0;
    for (int t = 0; t < trials; t++) {
      double[] x = new double[s];
      for (int j = 0; j < s; j++) {
        x[j] = -1 + 2 * r.nextDouble();
      }
      sum += UniformPosteriorDistance.uncoveredShare(x, -1, 1);
    }
    // E[min] + E[1 - max] = 2 / (S + 1) of the unit interval; the std of the mean is about 3e-4
    assertThat(sum / trials).isCloseTo(2.0 / (s + 1), within(0.0015));
  }

  @Test
  void anEmptyIntervalIsRefused() {
    assertThatThrownBy(() -> UniformPosteriorDistance.w2Squared(new double[] {0}, 0.5, 0.5))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("hi > lo");
  }
}
