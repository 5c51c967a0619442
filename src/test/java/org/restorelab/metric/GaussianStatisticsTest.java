package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.SplittableRandom;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

class GaussianStatisticsTest {

  /** Gaussian rows with a large common offset, which a naive sum(x x^T) - n m m^T would lose. */
  static Features features(int n, int dim, double offset, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][dim];
    for (double[] row : x) {
      double shared = r.nextGaussian();
      for (int t = 0; t < dim; t++) {
        row[t] = offset + (t + 1) * r.nextGaussian() + shared;
      }
    }
    return Features.of(x);
  }

  /** Textbook float64 mean and unbiased covariance (np.cov), two passes over the float32 rows. */
  static double[][] bruteForce(Features f) {
    int n = f.count();
    int d = f.dim();
    double[] mean = new double[d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        mean[t] += f.data()[i * d + t];
      }
    }
    for (int t = 0; t < d; t++) {
      mean[t] /= n;
    }
    double[] cov = new double[d * d];
    for (int i = 0; i < n; i++) {
      for (int s = 0; s < d; s++) {
        for (int t = 0; t < d; t++) {
          cov[s * d + t] += (f.data()[i * d + s] - mean[s]) * (f.data()[i * d + t] - mean[t]);
        }
      }
    }
    for (int k = 0; k < d * d; k++) {
      cov[k] /= n - 1;
    }
    return new double[][] {mean, cov};
  }

  private static void assertClose(GaussianStatistics s, double[][] expected, double relative) {
    double scale = 0;
    for (double v : expected[1]) {
      scale = Math.max(scale, Math.abs(v));
    }
    double meanScale = 0;
    for (double v : expected[0]) {
      meanScale = Math.max(meanScale, Math.abs(v));
    }
    for (int t = 0; t < expected[0].length; t++) {
      assertThat(Math.abs(s.mean()[t] - expected[0][t])).as("mean[%d]", t).isLessThanOrEqualTo(relative * meanScale);
    }
    for (int k = 0; k < expected[1].length; k++) {
      assertThat(Math.abs(s.covariance()[k] - expected[1][k])).as("cov[%d]", k).isLessThanOrEqualTo(relative * scale);
    }
  }

  @ParameterizedTest(name = "n = {0}, d = {1}, offset {2}, chunks of {3}")
  @CsvSource({"2, 1, 0, 4096", "300, 7, 0, 64", "301, 5, 1000, 7", "1000, 16, 1e4, 4096", "257, 3, -50, 1"})
  void matchesTheBruteForceFloat64Loop(int n, int dim, double offset, int chunk) {
    Features f = features(n, dim, offset, 31 + n);
    GaussianStatistics s = GaussianStatistics.of(f, chunk);
    assertThat(s.count()).isEqualTo(n);
    assertThat(s.dim()).isEqualTo(dim);
    // float64 throughout: only summation order differs from the loop
    assertClose(s, bruteForce(f), 1e-11);
  }

  @Test
  void combiningTwoPartsGivesTheStatisticsOfTheWhole() {
    Features whole = features(500, 6, 20, 5);
    Features head = new Features(java.util.Arrays.copyOfRange(whole.data(), 0, 123 * 6), 123, 6);
    Features tail = new Features(java.util.Arrays.copyOfRange(whole.data(), 123 * 6, 500 * 6), 377, 6);
    GaussianStatistics combined = GaussianStatistics.combine(GaussianStatistics.of(head), GaussianStatistics.of(tail));
    assertThat(combined.count()).isEqualTo(500);
    assertClose(combined, bruteForce(whole), 1e-11);
  }

  @Test
  void badInputsAreRefused() {
    assertThatThrownBy(() -> GaussianStatistics.of(features(1, 3, 0, 1)))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at least 2 samples");
    assertThatThrownBy(() -> new GaussianStatistics(3, new double[2], new double[3]))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("2 x 2");
    GaussianStatistics given = GaussianStatistics.ofParameters(new double[] {0}, new double[][] {{1}});
    assertThatThrownBy(() -> GaussianStatistics.combine(given, given))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("count > 0");
  }
}
