package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ExperimentConfig;

/** Grid expansion and the refusals made before anything is submitted (exit 2, naming the path). */
class SweepGridTest {
  private static SweepTest.Run sweep(Path dir, String body) throws Exception {
    Path file = SweepTest.sweepFile(dir, body);
    return SweepTest.run(RestoreLabSpark.commandLine(), "sweep", "--config", file.toString(), "--master", "local[1]");
  }

  @Test
  void theGridIsTheProductOfTheAxesThenTheSeeds(@TempDir Path dir) throws Exception {
    Path file = SweepTest.sweepFile(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gamma" values: ["1", "10"] }
        axis { path: "toy_gan.estimator.hidden" values: ["8,8", "4"] }
        axis { path: "toy_gan.critic.hidden" values: ["16"] }
        seeds: [3, 4]
        output_root: "out"
        """.formatted(SweepTest.BASE));
    SweepPlan plan = SweepGrid.load(file);
    assertThat(plan.outputRoot()).isEqualTo(dir.resolve("out"));
    assertThat(plan.points()).hasSize(8);
    assertThat(plan.points().stream().map(SweepPoint::name).toList()).containsExactly(
        "r1_gamma=1,toy_gan.estimator.hidden=8+8,toy_gan.critic.hidden=16,seed=3",
        "r1_gamma=1,toy_gan.estimator.hidden=8+8,toy_gan.critic.hidden=16,seed=4",
        "r1_gamma=1,toy_gan.estimator.hidden=4,toy_gan.critic.hidden=16,seed=3",
        "r1_gamma=1,toy_gan.estimator.hidden=4,toy_gan.critic.hidden=16,seed=4",
        "r1_gamma=10,toy_gan.estimator.hidden=8+8,toy_gan.critic.hidden=16,seed=3",
        "r1_gamma=10,toy_gan.estimator.hidden=8+8,toy_gan.critic.hidden=16,seed=4",
        "r1_gamma=10,toy_gan.estimator.hidden=4,toy_gan.critic.hidden=16,seed=3",
        "r1_gamma=10,toy_gan.estimator.hidden=4,toy_gan.critic.hidden=16,seed=4");
    ExperimentConfig first = ExperimentConfig.parseFrom(plan.points().get(0).config());
    assertThat(first.getSeed()).isEqualTo(3);
    assertThat(first.getToyGan().getR1Gamma()).isEqualTo(1.0);
    assertThat(first.getToyGan().getEstimator().getHiddenList()).containsExactly(8, 8);
    assertThat(first.getToyGan().getSteps()).isEqualTo(30); // the base config's
    assertThat(plan.points().get(0).overrides()).containsExactly("toy_gan.r1_gamma=1", "toy_gan.estimator.hidden=8,8",
        "toy_gan.critic.hidden=16");
  }

  @Test
  void theExampleSweepLoads() {
    SweepPlan plan = SweepGrid.load(Path.of("src/test/resources/sweep/toy-sweep.pbtxt"));
    assertThat(plan.points().stream().map(SweepPoint::name).toList())
        .containsExactly("r1_gamma=1,seed=5", "r1_gamma=1,seed=6", "r1_gamma=10,seed=5", "r1_gamma=10,seed=6");
    assertThat(plan.outputRoot()).isEqualTo(Path.of("target/toy-sweep").toAbsolutePath());
  }

  @Test
  void withoutSeedsEveryPointKeepsTheBaseSeed(@TempDir Path dir) throws Exception {
    SweepPlan plan = SweepGrid.load(SweepTest.sweepFile(dir, """
        base_config: "%s"
        axis { path: "toy_gan.steps" values: ["2", "3"] }
        output_root: "out"
        """.formatted(SweepTest.BASE)));
    assertThat(plan.points().stream().map(SweepPoint::name).toList()).containsExactly("steps=2", "steps=3");
    assertThat(ExperimentConfig.parseFrom(plan.points().get(1).config()).getSeed()).isEqualTo(5);
  }

  @Test
  void aPathNotInTheBaseConfigIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    SweepTest.Run r = sweep(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gama" values: ["1"] }
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).startsWith("restorelab-spark: error: sweep config ").contains("axis toy_gan.r1_gama",
        "unknown field 'r1_gama'");
    assertThat(r.err().strip()).doesNotContain("\n");
    assertThat(dir.resolve("out")).doesNotExist();
  }

  @Test
  void aPathOfAnotherJobIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    SweepTest.Run r = sweep(dir, """
        base_config: "%s"
        axis { path: "image_gan.steps" values: ["1"] }
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("axis image_gan.steps", "does not exist in the base config", "job is toy_gan there");
  }

  @Test
  void aBadValueIsRefusedNamingThePath(@TempDir Path dir) throws Exception {
    SweepTest.Run r = sweep(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gamma" values: ["1", "-1"] }
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("axis toy_gan.r1_gamma", "r1_gamma");
  }

  @Test
  void anEmptyGridIsRefused(@TempDir Path dir) throws Exception {
    SweepTest.Run noValues = sweep(dir, """
        base_config: "%s"
        axis { path: "toy_gan.r1_gamma" }
        seeds: [1]
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(noValues.exit()).isEqualTo(2);
    assertThat(noValues.err()).contains("axis toy_gan.r1_gamma has no values, so the grid is empty");
    SweepTest.Run nothing = sweep(dir, """
        base_config: "%s"
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(nothing.exit()).isEqualTo(2);
    assertThat(nothing.err()).contains("the grid is empty");
  }

  @Test
  void anOutputRootThatCannotBeWrittenIsRefusedNamingIt(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("a-file"), "x");
    SweepTest.Run r = sweep(dir, """
        base_config: "%s"
        seeds: [1, 2]
        output_root: "a-file/out"
        """.formatted(SweepTest.BASE));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("output_root " + dir.resolve("a-file/out"), "is not a writable folder");
  }

  @Test
  void aSparkPropertyWithoutValueIsRefused(@TempDir Path dir) throws Exception {
    Path file = SweepTest.sweepFile(dir, """
        base_config: "%s"
        seeds: [1]
        output_root: "out"
        """.formatted(SweepTest.BASE));
    SweepTest.Run r = SweepTest.run(RestoreLabSpark.commandLine(), "sweep", "--config", file.toString(),
        "--conf", "spark.executor.memory");
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("--conf spark.executor.memory: expected spark.property=value");
  }

  @Test
  void aMissingBaseConfigOrDuplicateSeedIsRefused(@TempDir Path dir) throws Exception {
    SweepTest.Run missing = sweep(dir, """
        base_config: "nowhere.pbtxt"
        seeds: [1]
        output_root: "out"
        """);
    assertThat(missing.exit()).isEqualTo(2);
    assertThat(missing.err()).contains("base_config nowhere.pbtxt", "not found");
    SweepTest.Run twice = sweep(dir, """
        base_config: "%s"
        seeds: [1, 1]
        output_root: "out"
        """.formatted(SweepTest.BASE));
    assertThat(twice.exit()).isEqualTo(2);
    assertThat(twice.err()).contains("get the same run folder seed=1");
  }
}
