package org.restorelab.metric;

import java.util.HashSet;
import java.util.Set;

/**
 * How far the samples of an estimator are from a posterior sampler, for a posterior that is
 * uniform over the joint values of F independent hidden factors (factor f has K_f values, the
 * posterior K = prod_f K_f equally likely joint modes). Given, for each of M inputs, the
 * classified hidden factor codes of N samples, c[i][s][f] in [0, K_f):
 * <pre>
 *   TV_f(i)    = 1/2 sum_v | #{s : c[i][s][f] = v} / N - 1 / K_f |     factor f's total variation
 *   TV_f       = mean_i TV_f(i);   TV = mean_f TV_f
 *   coverage   = mean_i D(i) / E[D],  D(i) = #distinct joint modes among input i's N samples,
 *                E[D] = K (1 - (1 - 1/K)^N)   what a true posterior sampler reaches at N
 *   collapse   = #{i : D(i) = 1} / M
 *   marginal TV_f = 1/2 sum_v | #{(i, s) : c[i][s][f] = v} / (M N) - 1 / K_f |   pooled over inputs
 * </pre>
 * The marginal TV compares the distribution of a hidden factor over all inputs' samples with its
 * prior (uniform; hidden factors are independent of the visible ones): the perceptual quality of
 * the estimator in the known factors. A deterministic estimator has TV_f(i) = 1 - 1/K_f at every
 * input, yet can reach a marginal TV near 0 by choosing different hidden values for different
 * inputs; one that always renders the same hidden value has marginal TV 1 - 1/K_f too.
 * Standard errors are over inputs (sample std / sqrt(M)). The finite-sample floor of these
 * numbers is what the exact posterior sampler scores at the same M and N.
 */
public final class PosteriorMetrics {
  /**
   * The metrics of one estimator: per-factor TV (hidden-factor order) with their standard errors,
   * the mean over factors, coverage with its standard error, collapse rate, M and N, and the
   * marginal (pooled) TV per factor with its mean over factors.
   */
  public record Result(double[] factorTv, double[] factorTvStdError, double meanTv, double coverage,
      double coverageStdError, double collapseRate, int inputs, int samples, double[] marginalTv,
      double meanMarginalTv) {}

  private PosteriorMetrics() {}

  /**
   * E[number of distinct values among n independent uniform draws from k values] =
   * k (1 - (1 - 1/k)^n): each value is missed by all n draws with probability (1 - 1/k)^n.
   * Computed as -k expm1(n log1p(-1/k)), exact to rounding for large k.
   */
  public static double expectedDistinct(long k, int n) {
    if (k < 1 || n < 0) {
      throw new IllegalArgumentException("expectedDistinct needs k >= 1 and n >= 0, got k " + k + ", n " + n);
    }
    if (k == 1) {
      return n == 0 ? 0 : 1;
    }
    return -k * Math.expm1(n * Math.log1p(-1.0 / k));
  }

  /**
   * The metrics of {@code codes} [M][N][F] against the uniform posterior over {@code cardinalities}
   * [F] (K_f per hidden factor).
   */
  public static Result of(int[][][] codes, int[] cardinalities) {
    int m = codes.length;
    if (m == 0) {
      throw new IllegalArgumentException("posterior metrics need at least one input");
    }
    int n = codes[0].length;
    int factors = cardinalities.length;
    long modes = 1;
    for (int k : cardinalities) {
      modes *= k;
    }
    double expected = expectedDistinct(modes, n);
    double[][] tv = new double[factors][m];
    int[][] pooled = new int[factors][];
    for (int f = 0; f < factors; f++) {
      pooled[f] = new int[cardinalities[f]];
    }
    double[] coverage = new double[m];
    int collapsed = 0;
    for (int i = 0; i < m; i++) {
      if (codes[i].length != n) {
        throw new IllegalArgumentException("input " + i + " has " + codes[i].length + " samples, not " + n);
      }
      for (int f = 0; f < factors; f++) {
        int[] counts = new int[cardinalities[f]];
        for (int[] sample : codes[i]) {
          counts[sample[f]]++;
          pooled[f][sample[f]]++;
        }
        tv[f][i] = totalVariationFromUniform(counts, n);
      }
      Set<Long> distinct = new HashSet<>();
      for (int[] sample : codes[i]) {
        distinct.add(jointMode(sample, cardinalities));
      }
      coverage[i] = distinct.size() / expected;
      if (distinct.size() == 1) {
        collapsed++;
      }
    }
    double[] factorTv = new double[factors];
    double[] factorSe = new double[factors];
    double meanTv = 0;
    for (int f = 0; f < factors; f++) {
      factorTv[f] = mean(tv[f]);
      factorSe[f] = stdError(tv[f]);
      meanTv += factorTv[f] / factors;
    }
    double[] marginalTv = new double[factors];
    double meanMarginalTv = 0;
    for (int f = 0; f < factors; f++) {
      marginalTv[f] = totalVariationFromUniform(pooled[f], m * n);
      meanMarginalTv += marginalTv[f] / factors;
    }
    return new Result(factorTv, factorSe, meanTv, mean(coverage), stdError(coverage), (double) collapsed / m, m, n,
        marginalTv, meanMarginalTv);
  }

  /** 1/2 sum_v |counts_v / n - 1/K| with K = counts.length. */
  public static double totalVariationFromUniform(int[] counts, int n) {
    double sum = 0;
    for (int c : counts) {
      sum += Math.abs((double) c / n - 1.0 / counts.length);
    }
    return sum / 2;
  }

  /** The joint mode index sum_f c_f prod_{g < f} K_g (mixed radix). */
  static long jointMode(int[] codes, int[] cardinalities) {
    long index = 0;
    long radix = 1;
    for (int f = 0; f < cardinalities.length; f++) {
      index += codes[f] * radix;
      radix *= cardinalities[f];
    }
    return index;
  }

  private static double mean(double[] v) {
    return MeanStd.of(v).mean();
  }

  /** Standard error of the mean, std / sqrt(n) (NaN for one value). */
  private static double stdError(double[] v) {
    MeanStd ms = MeanStd.of(v);
    return v.length < 2 ? Double.NaN : ms.std() / Math.sqrt(v.length);
  }
}
