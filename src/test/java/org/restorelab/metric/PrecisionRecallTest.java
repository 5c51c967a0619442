package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import java.util.stream.IntStream;
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

  /** Counts the tiles a backend computes, to see which passes skip work. */
  private static final class CountingTiles implements PairwiseDistances {
    private final PairwiseDistances inner;
    private final boolean threadSafe;
    private final java.util.concurrent.atomic.AtomicLong tiles = new java.util.concurrent.atomic.AtomicLong();

    CountingTiles(PairwiseDistances inner) {
      this(inner, inner.threadSafe());
    }

    /** {@code threadSafe} false: row tiles one after the other, so which tiles are skipped is deterministic. */
    CountingTiles(PairwiseDistances inner, boolean threadSafe) {
      this.inner = inner;
      this.threadSafe = threadSafe;
    }

    @Override
    public void squaredDistances(Features a, int a0, int a1, Features b, int b0, int b1, float[] out) {
      tiles.incrementAndGet();
      inner.squaredDistances(a, a0, a1, b, b0, b1, out);
    }

    @Override
    public boolean threadSafe() {
      return threadSafe;
    }

    @Override
    public void close() {}
  }

  @ParameterizedTest(name = "{0} backend, k = {1}, tile = {2}")
  @CsvSource({
    "JAVA, 1, 1", "JAVA, 3, 7", "JAVA, 4, 16", "JAVA, 22, 5", "JAVA, 3, 500",
    "TENSORFLOW, 1, 1", "TENSORFLOW, 3, 7", "TENSORFLOW, 4, 16", "TENSORFLOW, 22, 5"
  })
  void symmetricRadiiEqualTheFullPassBitForBitWithTiesAndDuplicates(String backend, int k, int tile) {
    // grid points: exact squared distances on both backends, many ties at the k-th distance,
    // and with range 2 in 3-d (125 cells) for 173 points, duplicates of points too
    double[][] set = grid(173, 3, 2, 21);
    PrecisionRecall metric = new PrecisionRecall(k, tile, backend(backend));
    float[] symmetric = metric.squaredRadii(Features.of(set), "real");
    float[] full = metric.squaredRadiiFullPass(Features.of(set), "real");
    assertThat(symmetric).containsExactly(full);
    double[] expected = BruteForcePrecisionRecall.radii(set, k);
    for (int i = 0; i < set.length; i++) {
      assertThat((double) symmetric[i]).isEqualTo(expected[i]);
    }
    if (k == 1) {
      assertThat(symmetric).contains(0f); // the case has duplicates
    }
  }

  @Test
  void symmetricRadiiReadEachTileOnOrAboveTheDiagonalOnce() {
    double[][] set = gaussian(100, 4, 0, 22);
    CountingTiles counting = new CountingTiles(java);
    float[] radii = new PrecisionRecall(3, 30, counting).squaredRadii(Features.of(set), "real");
    assertThat(counting.tiles.get()).isEqualTo(4 * 5 / 2); // 4 row tiles (30, 30, 30, 10)
    double[] expected = BruteForcePrecisionRecall.radii(set, 3);
    for (int i = 0; i < set.length; i++) {
      assertThat((double) radii[i]).isCloseTo(expected[i], within(1e-5 * expected[i]));
    }
  }

  @ParameterizedTest(name = "{0} backend, tile = {1}")
  @CsvSource({"JAVA, 1", "JAVA, 9", "JAVA, 64", "TENSORFLOW, 1", "TENSORFLOW, 9", "TENSORFLOW, 64"})
  void theFusedPassEqualsTheTwoCoveragePassesAndBruteForce(String backend, int tile) {
    double[][] real = grid(61, 3, 3, 23);
    double[][] fake = grid(47, 3, 3, 24);
    for (double[] row : fake) {
      row[0] += 3; // half overlapping supports: neither precision nor recall is 0 or 1
    }
    PrecisionRecall metric = new PrecisionRecall(3, tile, backend(backend));
    PrecisionRecall.Result fast = metric.compute(Features.of(real), Features.of(fake));
    PrecisionRecall.Result reference = metric.computeWithFullPasses(Features.of(real), Features.of(fake));
    assertThat(fast).isEqualTo(reference);
    double[] expected = BruteForcePrecisionRecall.precisionRecall(real, fake, 3);
    assertThat(new double[] {fast.precision(), fast.recall()}).containsExactly(expected);
    assertThat(expected[0]).isBetween(0.05, 0.999);
    assertThat(expected[1]).isBetween(0.05, 0.999);
  }

  @ParameterizedTest(name = "{0} backend, k = {1}, tile = {2}")
  @CsvSource({"JAVA, 1, 7", "JAVA, 3, 16", "JAVA, 5, 40", "TENSORFLOW, 3, 16", "TENSORFLOW, 2, 25"})
  void rowTileBlocksRunApartAndMergedInAnyOrderEqualComputeBitForBit(String backend, int k, int tile) {
    // what a cluster does: each row tile's neighbours in lists of their own, merged in a shuffled
    // order; coverage flags per row tile, ORed together. Continuous points (every tile's rounding
    // matters) and grid points (ties and duplicates at the k-th distance).
    for (boolean continuous : new boolean[] {true, false}) {
      double[][] real = continuous ? gaussian(131, 5, 0, 31) : grid(131, 3, 2, 31);
      double[][] fake = continuous ? gaussian(97, 5, 0.7, 32) : grid(97, 3, 2, 32);
      if (!continuous) {
        for (double[] row : fake) {
          row[0] += 2; // half overlapping supports: precision is neither 0 nor 1
        }
      }
      PrecisionRecall metric = new PrecisionRecall(k, tile, backend(backend));
      Features r = Features.of(real);
      Features g = Features.of(fake);
      float[] realRadii = mergedRadii(metric, r, 41);
      float[] generatedRadii = mergedRadii(metric, g, 42);
      assertThat(realRadii).containsExactly(metric.squaredRadii(r, "real"));
      assertThat(generatedRadii).containsExactly(metric.squaredRadii(g, "generated"));

      boolean[] realCovered = new boolean[r.count()];
      boolean[] generatedCovered = new boolean[g.count()];
      for (int t : shuffled(metric.tiles(r.count()), 43)) {
        boolean[] rows = new boolean[r.count()];
        boolean[] columns = new boolean[g.count()];
        metric.coverRowTile(r, g, realRadii, generatedRadii, t, rows, columns, new float[tile * tile]);
        for (int i = 0; i < rows.length; i++) {
          realCovered[i] |= rows[i];
        }
        for (int j = 0; j < columns.length; j++) {
          generatedCovered[j] |= columns[j];
        }
      }
      PrecisionRecall.Result merged = PrecisionRecall.result(realCovered, generatedCovered);
      assertThat(merged).isEqualTo(metric.compute(r, g));
      double[] expected = BruteForcePrecisionRecall.precisionRecall(real, fake, k);
      if (!continuous) { // exact distances on the grid: equal to the float64 brute force too
        assertThat(new double[] {merged.precision(), merged.recall()}).containsExactly(expected);
      }
      assertThat(merged.precision()).isBetween(0.05, 0.999);
    }
  }

  private static float[] mergedRadii(PrecisionRecall metric, Features set, long seed) {
    float[] all = metric.emptyNeighbours(set.count());
    for (int a : shuffled(metric.tiles(set.count()), seed)) {
      float[] own = metric.emptyNeighbours(set.count());
      metric.addRowTileNeighbours(set, a, own, null, new float[set.count() * set.count()]);
      metric.mergeNeighbours(all, own);
    }
    return metric.radii(all);
  }

  private static int[] shuffled(int n, long seed) {
    int[] order = IntStream.range(0, n).toArray();
    SplittableRandom r = new SplittableRandom(seed);
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = order[i];
      order[i] = order[j];
      order[j] = t;
    }
    return order;
  }

  @Test
  void mergingNeighbourListsOfDifferentSizesIsRefused() {
    PrecisionRecall metric = new PrecisionRecall(3, 4, java);
    assertThatThrownBy(() -> metric.mergeNeighbours(metric.emptyNeighbours(5), metric.emptyNeighbours(6)))
        .hasMessageContaining("5 and 6 samples");
  }

  @Test
  void theFusedPassSkipsTilesWhoseRowsAndColumnsAreAllCovered() {
    // three copies of 30 points, one per tile of 30: with k = 2 every radius is 0 (two
    // duplicates) and a point is covered by any of its copies
    double[][] base = gaussian(30, 3, 0, 25);
    double[][] x = new double[90][];
    for (int i = 0; i < 90; i++) {
      x[i] = base[i % 30];
    }
    PrecisionRecall metric = new PrecisionRecall(2, 30, java);
    float[] radii = metric.squaredRadii(Features.of(x), "real");
    assertThat(radii).containsOnly(0f);
    // sequential row tiles: with parallel ones, whether a tile is skipped depends on timing
    CountingTiles counting = new CountingTiles(java, false);
    PrecisionRecall.Result r = new PrecisionRecall(2, 30, counting)
        .fusedCoverage(Features.of(x), Features.of(x), radii, radii);
    assertThat(r).isEqualTo(new PrecisionRecall.Result(1.0, 1.0));
    // row tile 0 reads all three column tiles and covers every generated point; row tiles 1 and
    // 2 then need only column tile 0 to cover their rows: 3 + 1 + 1 of the 9 tiles
    assertThat(counting.tiles.get()).isEqualTo(5);
  }

  @Test
  void symmetricRadiiOnParallelRowTilesEqualTheSequentialOnes() {
    double[][] set = gaussian(700, 5, 0, 26);
    PairwiseDistances sequential = new PairwiseDistances() {
      @Override
      public void squaredDistances(Features a, int a0, int a1, Features b, int b0, int b1, float[] out) {
        java.squaredDistances(a, a0, a1, b, b0, b1, out);
      }

      @Override
      public boolean threadSafe() {
        return false;
      }

      @Override
      public void close() {}
    };
    float[] parallel = new PrecisionRecall(5, 37, java).squaredRadii(Features.of(set), "real");
    float[] single = new PrecisionRecall(5, 37, sequential).squaredRadii(Features.of(set), "real");
    float[] full = new PrecisionRecall(5, 37, java).squaredRadiiFullPass(Features.of(set), "real");
    assertThat(parallel).containsExactly(single);
    assertThat(parallel).containsExactly(full);
  }
}
