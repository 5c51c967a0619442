package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code reproduce toy --seeds}: each variant once per seed, tables with mean +- sample std over seeds. */
class ReproduceToySeedsTest {
  private static final String TINY = Path.of("src/test/resources/toy-tiny.pbtxt").toString();
  private static final String[] KEYS = {"precision", "recall", "sensitivity_sqrt_r_tilde_x1e3",
      "sensitivity_sqrt_r_tilde_x1e3_exact_inputs", "exact_sensitivity_sqrt_r_x1e3", "posterior_w2",
      "posterior_uncovered_share"};

  private static JsonObject json(Path p) throws IOException {
    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
  }

  private static JsonObject estimator(Path results, String name) throws IOException {
    for (var e : json(results).getAsJsonArray("configs").get(0).getAsJsonObject().getAsJsonArray("estimators")) {
      if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
        return e.getAsJsonObject();
      }
    }
    throw new AssertionError("no estimator " + name + " in " + results);
  }

  @Test
  void everySeedIsTrainedAndTheTablesShowMeanAndSpread(@TempDir Path dir) throws IOException {
    CliTest.Run r = CliTest.run("reproduce", "toy", "--config", TINY, "--only", "ErraticGAN", "--seeds", "5,6",
        "--out", dir.resolve("both").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("seed 5] training ErraticGAN", "seed 6] training ErraticGAN");
    Path both = dir.resolve("both");
    assertThat(both.resolve("unused-in-tests/seed-5/ErraticGAN/saved_model.pb")).exists();
    assertThat(both.resolve("unused-in-tests/seed-6/ErraticGAN/saved_model.pb")).exists();
    // each seed alone, as its own run: the per-seed values must be exactly those
    for (String seed : new String[] {"5", "6"}) {
      CliTest.Run one = CliTest.run("reproduce", "toy", "--config", TINY, "--only", "ErraticGAN", "--seed", seed,
          "--out", dir.resolve("s" + seed).toString());
      assertThat(one.exit()).as(one.err()).isZero();
    }
    for (String name : new String[] {"ErraticGAN", "X_hat_Robust"}) {
      JsonObject e = estimator(both.resolve("results.json"), name);
      JsonArray perSeed = e.getAsJsonArray("per_seed");
      assertThat(perSeed).hasSize(2);
      JsonObject a = estimator(dir.resolve("s5/results.json"), name);
      JsonObject b = estimator(dir.resolve("s6/results.json"), name);
      for (String key : KEYS) {
        double x = a.get(key).getAsDouble();
        double y = b.get(key).getAsDouble();
        assertThat(perSeed.get(0).getAsJsonObject().get(key).getAsDouble()).as(name + " " + key).isEqualTo(x);
        assertThat(perSeed.get(1).getAsJsonObject().get(key).getAsDouble()).as(name + " " + key).isEqualTo(y);
        // two values: mean (x + y) / 2, sample standard deviation |x - y| / sqrt(2)
        assertThat(e.get(key).getAsDouble()).as(name + " " + key).isCloseTo((x + y) / 2, org.assertj.core.data.Offset.offset(1e-12));
        assertThat(e.get(key + "_std").getAsDouble()).as(name + " " + key)
            .isCloseTo(Math.abs(x - y) / Math.sqrt(2), org.assertj.core.data.Offset.offset(1e-12));
      }
      assertThat(perSeed.get(0).getAsJsonObject().get("seed").getAsString()).isEqualTo("5");
    }
    assertThat(Files.readString(both.resolve("report.md"))).contains("mean +- sample standard deviation over 2 seeds (5, 6)", " +- ");
    assertThat(json(both.resolve("results.json")).getAsJsonArray("configs").get(0).getAsJsonObject()
        .getAsJsonArray("seeds")).hasSize(2);
    JsonObject protocols = json(both.resolve("results.json")).getAsJsonArray("configs").get(0).getAsJsonObject()
        .getAsJsonObject("metrics");
    assertThat(protocols.keySet()).hasSize(1).allMatch(k -> k.matches("precision_recall_k[0-9]+"));
    JsonObject counts = protocols.getAsJsonObject(protocols.keySet().iterator().next());
    assertThat(counts.get("real_samples").getAsInt()).isPositive()
        .isEqualTo(counts.get("generated_samples").getAsInt());
    // --seeds with --resume is refused: the seeds are part of the saved configs
    CliTest.Run again = CliTest.run("reproduce", "toy", "--out", both.toString(), "--resume", "--seeds", "7");
    assertThat(again.exit()).isEqualTo(2);
    assertThat(again.err()).contains("--seeds cannot be used with --resume");
  }

  @Test
  void aVariantWithItsOwnSeedsRunsOnlyThoseAndTheTablesSayHowMany(@TempDir Path dir) throws IOException {
    CliTest.Run r = CliTest.run("reproduce", "toy", "--config", TINY, "--seeds", "5,6",
        "--set", "toy_reproduction.variant[1].seeds=5", "--out", dir.resolve("mixed").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    assertThat(r.out()).contains("seed 5] training ErraticGAN", "seed 6] training ErraticGAN",
        "seed 5] training StoRobustGAN").doesNotContain("seed 6] training StoRobustGAN");
    Path mixed = dir.resolve("mixed");
    assertThat(mixed.resolve("unused-in-tests/seed-6/StoRobustGAN")).doesNotExist();
    CliTest.Run one = CliTest.run("reproduce", "toy", "--config", TINY, "--seed", "5", "--out",
        dir.resolve("s5").toString());
    assertThat(one.exit()).as(one.err()).isZero();
    JsonObject e = estimator(mixed.resolve("results.json"), "StoRobustGAN");
    JsonObject alone = estimator(dir.resolve("s5/results.json"), "StoRobustGAN");
    assertThat(e.getAsJsonArray("per_seed")).hasSize(1);
    assertThat(e.getAsJsonArray("seeds").get(0).getAsString()).isEqualTo("5");
    for (String key : KEYS) {
      assertThat(e.get(key).getAsDouble()).as(key).isEqualTo(alone.get(key).getAsDouble());
      assertThat(e.has(key + "_std")).as(key).isFalse();
    }
    assertThat(estimator(mixed.resolve("results.json"), "ErraticGAN").getAsJsonArray("per_seed")).hasSize(2);
    assertThat(Files.readString(mixed.resolve("report.md"))).contains("(1 of 2 seeds)");
    // a variant seed the reproduction does not run, or one without the first seed, is refused naming the field
    CliTest.Run other = CliTest.run("reproduce", "toy", "--config", TINY, "--seeds", "5,6",
        "--set", "toy_reproduction.variant[1].seeds=7", "--out", dir.resolve("bad").toString());
    assertThat(other.exit()).isEqualTo(2);
    assertThat(other.err()).contains("toy_reproduction.variant[StoRobustGAN].seeds: seed 7 is not one of the"
        + " reproduction's seeds [5, 6]");
    CliTest.Run noFirst = CliTest.run("reproduce", "toy", "--config", TINY, "--seeds", "5,6",
        "--set", "toy_reproduction.variant[1].seeds=6", "--out", dir.resolve("bad2").toString());
    assertThat(noFirst.exit()).isEqualTo(2);
    assertThat(noFirst.err()).contains("must hold the reproduction's first seed, 5");
  }
}
