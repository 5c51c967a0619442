package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.restorelab.bench.FullScaleMetricsBenchmark;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.restorelab.config.DistanceBackend;
import org.restorelab.metric.FeatureFile;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;

/**
 * The blocked k-NN over Spark tasks ({@code local[2]}) gives the driver's radii bit for bit and
 * its precision and recall, on both distance backends, with uneven sets and tiles; its task
 * groups hold every row tile once; and {@code restorelab-spark bench-precision-recall} writes a
 * report whose paths agree.
 */
class BlockedPrecisionRecallTest {
  private static JavaSparkContext sc;

  @TempDir static Path dir;

  @BeforeAll
  static void spark() {
    sc = new JavaSparkContext(new SparkConf().setMaster("local[2]").setAppName("blocked-pr-test")
        .set("spark.ui.enabled", "false"));
  }

  @AfterAll
  static void stop() {
    sc.close();
  }

  /** Gaussian rows, the generated ones shifted so that precision and recall are neither 0 nor 1. */
  private static Features gaussian(int n, int dim, double shift, long seed) {
    Features f = FullScaleMetricsBenchmark.randomFeatures(n, dim, seed);
    for (int i = 0; i < f.data().length; i++) {
      f.data()[i] += (float) shift;
    }
    return f;
  }


  @ParameterizedTest(name = "{0}, k = {1}, tile = {2}, {3} tasks")
  @CsvSource({"TENSORFLOW, 3, 64, 3", "TENSORFLOW, 5, 100, 8", "JAVA, 3, 37, 2", "JAVA, 1, 500, 4"})
  void equalsTheDriverBitForBit(DistanceBackend backend, int k, int tile, int tasks) throws Exception {
    Features real = gaussian(401, 24, 0, 1);
    Features generated = gaussian(333, 24, 0.3, 2);
    Path realFile = dir.resolve("real-" + backend + k + tile + ".f32");
    Path generatedFile = dir.resolve("generated-" + backend + k + tile + ".f32");
    FeatureFile.write(realFile, real);
    FeatureFile.write(generatedFile, generated);

    BlockedPrecisionRecall.Outcome blocked = BlockedPrecisionRecall.compute(sc,
        BlockedPrecisionRecall.Inputs.of(realFile, real.count(), generatedFile, generated.count(), real.dim()), k,
        tile, backend, tasks);

    try (PairwiseDistances d = PairwiseDistances.create(backend, real.dim())) {
      PrecisionRecall driver = new PrecisionRecall(k, tile, d);
      assertThat(blocked.realRadii()).containsExactly(driver.squaredRadii(real, "real"));
      assertThat(blocked.generatedRadii()).containsExactly(driver.squaredRadii(generated, "generated"));
      assertThat(blocked.result()).isEqualTo(driver.compute(real, generated));
      assertThat(blocked.result()).isEqualTo(driver.computeWithFullPasses(real, generated));
    }
    assertThat(blocked.result().precision()).isBetween(0.05, 0.99);
    assertThat(blocked.result().recall()).isBetween(0.05, 0.99);
    int tiles = (401 + tile - 1) / tile + (333 + tile - 1) / tile;
    assertThat(blocked.radiiTasks()).isLessThanOrEqualTo(tiles).isGreaterThanOrEqualTo(Math.min(2, tiles));
    assertThat(blocked.radiiTaskSeconds()).hasSize(blocked.radiiTasks());
  }

  @Test
  void taskGroupsHoldEveryRowTileOnceAndBalanceTheWork() {
    List<int[]> radii = BlockedPrecisionRecall.radiiGroups(0, 49, 4).stream()
        .map(g -> g.rowTiles()).toList();
    assertThat(radii).hasSize(4);
    assertThat(radii.stream().flatMapToInt(Arrays::stream).sorted().toArray())
        .containsExactly(java.util.stream.IntStream.range(0, 49).toArray());
    // row tile a reads 49 - a tiles: 1225 in all, so about 306 per group
    for (int[] g : radii) {
      assertThat(Arrays.stream(g).map(a -> 49 - a).sum()).isBetween(290, 320);
    }
    List<int[]> coverage = BlockedPrecisionRecall.coverageGroups(49, 4);
    assertThat(coverage.stream().mapToInt(g -> g.length).toArray()).containsExactly(13, 12, 12, 12);
    assertThat(coverage.stream().flatMapToInt(Arrays::stream).sorted().toArray())
        .containsExactly(java.util.stream.IntStream.range(0, 49).toArray());
    assertThat(BlockedPrecisionRecall.radiiGroups(1, 2, 8)).hasSize(2); // no empty groups
  }

  @Test
  void theBenchCommandReportsThatEveryPathAgrees() throws Exception {
    sc.close(); // one SparkContext per JVM: the command starts its own
    try {
      Path out = dir.resolve("bench");
      SweepTest.Run run = SweepTest.run(RestoreLabSpark.commandLine(), "bench-precision-recall", "--out",
          out.toString(), "--samples", "300", "--dim", "16", "--tile", "64", "--master", "local[2]",
          "--compare-master", "local[1]");
      assertThat(run.exit()).as(run.err()).isZero();
      JsonObject results = SweepTest.json(out.resolve("results.json"));
      assertThat(results.get("all_equal").getAsBoolean()).isTrue();
      assertThat(results.getAsJsonArray("paths").size()).isBetween(3, 4); // + the candidate pass where it runs
      assertThat(results.getAsJsonArray("paths").asList().stream()
          .filter(p -> p.getAsJsonObject().has("radii_equal"))
          .allMatch(p -> p.getAsJsonObject().get("radii_equal").getAsBoolean())).isTrue();
      assertThat(Files.readString(out.resolve("report.md")))
          .contains("Made by `./restorelab-spark bench-precision-recall --out ").contains("blocked k-NN on local[2]")
          .contains("blocked k-NN on local[1]").contains("All paths agree");
      assertThat(Files.size(out.resolve("features/real.f32"))).isEqualTo(300L * 16 * 4);
      assertThat(out.resolve("run.json")).exists();

      SweepTest.Run bad = SweepTest.run(RestoreLabSpark.commandLine(), "bench-precision-recall", "--out",
          dir.resolve("bad").toString(), "--samples", "2");
      assertThat(bad.exit()).isEqualTo(2);
      assertThat(bad.err().strip()).contains("--samples").doesNotContain("\n");
    } finally {
      spark();
    }
  }
}
