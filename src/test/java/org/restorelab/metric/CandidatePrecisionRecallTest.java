package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.config.PrecisionRecallConfig.CandidatePass;
import org.restorelab.metric.Bfloat16Products.Block;
import org.restorelab.metric.Bfloat16Products.Bounds;

/**
 * The bfloat16 candidate pass against a float64 brute force written independently here (one
 * accumulator, full sort of every distance), on data with ties at the k-th distance, duplicate
 * points, large offsets (where bfloat16 rounding is coarse) and too few candidates (the fallback).
 */
class CandidatePrecisionRecallTest {

  @BeforeAll
  static void bfloat16MatMulAccumulatesInFloat32() {
    // the bounds are derived for float32 accumulation; the metric refuses other kernels
    assumeTrue(Bfloat16Products.kernelAccumulatesInFloat32(), "bfloat16 MatMul without float32 accumulation");
  }

  private static double brute(Features a, int i, Features b, int j) {
    double s = 0;
    for (int t = 0; t < a.dim(); t++) {
      double d = (double) a.data()[i * a.dim() + t] - b.data()[j * b.dim() + t];
      s += d * d;
    }
    return s;
  }

  private static double[] bruteRadii(Features f, int k) {
    double[] r = new double[f.count()];
    for (int i = 0; i < f.count(); i++) {
      double[] d = new double[f.count() - 1];
      int c = 0;
      for (int j = 0; j < f.count(); j++) {
        if (j != i) {
          d[c++] = brute(f, i, f, j);
        }
      }
      Arrays.sort(d);
      r[i] = d[k - 1];
    }
    return r;
  }

  private static double bruteCoverage(Features queries, Features centres, double[] radii) {
    int covered = 0;
    for (int q = 0; q < queries.count(); q++) {
      for (int c = 0; c < centres.count(); c++) {
        if (brute(queries, q, centres, c) <= radii[c]) {
          covered++;
          break;
        }
      }
    }
    return covered / (double) queries.count();
  }

