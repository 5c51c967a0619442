package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.RestoreLab;

/**
 * {@code restorelab-spark evaluate-images} and {@code evaluate-toy} on two shards with
 * {@code local[2]} give the single-JVM command's results.json (every number but the seconds),
 * report.md (but the line naming the command), tables and figures; bad input exits 2 with one
 * line naming the field or file.
 */
class ShardedEvaluationTest {
  static final Path MODELS = Path.of("../savedmodels").toAbsolutePath().normalize();

  /** A tiny inpainting evaluation of two committed models with posterior metrics (3 + 5 batches of 8 per model). */
  static Path imageConfig(Path dir, String stochastic) throws IOException {
    Path file = dir.resolve("evaluate-tiny.pbtxt");
    Files.writeString(file, """
        name: "tiny-sharded-inpainting"
        seed: 3
        image_evaluation {
          data { faces { train_size: 64 validation_size: 40 } image_size: 32 }
          task { inpainting { masked_fraction: 0.75 } }
          model { path: "%1$s/cpu/%2$s" name: "StoErraticGAN" }
          model { path: "%1$s/cpu/inpainting-ErraticGAN" name: "ErraticGAN" }
          features { path: "%1$s/cpu/faces-features" name: "faces-features" }
          real_samples: 64
          generated_samples: 40
          precision_recall { k: 3 }
          per_input_inputs: 20
          std_samples: 4
          attack { epsilon: 1.25 steps: 2 lr: 1 beta1: 0.9 beta2: 0.999 seeds: 2 init_scale: 0.01 }
          batch_size: 8
          grid_inputs: 2
          grid_samples: 2
          posterior { inputs: 16 samples: 4 classifier { path: "%1$s/cpu/faces-features" } }
        }
        """.formatted(MODELS, stochastic));
    return file;
  }

  /** {@code o} without its "seconds" fields, at any depth. */
  static JsonElement withoutSeconds(JsonElement e) {
    if (e.isJsonObject()) {
      JsonObject o = new JsonObject();
      for (Map.Entry<String, JsonElement> m : e.getAsJsonObject().entrySet()) {
        if (!m.getKey().equals("seconds")) {
          o.add(m.getKey(), withoutSeconds(m.getValue()));
        }
      }
      return o;
    }
    if (e.isJsonArray()) {
      com.google.gson.JsonArray a = new com.google.gson.JsonArray();
      e.getAsJsonArray().forEach(x -> a.add(withoutSeconds(x)));
      return a;
    }
    return e;
  }

  /** report.md without the line that names the command. */
  static List<String> report(Path dir) throws IOException {
    return Files.readAllLines(dir.resolve("report.md")).stream().filter(l -> !l.startsWith("Made by `")).toList();
  }

  static void assertSameRun(Path sharded, Path single, List<String> files) throws IOException {
    assertThat(SweepTest.json(sharded.resolve("run.json")).get("status").getAsString()).isEqualTo("finished");
    JsonElement a = withoutSeconds(SweepTest.json(sharded.resolve("results.json")));
    JsonElement b = withoutSeconds(SweepTest.json(single.resolve("results.json")));
    assertThat(a.toString()).isEqualTo(b.toString());
    assertThat(report(sharded)).isEqualTo(report(single));
    for (String f : files) {
      assertThat(Files.readAllBytes(sharded.resolve(f))).as(f).isEqualTo(Files.readAllBytes(single.resolve(f)));
    }
  }

  @Test
  void imagesOnTwoShardsEqualTheSingleJvmRun(@TempDir Path dir) throws Exception {
    Path config = imageConfig(dir, "inpainting-StoErraticGAN");
    long t0 = System.nanoTime();
    SweepTest.Run sharded = SweepTest.run(RestoreLabSpark.commandLine(), "evaluate-images", "--config",
        config.toString(), "--out", dir.resolve("sharded").toString(), "--master", "local[2]", "--shards", "2");
    double shardedSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(sharded.exit()).as(sharded.out() + sharded.err()).isZero();
    long t1 = System.nanoTime();
    SweepTest.Run single = SweepTest.run(RestoreLab.commandLine(), "evaluate", "images", "--config", config.toString(),
        "--out", dir.resolve("single").toString());
    double singleSeconds = (System.nanoTime() - t1) / 1e9;
    assertThat(single.exit()).as(single.out() + single.err()).isZero();
    System.out.print(sharded.out().replaceAll("\r[^\n]*", ""));
    System.out.printf("evaluate-images 2 shards local[2]: %.1f s; single-JVM evaluate images: %.1f s%n", shardedSeconds,
        singleSeconds);
    assertThat(sharded.out()).contains("2 shards", "shard 0: finished", "shard 1: finished");
    assertSameRun(dir.resolve("sharded"), dir.resolve("single"),
        List.of("table1.csv", "table1.tex", "partial/real-images.features.f32", "partial/StoErraticGAN.features.f32",
            "partial/ErraticGAN.features.f32", "partial/StoErraticGAN.posterior.json"));
    assertThat(dir.resolve("sharded/partial/shards")).doesNotExist();
    assertThat(dir.resolve("sharded/shard-1.log")).exists();
    assertThat(SweepTest.json(dir.resolve("sharded/results.json")).getAsJsonArray("evaluations").get(0)
        .getAsJsonObject().getAsJsonArray("models")).hasSize(3);

    // precision/recall as the blocked k-NN over Spark tasks: the same numbers, no scratch left
    SweepTest.Run blocked = SweepTest.run(RestoreLabSpark.commandLine(), "evaluate-images", "--config",
        config.toString(), "--out", dir.resolve("blocked").toString(), "--master", "local[2]", "--shards", "2",
        "--precision-recall", "blocked");
    assertThat(blocked.exit()).as(blocked.out() + blocked.err()).isZero();
    assertThat(blocked.out()).contains("precision/recall: the blocked k-NN over Spark tasks");
    assertSameRun(dir.resolve("blocked"), dir.resolve("single"),
        List.of("table1.csv", "table1.tex", "partial/real-images.features.f32", "partial/StoErraticGAN.features.f32"));
    assertThat(dir.resolve("blocked/precision-recall-scratch")).doesNotExist();
  }

