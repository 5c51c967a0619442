package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.restorelab.config.DistanceBackend;

class PrecisionRecallTest {
  private static PairwiseDistances java;
  private static PairwiseDistances tensorflow;

  @BeforeAll
  static void backends() {
    java = PairwiseDistances.create(DistanceBackend.JAVA, 2);
    tensorflow = PairwiseDistances.create(DistanceBackend.TENSORFLOW, 2);
  }

  @AfterAll
  static void close() {
    java.close();
    tensorflow.close();
  }

  private static PairwiseDistances backend(String name) {
    return name.equals("JAVA") ? java : tensorflow;
  }

  /** Integer-grid points: every squared distance is exact in float32 on both backends, so ties are real. */
  private static double[][] grid(int n, int dim, int range, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][dim];
    for (double[] row : x) {
      for (int t = 0; t < dim; t++) {
        row[t] = r.nextInt(-range, range + 1);
      }
    }
    return x;
  }

  private static double[][] gaussian(int n, int dim, double shift, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] x = new double[n][dim];
    for (double[] row : x) {
      for (int t = 0; t < dim; t++) {
        row[t] = r.nextGaussian() + shift;
      }
    }
    return x;
  }

  @ParameterizedTest(name = "{0} backend, k = {1}, tile = {2}, dim = {3}")
  @CsvSource({
    "JAVA, 1, 1, 2", "JAVA, 3, 7, 3", "JAVA, 5, 64, 2", "JAVA, 22, 5, 4",
    "TENSORFLOW, 1, 1, 2", "TENSORFLOW, 3, 7, 3", "TENSORFLOW, 5, 64, 2", "TENSORFLOW, 22, 5, 4"
  })
  void equalsBruteForceOnGridPointsWithTies(String backend, int k, int tile, int dim) {
    double[][] real = grid(37, dim, 4, 1);
    double[][] fake = grid(23, dim, 5, 2);
    double[] expected = BruteForcePrecisionRecall.precisionRecall(real, fake, k);
    PrecisionRecall.Result got = new PrecisionRecall(k, tile, backend(backend))
        .compute(Features.of(real), Features.of(fake));
    assertThat(got.precision()).isEqualTo(expected[0]);
    assertThat(got.recall()).isEqualTo(expected[1]);
  }

  @ParameterizedTest(name = "{0} backend")
  @CsvSource({"JAVA", "TENSORFLOW"})
  void equalsBruteForceOnRandomContinuousFeatures(String backend) {
    double[][] real = gaussian(150, 16, 0, 3);
    double[][] fake = gaussian(120, 16, 0.4, 4);
    double[] expected = BruteForcePrecisionRecall.precisionRecall(real, fake, 3);
    PrecisionRecall.Result got = new PrecisionRecall(3, 32, backend(backend))
        .compute(Features.of(real), Features.of(fake));
    // float32 distances may flip a comparison that float64 decides by less than ~1e-6
    double slack = backend.equals("JAVA") ? 0 : 1.0 / 120;
    assertThat(got.precision()).isCloseTo(expected[0], within(slack));
    assertThat(got.recall()).isCloseTo(expected[1], within(slack));
    assertThat(expected[0]).isBetween(0.05, 0.95); // the case is not trivial
  }

  @Test
  void kthNeighbourRadiiMatchBruteForce() {
    double[][] set = gaussian(50, 5, 0, 5);
    float[] got = new PrecisionRecall(4, 8, java).squaredRadii(Features.of(set), "real");
    double[] expected = BruteForcePrecisionRecall.radii(set, 4);
    for (int i = 0; i < set.length; i++) {
      assertThat((double) got[i]).isCloseTo(expected[i], within(1e-5 * expected[i]));
    }
  }

  @ParameterizedTest
  @CsvSource({"JAVA", "TENSORFLOW"})
  void identicalSetsHavePerfectPrecisionAndRecall(String backend) {
    double[][] x = gaussian(200, 8, 0, 6);
    PrecisionRecall.Result r = new PrecisionRecall(5, 64, backend(backend)).compute(Features.of(x), Features.of(x));
    assertThat(r.precision()).isEqualTo(1.0);
    assertThat(r.recall()).isEqualTo(1.0);
  }

  @ParameterizedTest
  @CsvSource({"JAVA", "TENSORFLOW"})
  void disjointSupportsHaveZeroPrecisionAndRecall(String backend) {
    PrecisionRecall.Result r = new PrecisionRecall(5, 64, backend(backend))
        .compute(Features.of(gaussian(100, 3, 0, 7)), Features.of(gaussian(100, 3, 100, 8)));
    assertThat(r.precision()).isZero();
    assertThat(r.recall()).isZero();
  }

  @Test
  void aDistanceExactlyAtTheRadiusCountsAsInside() {
    // real points 0, 1, 2 on a line, k = 1: every radius is exactly 1
    double[][] real = {{0}, {1}, {2}};
    PrecisionRecall metric = new PrecisionRecall(1, 2, java);
    assertThat(metric.coverage(Features.of(new double[][] {{3}}), Features.of(real),
        metric.squaredRadii(Features.of(real), "real"))).isEqualTo(1.0);
    assertThat(metric.coverage(Features.of(new double[][] {{3.0001}}), Features.of(real),
        metric.squaredRadii(Features.of(real), "real"))).isEqualTo(0.0);
    assertThat(new PrecisionRecall(1, 2, tensorflow).coverage(Features.of(new double[][] {{-1}, {4}}),
        Features.of(real), metric.squaredRadii(Features.of(real), "real"))).isEqualTo(0.5);
  }

  @Test
  void recallUsesTheGeneratedRadiiNotTheRealOnes() {
    // real: a tight cluster (tiny radii); generated: spread out around it (large radii)
    double[][] real = new double[20][];
    double[][] fake = new double[20][];
    for (int i = 0; i < 20; i++) {
      real[i] = new double[] {0.001 * i, 0};
      fake[i] = new double[] {Math.cos(i * 0.314), Math.sin(i * 0.314)};
    }
    // k = 10: a generated radius is the chord over 5 steps of 2 pi / 20, 2 sin(pi / 4) = 1.41 > 1
    PrecisionRecall.Result r = new PrecisionRecall(10, 8, java).compute(Features.of(real), Features.of(fake));
    assertThat(r.recall()).isEqualTo(1.0); // with the real radii it would be 0
    assertThat(r.precision()).isEqualTo(0.0);
  }

  @Test
  void kAtItsEdges() {
    double[][] real = gaussian(10, 2, 0, 9);
    double[][] fake = gaussian(10, 2, 3, 10);
    // k = n - 1: a radius is the distance to the farthest other sample
    double[] expected = BruteForcePrecisionRecall.precisionRecall(real, fake, 9);
    PrecisionRecall.Result r = new PrecisionRecall(9, 3, java).compute(Features.of(real), Features.of(fake));
    assertThat(new double[] {r.precision(), r.recall()}).containsExactly(expected);
    assertThatThrownBy(() -> new PrecisionRecall(10, 3, java).compute(Features.of(real), Features.of(fake)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("k = 10").hasMessageContaining("at least k + 1 = 11 real samples, got 10");
    assertThatThrownBy(() -> new PrecisionRecall(0, 3, java))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("k must be >= 1");
  }

  @Test
  void duplicatesOfASampleAreNeighboursAtDistanceZero() {
    double[][] set = {{0, 0}, {0, 0}, {5, 5}};
    float[] r = new PrecisionRecall(1, 4, java).squaredRadii(Features.of(set), "real");
    assertThat(r).containsExactly(0f, 0f, 50f);
  }

  @Test
  void tilingAndParallelRowTilesDoNotChangeTheResult() {
    double[][] real = gaussian(300, 6, 0, 11);
    double[][] fake = gaussian(280, 6, 0.3, 12);
    PrecisionRecall.Result whole = new PrecisionRecall(3, 1024, java).compute(Features.of(real), Features.of(fake));
    PrecisionRecall.Result tiled = new PrecisionRecall(3, 17, java).compute(Features.of(real), Features.of(fake));
    PrecisionRecall.Result tf = new PrecisionRecall(3, 17, tensorflow).compute(Features.of(real), Features.of(fake));
    assertThat(tiled).isEqualTo(whole);
    assertThat(tf.precision()).isCloseTo(whole.precision(), within(1.0 / 280));
    assertThat(tf.recall()).isCloseTo(whole.recall(), within(1.0 / 300));
  }

  @Test
  void mismatchedDimensionsAreRejected() {
    assertThatThrownBy(() -> new PrecisionRecall(1, 4, java)
        .compute(Features.of(gaussian(5, 2, 0, 1)), Features.of(gaussian(5, 3, 0, 1))))
        .hasMessageContaining("dimension 2").hasMessageContaining("3");
  }
}
