package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.train.Checkpoint;

class ToyPipelineCliTest {
  private static final String TINY = Path.of("src/test/resources/toy-tiny.pbtxt").toString();

  private static JsonObject json(Path p) throws IOException {
    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
  }

  @Test
  void trainExportsASavedModelAndRecordsTheRun(@TempDir Path dir) throws IOException {
    CliTest.Run r = CliTest.run("train", "--config", TINY, "--variant", "StoRobustGAN", "--out", dir.resolve("t").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(dir.resolve("t/savedmodel/saved_model.pb")).exists();
    assertThat(dir.resolve("t/savedmodel/assets.extra/restorelab.json")).exists();
    assertThat(dir.resolve("t/metrics.csv")).exists();
    assertThat(json(dir.resolve("t/run.json")).get("status").getAsString()).isEqualTo("finished");
    assertThat(json(dir.resolve("t/results.json")).get("step").getAsLong()).isEqualTo(30);
    try (var files = Files.list(dir.resolve("t/tensorboard"))) {
      assertThat(files.map(p -> p.getFileName().toString())).anyMatch(n -> n.startsWith("events.out.tfevents"));
    }
    CliTest.Run bad = CliTest.run("train", "--config", TINY, "--out", dir.resolve("u").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--variant", "ErraticGAN", "StoRobustGAN");
    CliTest.Run none = CliTest.run("train", "--resume", "--out", dir.resolve("nothing").toString());
    assertThat(none.exit()).isEqualTo(2);
    assertThat(none.err()).contains("cannot resume");
  }

  @Test
  void anInterruptedTrainingResumesToTheSameWeights(@TempDir Path dir) throws Exception {
    String[] common = {"--config", TINY, "--variant", "StoRobustGAN", "--set", "toy_reproduction.base.steps=4000",
        "--set", "toy_reproduction.base.checkpoint_every=1000000"};
    // interrupted: a separate JVM gets SIGTERM (what Ctrl-C's SIGINT also triggers: the shutdown hook)
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), "org.restorelab.cli.RestoreLab", "train"));
    cmd.addAll(List.of(common));
    cmd.addAll(List.of("--out", dir.resolve("split").toString()));
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("log.txt").toFile()).start();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
    while (!Files.exists(dir.resolve("split/metrics.csv")) || Files.readAllLines(dir.resolve("split/metrics.csv")).size() < 3) {
      assertThat(System.nanoTime()).as("training did not start: " + Files.readString(dir.resolve("log.txt"))).isLessThan(deadline);
      Thread.sleep(100);
    }
    p.destroy();
    assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
    long stoppedAt = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE)).step();
    assertThat(stoppedAt).isBetween(20L, 3999L);
    assertThat(json(dir.resolve("split/run.json")).get("status").getAsString()).isEqualTo("interrupted");
    // resume it, and train the same steps uninterrupted
    CliTest.Run resumed = CliTest.run("train", "--out", dir.resolve("split").toString(), "--resume",
        "--set", "toy_gan.steps=" + (stoppedAt + 20));
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    JsonObject record = json(dir.resolve("split/run.json"));
    assertThat(record.get("config_source").getAsString()).isEqualTo("resumed from this folder's config.pbtxt");
    JsonArray earlier = record.getAsJsonArray("earlier_sessions");
    assertThat(earlier).hasSize(1);
    assertThat(earlier.get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("interrupted");
    List<String> whole = new ArrayList<>(List.of("train"));
    whole.addAll(List.of(common));
    whole.addAll(List.of("--set", "toy_reproduction.base.steps=" + (stoppedAt + 20), "--out", dir.resolve("whole").toString()));
    assertThat(CliTest.run(whole.toArray(String[]::new)).exit()).isZero();
    var a = Checkpoint.read(dir.resolve("whole").resolve(Checkpoint.FILE)).variables();
    var b = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE)).variables();
    for (String name : a.keySet()) {
      assertThat(b.get(name).values()).as(name).containsExactly(a.get(name).values());
    }
  }

  @Test
  void reproduceToyWritesTable3AndFigure3AndResumes(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("r");
    CliTest.Run r = CliTest.run("reproduce", "toy", "--config", TINY, "--out", out.toString(),
        "--set", "toy_reproduction.savedmodel_dir=sm");
    assertThat(r.exit()).as(r.err()).isZero();
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("Table 3", "ErraticGAN", "StoRobustGAN", "X_hat_Robust", "figure3_toy-tiny.png");
    assertThat(out.resolve("figure3_toy-tiny.png")).isNotEmptyFile();
    assertThat(out.resolve("analytic/report.md")).isNotEmptyFile();
    assertThat(out.resolve("sm/StoRobustGAN/saved_model.pb")).exists();
    assertThat(out.resolve("sm/handcrafted/X_hat_Robust/saved_model.pb")).exists();
    JsonArray estimators = json(out.resolve("results.json")).getAsJsonArray("configs").get(0).getAsJsonObject()
        .getAsJsonArray("estimators");
    assertThat(estimators).hasSize(3);
    for (var e : estimators) {
      JsonObject o = e.getAsJsonObject();
      assertThat(o.get("precision").getAsDouble()).isBetween(0.0, 1.0);
      assertThat(o.get("sensitivity_sqrt_r_tilde_x1e3").getAsDouble()).isGreaterThanOrEqualTo(0.0);
    }
    // table3.tex and table3.csv beside report.md, with results.json's numbers
    assertThat(report).contains("table3.tex", "table3.csv");
    assertThat(Files.readString(out.resolve("table3.tex"))).contains("\\toprule", "X\\_hat\\_Robust", "StoRobustGAN");
    List<org.apache.commons.csv.CSVRecord> csv = org.apache.commons.csv.CSVFormat.RFC4180.builder().setHeader()
        .setSkipHeaderRecord(true).get().parse(Files.newBufferedReader(out.resolve("table3.csv"))).getRecords();
    assertThat(csv).hasSize(3);
    for (int i = 0; i < 3; i++) {
      JsonObject o = estimators.get(i).getAsJsonObject();
      assertThat(csv.get(i).get("estimator")).isEqualTo(o.get("name").getAsString());
      assertThat(Double.parseDouble(csv.get(i).get("recall"))).isCloseTo(o.get("recall").getAsDouble(),
          org.assertj.core.api.Assertions.within(5e-7));
    }
    // resuming a finished reproduction is a no-op that says so, and leaves every record as it was
    String before = json(out.resolve("results.json")).toString();
    String runBefore = json(out.resolve("run.json")).toString();
    CliTest.Run again = CliTest.run("reproduce", "toy", "--out", out.toString(), "--resume");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("nothing to do").doesNotContain("training ");
    assertThat(json(out.resolve("results.json")).toString()).isEqualTo(before);
    assertThat(json(out.resolve("run.json")).toString()).isEqualTo(runBefore);
  }

  @Test
  void evaluateToyMeasuresAnySavedModelAndNamesAMissingOne(@TempDir Path dir) throws IOException {
    org.restorelab.export.HandcraftedEstimatorExport.export(
        new org.restorelab.estimator.SineEstimator("X_hat_Erratic", 50), dir.resolve("erratic"));
    String[] small = {"--set", "toy_evaluation.validation_size=2000",
        "--set", "toy_evaluation.evaluation.sensitivity_inputs=100",
        "--set", "toy_evaluation.evaluation.exact_inputs=10",
        "--set", "toy_evaluation.evaluation.support_samples=200"};
    List<String> args = new ArrayList<>(List.of("evaluate", "toy", "--model", dir.resolve("erratic").toString(),
        "--out", dir.resolve("e").toString()));
    args.addAll(List.of(small));
    CliTest.Run r = CliTest.run(args.toArray(String[]::new));
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject e = json(dir.resolve("e/results.json")).getAsJsonArray("configs").get(0).getAsJsonObject()
        .getAsJsonArray("estimators").get(0).getAsJsonObject();
    assertThat(e.get("recall").getAsDouble()).isGreaterThan(0.9);
    assertThat(e.get("sensitivity_sqrt_r_tilde_x1e3").getAsDouble()).isGreaterThan(1.0);
    CliTest.Run missing = CliTest.run("evaluate", "toy", "--model", dir.resolve("nowhere").toString(),
        "--out", dir.resolve("m").toString());
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("SavedModel folder", "nowhere", "does not exist");
    assertThat(dir.resolve("m")).doesNotExist();
  }

  @Test
  void aVariantThatTwoConfigsShareIsTrainedOnceAndOnlyFiltersVariants(@TempDir Path dir) throws IOException {
    // the twin differs in robustness settings only, which ErraticGAN (lambda_R = 0) does not use
    CliTest.Run r = CliTest.run("reproduce", "toy", "--config", TINY, "--config",
        Path.of("src/test/resources/toy-tiny-twin.pbtxt").toString(), "--only", "ErraticGAN",
        "--out", dir.resolve("r").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).containsOnlyOnce("training ErraticGAN")
        .doesNotContain("StoRobustGAN");
    try (var files = Files.list(dir.resolve("r/training"))) {
      assertThat(files.map(p -> p.getFileName().toString())).singleElement().asString().startsWith("ErraticGAN-");
    }
    JsonArray configs = json(dir.resolve("r/results.json")).getAsJsonArray("configs");
    assertThat(configs).hasSize(2);
    assertThat(configs.get(0).getAsJsonObject().getAsJsonArray("estimators").get(1).getAsJsonObject()
        .get("recall").getAsDouble())
        .isEqualTo(configs.get(1).getAsJsonObject().getAsJsonArray("estimators").get(1).getAsJsonObject()
            .get("recall").getAsDouble());
    CliTest.Run bad = CliTest.run("reproduce", "toy", "--config", TINY, "--only", "NoSuchGAN",
        "--out", dir.resolve("x").toString());
    assertThat(bad.exit()).isEqualTo(2);
    assertThat(bad.err()).contains("--only NoSuchGAN");
  }

  @Test
  void benchToyCountsFlopsAndCompares(@TempDir Path dir) throws IOException {
    CliTest.Run r = CliTest.run("bench", "toy", "--config", TINY, "--iterations", "3", "--out", dir.resolve("b").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonArray rows = json(dir.resolve("b/results.json")).getAsJsonArray("rows");
    assertThat(rows).hasSize(2);
    long erratic = rows.get(0).getAsJsonObject().get("flops_per_iteration").getAsLong();
    long robust = rows.get(1).getAsJsonObject().get("flops_per_iteration").getAsLong();
    assertThat(erratic).isPositive();
    assertThat(robust).isGreaterThan(2 * erratic); // 4 z draws per y and 2 attack steps on top of the GAN step
  }
}
