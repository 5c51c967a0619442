package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.RestoreLab;
import picocli.CommandLine;

/**
 * A local[2] sweep of four tiny toy GAN points (r1_gamma 1 and 10, seeds 5 and 6) gives, bit for
 * bit, what four sequential {@code restorelab train} runs give; a second sweep skips them all.
 */
class SweepTest {
  static final Path BASE = Path.of("src/test/resources/sweep/toy-gan-tiny.pbtxt").toAbsolutePath();

  record Run(int exit, String out, String err) {}

  static Run run(CommandLine cmd, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    int exit = cmd.execute(args);
    return new Run(exit, out.toString(), err.toString());
  }

  static Path sweepFile(Path dir, String body) throws IOException {
    Path file = dir.resolve("sweep.pbtxt");
    Files.writeString(file, body);
    return file;
  }

  static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  /** Every file of {@code dir}'s tree by relative path, with its bytes. */
  static Map<String, byte[]> files(Path dir) throws IOException {
    Map<String, byte[]> out = new TreeMap<>();
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.filter(Files::isRegularFile).toList()) {
        out.put(dir.relativize(p).toString(), Files.readAllBytes(p));
      }
    }
    return out;
  }

  @Test
  void aLocalSweepEqualsTheSequentialRunsBitForBit(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("sweep-out");
    Path sweep = sweepFile(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gamma" values: ["1", "10"] }
        seeds: [5, 6]
        output_root: "%s"
        """.formatted(BASE, root));
    long t0 = System.nanoTime();
    Run sweepRun = run(RestoreLabSpark.commandLine(), "sweep", "--config", sweep.toString(), "--master", "local[2]");
    double sweepSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(sweepRun.exit()).as(sweepRun.out() + sweepRun.err()).isZero();
    List<String> points = List.of("r1_gamma=1,seed=5", "r1_gamma=1,seed=6", "r1_gamma=10,seed=5", "r1_gamma=10,seed=6");

    long t1 = System.nanoTime();
    for (String point : points) {
      String gamma = point.substring("r1_gamma=".length(), point.indexOf(','));
      String seed = point.substring(point.indexOf("seed=") + 5);
      Run train = run(RestoreLab.commandLine(), "train", "--config", BASE.toString(), "--set", "toy_gan.r1_gamma=" + gamma,
          "--seed", seed, "--out", dir.resolve("sequential").resolve(point).toString());
      assertThat(train.exit()).as(train.out() + train.err()).isZero();
    }
    double sequentialSeconds = (System.nanoTime() - t1) / 1e9;
    System.out.print(sweepRun.out());
    System.out.printf("sweep local[2]: %.1f s; four sequential train runs: %.1f s%n", sweepSeconds, sequentialSeconds);

    for (String point : points) {
      Path a = root.resolve(point);
      Path b = dir.resolve("sequential").resolve(point);
      assertThat(json(a.resolve("run.json")).get("status").getAsString()).isEqualTo("finished");
      // results.json: every number but the timing
      JsonObject ra = json(a.resolve("results.json"));
      JsonObject rb = json(b.resolve("results.json"));
      ra.remove("seconds_per_iteration");
      rb.remove("seconds_per_iteration");
      assertThat(ra).as(point).isEqualTo(rb);
      assertThat(ra.get("step").getAsLong()).isEqualTo(30);
      // the config run, and the exported weights and graph, byte for byte
      assertThat(Files.readString(a.resolve("config.pbtxt"))).isEqualTo(Files.readString(b.resolve("config.pbtxt")));
      Map<String, byte[]> wa = files(a.resolve("savedmodel/variables"));
      Map<String, byte[]> wb = files(b.resolve("savedmodel/variables"));
      assertThat(wa).isNotEmpty();
      assertThat(wa.keySet()).isEqualTo(wb.keySet());
      for (String f : wa.keySet()) {
        assertThat(wa.get(f)).as(point + " " + f).isEqualTo(wb.get(f));
      }
    }
    // two different r1_gamma give different weights (the override reached the job)
    assertThat(files(root.resolve(points.get(0)).resolve("savedmodel/variables")).get("variables.data-00000-of-00001"))
        .isNotEqualTo(files(root.resolve(points.get(2)).resolve("savedmodel/variables")).get("variables.data-00000-of-00001"));

    JsonObject summary = json(root.resolve(SweepSummary.RESULTS));
    assertThat(summary.getAsJsonArray("points")).hasSize(4);
    for (JsonElement p : summary.getAsJsonArray("points")) {
      assertThat(p.getAsJsonObject().get("status").getAsString()).isEqualTo("finished");
      assertThat(p.getAsJsonObject().getAsJsonObject("metrics").get("step").getAsDouble()).isEqualTo(30.0);
    }
    JsonObject versions = summary.getAsJsonObject("provenance").getAsJsonObject("versions");
    assertThat(versions.get("spark").getAsString()).isEqualTo("4.2.0");
    assertThat(versions.get("tensorflow_java").getAsString()).isEqualTo("1.1.0");
    assertThat(summary.getAsJsonObject("provenance").get("command").getAsString()).isEqualTo("sweep");
    assertThat(summary.getAsJsonArray("over_seeds")).hasSize(2);
    JsonObject group = summary.getAsJsonArray("over_seeds").get(0).getAsJsonObject();
    assertThat(group.getAsJsonArray("points").toString()).isEqualTo("[\"r1_gamma=1,seed=5\",\"r1_gamma=1,seed=6\"]");
    assertThat(group.getAsJsonObject("metrics").getAsJsonObject("steps").get("mean").getAsDouble()).isEqualTo(30.0);
    assertThat(group.getAsJsonObject("metrics").getAsJsonObject("steps").get("std").getAsDouble()).isEqualTo(0.0);
    assertThat(Files.readAllLines(root.resolve(SweepSummary.CSV))).hasSize(5)
        .first().asString().startsWith("point,overrides,seed,status,seconds,");
    assertThat(Files.readString(root.resolve(SweepSummary.MARKDOWN))).contains("`r1_gamma=10,seed=6` | finished",
        "## Over seeds", "`toy_gan.r1_gamma=10` | 2 |");

    // finished points are skipped
    byte[] before = Files.readAllBytes(root.resolve("r1_gamma=1,seed=5/savedmodel/variables/variables.data-00000-of-00001"));
    Run again = run(RestoreLabSpark.commandLine(), "sweep", "--config", sweep.toString(), "--master", "local[2]");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("4 points (4 finished earlier)");
    assertThat(again.out().split("skipped", -1)).hasSize(5);
    for (JsonElement p : json(root.resolve(SweepSummary.RESULTS)).getAsJsonArray("points")) {
      assertThat(p.getAsJsonObject().get("status").getAsString()).isEqualTo("skipped");
      assertThat(p.getAsJsonObject().has("seconds")).isFalse();
      assertThat(p.getAsJsonObject().getAsJsonObject("metrics").get("step").getAsDouble()).isEqualTo(30.0);
    }
    assertThat(Files.readAllBytes(root.resolve("r1_gamma=1,seed=5/savedmodel/variables/variables.data-00000-of-00001")))
        .isEqualTo(before);

    // the same output root with another base config: its finished points are not this sweep's
    Path otherBase = dir.resolve("toy-gan-tiny-31.pbtxt");
    Files.writeString(otherBase, Files.readString(BASE).replace("steps: 30", "steps: 31"));
    Path other = sweepFile(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gamma" values: ["1", "10"] }
        seeds: [5, 6]
        output_root: "%s"
        """.formatted(otherBase, root));
    Run refused = run(RestoreLabSpark.commandLine(), "sweep", "--config", other.toString(), "--master", "local[2]");
    assertThat(refused.exit()).as(refused.out() + refused.err()).isEqualTo(2);
    assertThat(refused.err()).contains(root.resolve("r1_gamma=1,seed=5") + " holds a finished run of another config");
  }

  @Test
  void aFailedPointDoesNotStopTheOthers(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("out");
    Files.createDirectories(root);
    Files.writeString(root.resolve("seed=2"), "a file where the point's run folder would go");
    Path sweep = sweepFile(dir, """
        base_config: "%s"
        seeds: [1, 2]
        output_root: "%s"
        """.formatted(BASE, root));
    Run r = run(RestoreLabSpark.commandLine(), "sweep", "--config", sweep.toString(), "--master", "local[2]");
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(1);
    assertThat(r.err()).contains("some points did not finish", "summary.md");
    assertThat(r.out()).contains("seed=2", "failed: output path " + root.resolve("seed=2") + " is a file");
    assertThat(json(root.resolve("seed=1/run.json")).get("status").getAsString()).isEqualTo("finished");
    JsonObject summary = json(root.resolve(SweepSummary.RESULTS));
    assertThat(summary.getAsJsonArray("points").get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("finished");
    JsonObject failed = summary.getAsJsonArray("points").get(1).getAsJsonObject();
    assertThat(failed.get("status").getAsString()).isEqualTo("failed");
    assertThat(failed.get("error").getAsString()).contains("is a file");
    assertThat(Files.readString(root.resolve(SweepSummary.MARKDOWN))).contains("| `seed=2` | failed |", "error: output path");
  }
}