  /** Small integers: exact in bfloat16 and float64, so ties at the k-th distance and duplicates are real. */
  private static Features grid(int n, int dim, int range, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) {
      x[i] = r.nextInt(-range, range + 1);
    }
    return new Features(x, n, dim);
  }

  private static Features gaussian(int n, int dim, double offset, double scale, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] x = new float[n * dim];
    for (int i = 0; i < x.length; i++) {
      x[i] = (float) (offset + scale * r.nextGaussian());
    }
    return new Features(x, n, dim);
  }

  /**
   * Radii equal to the brute force's: exactly on integer grids; to float64 rounding of the two
   * summation orders on real-valued features.
   */
  private static void assertRadii(double[] actual, double[] expected, boolean exact) {
    if (exact) {
      assertThat(actual).containsExactly(expected);
      return;
    }
    assertThat(actual).hasSameSizeAs(expected);
    for (int i = 0; i < expected.length; i++) {
      assertThat(actual[i]).as("radius %d", i).isCloseTo(expected[i], within(1e-12 * expected[i]));
    }
  }

  private static void assertMatchesBruteForce(Features real, Features generated, int k, int tile, int candidates,
      boolean integers) {
    double[] realRadii = bruteRadii(real, k);
    double[] generatedRadii = bruteRadii(generated, k);
    CandidatePrecisionRecall metric = new CandidatePrecisionRecall(k, tile, candidates);
    try (Bfloat16Products products = new Bfloat16Products()) {
      float[] mu = CandidatePrecisionRecall.mean(real);
      List<Block> rb = products.prepareAll(real, tile, mu);
      List<Block> gb = products.prepareAll(generated, tile, mu);
      assertRadii(metric.squaredRadii(products, real, rb, mu, "real"), realRadii, integers);
      assertRadii(metric.squaredRadii(products, generated, gb, mu, "generated"), generatedRadii, integers);
      PrecisionRecall.Result pr = metric.coverage(products, real, rb, realRadii, generated, gb, generatedRadii);
      assertThat(pr.precision()).isEqualTo(bruteCoverage(generated, real, realRadii));
      assertThat(pr.recall()).isEqualTo(bruteCoverage(real, generated, generatedRadii));
    }
    PrecisionRecall.Result whole = metric.compute(real, generated);
    assertThat(whole.precision()).isEqualTo(bruteCoverage(generated, real, realRadii));
    assertThat(whole.recall()).isEqualTo(bruteCoverage(real, generated, generatedRadii));
  }

  @ParameterizedTest(name = "grid: n = {0}, dim = {1}, range = {2}, k = {3}, tile = {4}, candidates = {5}")
  @CsvSource({
    "150, 3, 1, 3, 32, 3", // 27 grid points for 150 samples: duplicates and ties everywhere
    "150, 3, 1, 3, 150, 16",
    "200, 8, 2, 3, 64, 5",
    "120, 16, 3, 5, 17, 5",
    "90, 4, 2, 1, 1000, 1"})
  void equalsTheBruteForceOnIntegerGrids(int n, int dim, int range, int k, int tile, int candidates) {
    assertMatchesBruteForce(grid(n, dim, range, 1), grid(n + 7, dim, range, 2), k, tile, candidates, true);
  }

  @ParameterizedTest(name = "gaussian: dim = {0}, offset = {1}, scale = {2}, tile = {3}, candidates = {4}")
  @CsvSource({
    "256, 0, 1, 64, 16",
    "256, 30, 0.5, 100, 8", // far from the origin: centring is what keeps the bounds tight
    "64, 1000, 1, 128, 3", // bfloat16 cannot even hold the offset's digits: fallbacks
    "2048, 0.5, 1, 200, 16"})
  void equalsTheBruteForceOnGaussians(int dim, double offset, double scale, int tile, int candidates) {
    assertMatchesBruteForce(gaussian(300, dim, offset, scale, 3), gaussian(280, dim, offset, scale * 1.1, 4),
        3, tile, candidates, false);
  }

  @Test
  void tooFewCandidatesFallBackAndStayExact() {
    // clusters of near-identical points: k = 3 candidates are rarely enough to prove a radius
    Features real = gaussian(240, 32, 0, 1, 5);
    float[] x = real.data().clone();
    for (int i = 0; i < x.length; i++) {
      x[i] = Math.round(x[i] * 2) / 2f;
    }
    Features clustered = new Features(x, 240, 32);
    CandidatePrecisionRecall metric = new CandidatePrecisionRecall(3, 50, 3);
    try (Bfloat16Products products = new Bfloat16Products()) {
      float[] mu = CandidatePrecisionRecall.mean(clustered);
      double[] r = metric.squaredRadii(products, clustered, products.prepareAll(clustered, 50, mu), mu, "real");
      assertThat(r).containsExactly(bruteRadii(clustered, 3));
    }
    assertThat(metric.fallbackPoints()).isPositive();
  }

  @ParameterizedTest(name = "shifted by the mean: {0}")
  @CsvSource({"false", "true"})
  void pessimisticDistanceAndThresholdBoundEveryPair(boolean centred) {
    Features f = gaussian(200, 512, 20, 2, 6);
    try (Bfloat16Products products = new Bfloat16Products()) {
      // without the shift, bfloat16 rounds the offset coarsely and the bounds decide little
      float[] mu = centred ? CandidatePrecisionRecall.mean(f) : new float[f.dim()];
      List<Block> blocks = products.prepareAll(f, 200, mu);
      Bounds bounds = Bounds.against(blocks, f.dim());
      Block b = blocks.get(0);
      float[] o = new float[200 * 200];
      products.products(b, b, o);
      int decided = 0;
      for (int i = 0; i < 200; i++) {
        for (int j = 0; j < 200; j++) {
          double exact = brute(f, i, f, j);
          double p = bounds.pessimistic(b.norm[i], b.norm[j], o[i * 200 + j]);
          for (double r : new double[] {0.5 * exact, 0.99 * exact, exact}) {
            if (p > bounds.threshold(b.norm[i], b.rho[i], r)) {
              assertThat(exact).as("pair %d, %d, r = %s", i, j, r).isGreaterThan(r);
              decided++;
            }
          }
        }
      }
      if (centred) {
        assertThat(decided).as("the bounds decide most pairs at r = exact / 2").isGreaterThan(200 * 200 / 2);
      }
    }
  }

  @Test
  void configSelectsThePass() {
    try (PairwiseDistances tf = PairwiseDistances.create(DistanceBackend.TENSORFLOW, 8);
        PairwiseDistances java = PairwiseDistances.create(DistanceBackend.JAVA, 8)) {
      PrecisionRecallConfig bf16 = PrecisionRecallConfig.newBuilder().setK(3)
          .setCandidatePass(CandidatePass.BFLOAT16).build();
      assertThat(PrecisionRecall.of(bf16, tf).candidatePass()).isTrue();
      assertThat(PrecisionRecall.of(bf16, java).candidatePass()).isFalse();
      assertThat(PrecisionRecall.of(bf16.toBuilder().setCandidatePass(CandidatePass.OFF).build(), tf)
          .candidatePass()).isFalse();
      Features real = gaussian(300, 8, 0, 1, 7);
      Features generated = gaussian(300, 8, 0.3, 1, 8);
      PrecisionRecall.Result fast = PrecisionRecall.of(bf16, tf).compute(real, generated);
      PrecisionRecall.Result tiles = new PrecisionRecall(3, 1024, tf).compute(real, generated);
      assertThat(fast).isEqualTo(tiles);
    }
    assertThatThrownBy(() -> new CandidatePrecisionRecall(3, 64, 2))
        .hasMessageContaining("precision_recall.candidates must be >= k = 3");
  }
}
