package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.bench.FullScaleMetricsBenchmark;
import org.restorelab.config.DistanceBackend;
import org.restorelab.metric.Bfloat16Products;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;

/** {@code bench metrics --full-scale} on a small size: the same phases, counts and report. */
class BenchMetricsFullScaleTest {

  @Test
  void fullScaleBenchCountsItsWorkAndAgreesWithThePlainMetric(@TempDir Path dir) throws IOException {
    int n = 600;
    int dim = 32;
    CliTest.Run r = CliTest.run("bench", "metrics", "--full-scale", "--n", "600", "--dims", "32", "--tile", "128",
        "--out", dir.resolve("b").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject results = JsonParser.parseString(Files.readString(dir.resolve("b/results.json"))).getAsJsonObject();
    assertThat(results.get("n").getAsInt()).isEqualTo(n);
    assertThat(results.get("dim").getAsInt()).isEqualTo(dim);
    assertThat(results.get("matmul_gflops").getAsDouble()).isPositive();
    JsonObject pr = results.getAsJsonObject("precision_recall");
    var phases = pr.getAsJsonArray("phases");
    assertThat(phases).hasSize(3);
    // each symmetric radius pass computes the tiles on and above the diagonal: 15 of 5 x 5 tiles
    // of 128 (the last 88 wide)
    long symmetricFlops = 0;
    for (int a = 0; a < 5; a++) {
      for (int b = a; b < 5; b++) {
        symmetricFlops += 2L * (a == 4 ? 88 : 128) * (b == 4 ? 88 : 128) * dim;
      }
    }
    for (int i = 0; i < 2; i++) {
      JsonObject radii = phases.get(i).getAsJsonObject();
      assertThat(radii.get("tiles").getAsLong()).isEqualTo(15);
      assertThat(radii.get("flops").getAsLong()).isEqualTo(symmetricFlops);
    }
    assertThat(phases.get(2).getAsJsonObject().get("full_passes").getAsDouble()).isBetween(0.0, 1.0);
    assertThat(pr.get("full_pass_equivalents").getAsDouble()).isLessThanOrEqualTo(
        2.0 * symmetricFlops / (2.0 * n * n * dim) + 1.0);
    // the reference path: four phases, each radius pass every one of the 25 tiles, the same metric
    JsonObject reference = pr.getAsJsonObject("reference_four_passes");
    var referencePhases = reference.getAsJsonArray("phases");
    assertThat(referencePhases).hasSize(4);
    for (int i = 0; i < 2; i++) {
      JsonObject radii = referencePhases.get(i).getAsJsonObject();
      assertThat(radii.get("tiles").getAsLong()).isEqualTo(25);
      assertThat(radii.get("flops").getAsLong()).isEqualTo(2L * n * n * dim);
    }
    assertThat(reference.get("equal").getAsBoolean()).isTrue();
    assertThat(reference.get("precision").getAsDouble()).isEqualTo(pr.get("precision").getAsDouble());
    assertThat(reference.get("recall").getAsDouble()).isEqualTo(pr.get("recall").getAsDouble());
    // the phases give the metric the plain call gives (Java backend; ties at float rounding aside)
    Features real = FullScaleMetricsBenchmark.randomFeatures(n, dim, 11);
    Features generated = FullScaleMetricsBenchmark.randomFeatures(n, dim, 12);
    try (PairwiseDistances java = PairwiseDistances.create(DistanceBackend.JAVA, dim)) {
      PrecisionRecall.Result expected = new PrecisionRecall(3, 128, java).compute(real, generated);
      assertThat(pr.get("precision").getAsDouble()).isCloseTo(expected.precision(), within(2.0 / n));
      assertThat(pr.get("recall").getAsDouble()).isCloseTo(expected.recall(), within(2.0 / n));
    }
    // the bfloat16 candidate pass, where the machine's MatMul accumulates in float32: the same
    // counts, the same symmetric radius tiles (plus the fallback rows' second pass), one coverage pass
    JsonObject candidates = results.getAsJsonObject("candidate_pass");
    assertThat(candidates.get("used").getAsBoolean()).isEqualTo(Bfloat16Products.kernelAccumulatesInFloat32());
    if (candidates.get("used").getAsBoolean()) {
      var candidatePhases = candidates.getAsJsonArray("phases");
      assertThat(candidatePhases).hasSize(6);
      for (int i = 3; i < 5; i++) {
        assertThat(candidatePhases.get(i).getAsJsonObject().get("flops").getAsLong())
            .isGreaterThanOrEqualTo(symmetricFlops);
      }
      assertThat(candidatePhases.get(5).getAsJsonObject().get("flops").getAsLong())
          .isLessThanOrEqualTo(2L * n * n * dim);
      assertThat(candidates.get("equal_to_reference_four_passes").getAsBoolean()).isTrue();
      assertThat(candidates.get("precision").getAsDouble()).isEqualTo(reference.get("precision").getAsDouble());
      assertThat(candidates.get("recall").getAsDouble()).isEqualTo(reference.get("recall").getAsDouble());
      assertThat(candidates.get("float64_distances").getAsLong()).isPositive();
    }
    JsonObject fid = results.getAsJsonObject("fid");
    assertThat(fid.get("fid").getAsDouble()).isFinite().isPositive();
    assertThat(fid.getAsJsonArray("phases")).hasSize(3);
    JsonObject memory = results.getAsJsonObject("memory");
    assertThat(memory.get("vm_hwm_bytes").getAsLong()).isPositive();
    assertThat(memory.get("heap_peak_used_bytes").getAsLong()).isPositive();
    assertThat(Files.readString(dir.resolve("b/report.md"))).contains("--full-scale", "VmHWM", "ratio to matmul");
  }

  @Test
  void randomFeaturesAreSeededStandardGaussians() {
    Features a = FullScaleMetricsBenchmark.randomFeatures(1000, 50, 3);
    Features b = FullScaleMetricsBenchmark.randomFeatures(1000, 50, 3);
    assertThat(a.data()).isEqualTo(b.data());
    assertThat(FullScaleMetricsBenchmark.randomFeatures(1000, 50, 4).data()).isNotEqualTo(a.data());
    double sum = 0;
    double squares = 0;
    for (float v : a.data()) {
      sum += v;
      squares += v * v;
    }
    int count = a.data().length;
    assertThat(sum / count).isCloseTo(0, within(0.02));
    assertThat(squares / count).isCloseTo(1, within(0.03));
  }
}
