package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.HashSet;
import java.util.Set;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * The posterior metrics' arithmetic against independent references: exhaustive enumeration and
 * simulation for E[distinct modes], the binomial closed form for a posterior sampler's expected
 * total variation, and hand-derived values for collapsed and half-collapsed samples.
 */
public class PosteriorMetricsTest {

  @Test
  void expectedDistinctMatchesExhaustiveEnumeration() {
    // all k^n sequences, each with probability k^-n
    for (int[] kn : new int[][] {{3, 4}, {2, 5}, {5, 3}, {1, 6}, {4, 1}}) {
      int k = kn[0];
      int n = kn[1];
      long sequences = Math.round(Math.pow(k, n));
      double sum = 0;
      for (long s = 0; s < sequences; s++) {
        Set<Long> seen = new HashSet<>();
        long rest = s;
        for (int i = 0; i < n; i++) {
          seen.add(rest % k);
          rest /= k;
        }
        sum += seen.size();
      }
      assertThat(PosteriorMetrics.expectedDistinct(k, n)).as("k %d, n %d", k, n).isCloseTo(sum / sequences,
          within(1e-12));
    }
  }

  @Test
  void expectedDistinctMatchesABruteForceSimulationAtTheFacesSize() {
    // K = 1440 joint modes, N = 32 samples: 20,000 simulated posterior samplers
    SplittableRandom random = new SplittableRandom(13);
    int trials = 20_000;
    double sum = 0;
    double sumSq = 0;
    for (int t = 0; t < trials; t++) {
      Set<Integer> seen = new HashSet<>();
      for (int s = 0; s < 32; s++) {
        seen.add(random.nextInt(1440));
      }
      sum += seen.size();
      sumSq += (double) seen.size() * seen.size();
    }
    double mean = sum / trials;
    double se = Math.sqrt((sumSq / trials - mean * mean) / trials);
    assertThat(PosteriorMetrics.expectedDistinct(1440, 32)).isCloseTo(mean, within(4 * se));
    // and by hand: 32 - C(32, 2) / 1440 + O(1/K^2) = 32 - 0.344 + 0.003
    assertThat(PosteriorMetrics.expectedDistinct(1440, 32)).isCloseTo(31.659, within(0.002));
  }

  @Test
  void oneValuePerInputGivesTheClosedFormsOfACollapsedEstimator() {
    int[] card = {5, 6, 4, 4, 3};
    int[][][] codes = new int[7][10][];
    for (int i = 0; i < codes.length; i++) {
      int[] mode = {i % 5, (i * 2) % 6, i % 4, (i + 1) % 4, i % 3};
      for (int s = 0; s < 10; s++) {
        codes[i][s] = mode;
      }
    }
    PosteriorMetrics.Result r = PosteriorMetrics.of(codes, card);
    for (int f = 0; f < card.length; f++) { // 1/2 ((1 - 1/K) + (K - 1)/K) = 1 - 1/K
      assertThat(r.factorTv()[f]).isCloseTo(1 - 1.0 / card[f], within(1e-12));
    }
    assertThat(r.coverage()).isCloseTo(1 / (1440 * (1 - Math.pow(1 - 1 / 1440.0, 10))), within(1e-12));
    assertThat(r.collapseRate()).isEqualTo(1.0);
  }

  @Test
  void twoOfSixValuesGiveTvTwoThirdsWheneverBothShowAtLeastOneSixthOfTheTime() {
    // shares p and 1 - p on two values, 0 on four: 1/2 (|p - 1/6| + |5/6 - p| + 4/6) = 2/3 for p in [1/6, 5/6]
    for (int a = 6; a <= 26; a++) {
      int[] counts = {a, 32 - a, 0, 0, 0, 0};
      assertThat(PosteriorMetrics.totalVariationFromUniform(counts, 32)).isCloseTo(2.0 / 3, within(1e-12));
    }
  }

  @Test
  void uniformSamplesMatchTheBinomialClosedFormOfTheExpectedTv() {
    // a posterior sampler's TV_f: E = (K/2) E|X/N - 1/K|, X ~ Binomial(N, 1/K), summed exactly
    int[] card = {5, 6, 4, 4, 3};
    int n = 32;
    SplittableRandom random = new SplittableRandom(5);
    int[][][] codes = new int[4000][n][card.length];
    for (int[][] input : codes) {
      for (int[] sample : input) {
        for (int f = 0; f < card.length; f++) {
          sample[f] = random.nextInt(card[f]);
        }
      }
    }
    PosteriorMetrics.Result r = PosteriorMetrics.of(codes, card);
    for (int f = 0; f < card.length; f++) {
      assertThat(r.factorTv()[f]).as("factor %d", f).isCloseTo(expectedUniformTv(card[f], n),
          within(4 * r.factorTvStdError()[f]));
    }
    assertThat(r.coverage()).isCloseTo(1, within(4 * r.coverageStdError()));
    // P(all 32 in one of 1440 modes) = 1440^-31: no collapse
    assertThat(r.collapseRate()).isZero();
  }

  /** (K/2) sum_x C(N, x) p^x (1-p)^(N-x) |x/N - p|, p = 1/K. */
  public static double expectedUniformTv(int k, int n) {
    double p = 1.0 / k;
    double sum = 0;
    double logC = 0; // log C(n, x)
    for (int x = 0; x <= n; x++) {
      if (x > 0) {
        logC += Math.log(n - x + 1) - Math.log(x);
      }
      sum += Math.exp(logC + x * Math.log(p) + (n - x) * Math.log1p(-p)) * Math.abs((double) x / n - p);
    }
    return k / 2.0 * sum;
  }

  @Test
  void theMarginalTvSeparatesACollapsedEstimatorFromOneThatVariesOverInputs() {
    int[] k = {4, 3};
    int m = 12;
    int n = 5;
    int[][][] same = new int[m][n][];
    int[][][] cycling = new int[m][n][];
    for (int i = 0; i < m; i++) {
      for (int s = 0; s < n; s++) {
        same[i][s] = new int[] {1, 2};
        cycling[i][s] = new int[] {i % 4, i % 3}; // deterministic per input, every value equally often
      }
    }
    PosteriorMetrics.Result collapsed = PosteriorMetrics.of(same, k);
    PosteriorMetrics.Result varied = PosteriorMetrics.of(cycling, k);
    // per input both are a point mass: TV_f(i) = 1 - 1/K_f
    assertThat(collapsed.factorTv()).containsExactly(new double[] {0.75, 2.0 / 3}, within(1e-12));
    assertThat(varied.factorTv()).containsExactly(new double[] {0.75, 2.0 / 3}, within(1e-12));
    // pooled: the collapsed one keeps 1 - 1/K_f, the varied one matches the prior exactly
    assertThat(collapsed.marginalTv()).containsExactly(new double[] {0.75, 2.0 / 3}, within(1e-12));
    assertThat(collapsed.meanMarginalTv()).isCloseTo((0.75 + 2.0 / 3) / 2, within(1e-12));
    assertThat(varied.marginalTv()).containsExactly(new double[] {0, 0}, within(1e-12));
    // two of four values, 3 : 1 over the pooled samples: 1/2 (|3/4 - 1/4| + |1/4 - 1/4| + 2 * 1/4) = 1/2
    int[][][] skewed = new int[4][1][];
    skewed[0][0] = new int[] {0};
    skewed[1][0] = new int[] {0};
    skewed[2][0] = new int[] {0};
    skewed[3][0] = new int[] {1};
    assertThat(PosteriorMetrics.of(skewed, new int[] {4}).meanMarginalTv()).isCloseTo(0.5, within(1e-12));
  }
}