  @Test
  void toyOnTwoShardsEqualsTheSingleJvmRun(@TempDir Path dir) throws Exception {
    Path config = dir.resolve("evaluate-toy-tiny.pbtxt");
    Files.writeString(config, """
        name: "toy-tiny-sharded"
        seed: 2023
        toy_evaluation {
          validation_size: 2000
          model { path: "%1$s/toy/paper-literal/StoErraticGAN" name: "StoErraticGAN" }
          model { path: "%1$s/toy/effective/RobustGAN" name: "RobustGAN" }
          evaluation {
            precision_recall { k: 5 num_samples: 500 }
            sensitivity_inputs: 201
            attack { epsilon: 1e-3 steps: 4 lr: 1e-4 beta1: 0.9 beta2: 0.999 init_scale: 0.01 seeds: 20 }
            exact_grid: 11
            exact_z_draws: 64
            exact_inputs: 21
            support_samples: 500
            scatter_samples: 50
          }
        }
        """.formatted(MODELS));
    long t0 = System.nanoTime();
    SweepTest.Run sharded = SweepTest.run(RestoreLabSpark.commandLine(), "evaluate-toy", "--config",
        config.toString(), "--out", dir.resolve("sharded").toString(), "--master", "local[2]", "--shards", "2");
    double shardedSeconds = (System.nanoTime() - t0) / 1e9;
    assertThat(sharded.exit()).as(sharded.out() + sharded.err()).isZero();
    long t1 = System.nanoTime();
    SweepTest.Run single = SweepTest.run(RestoreLab.commandLine(), "evaluate", "toy", "--config", config.toString(),
        "--out", dir.resolve("single").toString());
    double singleSeconds = (System.nanoTime() - t1) / 1e9;
    assertThat(single.exit()).as(single.out() + single.err()).isZero();
    System.out.print(sharded.out());
    System.out.printf("evaluate-toy 2 shards local[2]: %.1f s; single-JVM evaluate toy: %.1f s%n", shardedSeconds,
        singleSeconds);
    assertThat(sharded.out()).contains("2 shards", "shard 0: finished", "shard 1: finished");
    List<String> files;
    try (var walk = Files.list(dir.resolve("single"))) {
      files = walk.map(p -> p.getFileName().toString())
          .filter(f -> !f.equals("run.json") && !f.equals("results.json") && !f.equals("report.md")
              && !f.equals("config.pbtxt") && !f.startsWith(".") && Files.isRegularFile(dir.resolve("single").resolve(f)))
          .sorted().toList();
    }
    assertThat(files).isNotEmpty();
    System.out.println("toy: compared byte for byte: " + files);
    assertSameRun(dir.resolve("sharded"), dir.resolve("single"), files);
    assertThat(dir.resolve("sharded/partial/toy-model-1.json")).exists();
    assertThat(dir.resolve("sharded/partial/shards")).doesNotExist();
  }

  @Test
  void badInputExitsTwoWithOneLineNamingIt(@TempDir Path dir) throws Exception {
    Path config = imageConfig(dir, "no-such-model");
    SweepTest.Run missing = SweepTest.run(RestoreLabSpark.commandLine(), "evaluate-images", "--config",
        config.toString(), "--out", dir.resolve("a").toString(), "--master", "local[2]", "--shards", "2");
    assertThat(missing.exit()).as(missing.out() + missing.err()).isEqualTo(2);
    assertThat(missing.err().strip()).doesNotContain("\n").contains(MODELS.resolve("cpu/no-such-model").toString());
    assertThat(dir.resolve("a")).doesNotExist(); // refused before a run folder or Spark

    Path good = imageConfig(dir, "inpainting-StoErraticGAN");
    for (String kind : List.of("evaluate-images", "evaluate-toy")) {
      SweepTest.Run zero = SweepTest.run(RestoreLabSpark.commandLine(), kind, "--config", good.toString(), "--out",
          dir.resolve("b").toString(), "--master", "local[2]", "--shards", "0");
      assertThat(zero.exit()).as(zero.out() + zero.err()).isEqualTo(2);
      assertThat(zero.err().strip()).isEqualTo("restorelab-spark: error: --shards must be at least 1, got 0");
    }
    SweepTest.Run wrongJob = SweepTest.run(RestoreLabSpark.commandLine(), "evaluate-toy", "--config", good.toString(),
        "--out", dir.resolve("c").toString(), "--master", "local[2]");
    assertThat(wrongJob.exit()).as(wrongJob.out() + wrongJob.err()).isEqualTo(2);
    assertThat(wrongJob.err().strip()).doesNotContain("\n").contains(good.toString(), "toy_evaluation");
  }
}
