package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.FlatCriticConfig;
import org.restorelab.config.ImageGanConfig;

/**
 * The flat critic watch: a run of critic losses within the tolerance of 2 ln 2, its column in
 * metrics.csv and warning on the progress line, and the stop with a checkpoint.
 */
class FlatCriticTest {
  @TempDir Path dir;

  private static final double CHANCE = 2 * Math.log(2);

  @Test
  void theDetectorCountsConsecutiveLossesNearTwoLnTwo() {
    assertThat(FlatCriticDetector.CHANCE_LOSS).isEqualTo(1.3862943611198906);
    FlatCriticDetector d = new FlatCriticDetector(0.01, 3);
    // within 0.01 on both sides, then out, then NaN (a diverged loss is not flat)
    double[] losses = {CHANCE, CHANCE + 0.009, CHANCE - 0.0099, CHANCE + 0.02, CHANCE, CHANCE - 0.005, CHANCE,
        CHANCE, Double.NaN, CHANCE};
    long[] runs = {1, 2, 3, 0, 1, 2, 3, 4, 0, 1};
    boolean[] flat = {false, false, true, false, false, false, true, true, false, false};
    boolean[] became = {false, false, true, false, false, false, true, false, false, false};
    for (int i = 0; i < losses.length; i++) {
      assertThat(d.observe(losses[i])).as("step %d", i + 1).isEqualTo(runs[i]);
      assertThat(d.runLength()).isEqualTo(runs[i]);
      assertThat(d.flat()).as("flat at step %d", i + 1).isEqualTo(flat[i]);
      assertThat(d.becameFlat()).as("became flat at step %d", i + 1).isEqualTo(became[i]);
    }
    // a learning critic (loss ~ 0.5, or an overconfident estimator's ~ 3) never is
    FlatCriticDetector learning = new FlatCriticDetector(FlatCriticConfig.getDefaultInstance());
    for (int i = 0; i < 1000; i++) {
      assertThat(learning.observe(i % 2 == 0 ? 0.5 : 3.0)).isZero();
    }
  }

  @Test
  void aRestoredRunContinuesAndTheWarningNamesWhereItBegan() {
    FlatCriticDetector d = new FlatCriticDetector(0.01, 200);
    d.restore(199);
    assertThat(d.flat()).isFalse();
    d.observe(CHANCE);
    assertThat(d.becameFlat()).isTrue();
    // 200 flat steps ending with step 250 began at step 51
    assertThat(d.warning(250)).isEqualTo("critic flat since step 51: loss_critic within 0.01 of 2 ln 2 = 1.386 for 200+ steps");
    d.observe(CHANCE);
    assertThat(d.becameFlat()).isFalse(); // once per flat stretch: a resumed run goes on past the stop
    assertThat(d.flat()).isTrue();
    assertThatThrownBy(() -> d.restore(-1)).isInstanceOf(IllegalArgumentException.class);
  }

  private static ImageGanConfig flat(int steps, boolean stop) {
    ImageGanConfig.Builder b = ImageGanTrainerTest.tiny("StoErraticGAN", true, false, steps).toBuilder();
    // a tolerance of 10 makes every step flat
    b.getFlatCriticBuilder().setTolerance(10).setSteps(3).setStop(stop);
    return b.build();
  }

  @Test
  void withStopAFlatCriticStopsTheRunAtItsStepWithACheckpointAndAResumeGoesOn() throws Exception {
    RandomImages train = new RandomImages(40, 32, 1);
    RandomImages validation = new RandomImages(8, 32, 2);
    ImageGanConfig config = flat(6, true).toBuilder().setLogEvery(2).build();
    StringWriter console = new StringWriter();
    Throwable stop = catchThrowable(() -> GanTrainer.images(config, 7, dir).train(train, validation, false,
        new PrintWriter(console)));
    assertThat(stop).isInstanceOf(TrainingLoop.EarlyStopException.class)
        .hasMessageStartingWith("critic flat at step 3: loss_critic = 1.3")
        .hasMessageContaining("within 10.0 of 2 ln 2 = 1.3863 for 3 consecutive steps (flat_critic.stop: true)")
        .hasMessageContaining("checkpoint " + dir.resolve(Checkpoint.FILE) + " (step 3)");
    Checkpoint ckpt = Checkpoint.read(dir.resolve(Checkpoint.FILE));
    assertThat(ckpt.step()).isEqualTo(3);
    assertThat(ckpt.state()).containsEntry(GanTrainer.STATE_FLAT, 3.0);
    // the stop step is logged although log_every = 2, its loss the one the message names
    List<String> rows = ImageGanTrainerTest.rowsWithoutWallTime(dir.resolve("metrics.csv"));
    assertThat(rows).hasSize(3);
    String[] last = rows.get(2).split(",");
    assertThat(last[0]).isEqualTo("3");
    assertThat(last[8]).isEqualTo("3.0");
    assertThat(stop).hasMessageContaining(String.format(java.util.Locale.ROOT, "loss_critic = %.4f,",
        Double.parseDouble(last[3])));
    assertThat(console.toString()).contains("3/6").contains("WARNING: critic flat since step 1");

    // resumed, the run goes on past the stop (it fired once for this flat stretch) to the end
    GanTrainer.Outcome resumed = GanTrainer.images(config, 7, dir).train(train, validation, true,
        new PrintWriter(new StringWriter()));
    assertThat(resumed.finished()).isTrue();
    assertThat(resumed.lastMetrics()).containsEntry("critic_flat_steps", 6.0);
    assertThat(ImageGanTrainerTest.rowsWithoutWallTime(dir.resolve("metrics.csv")).stream().skip(1)
        .map(r -> r.split(",")[0] + ":" + r.split(",")[8]).toList()).containsExactly("2:2.0", "3:3.0", "4:4.0", "6:6.0");
  }

  @Test
  void withoutStopAFlatCriticIsOnlyAWarningAndAColumn() throws Exception {
    StringWriter console = new StringWriter();
    GanTrainer.Outcome outcome = GanTrainer.images(flat(4, false), 7, dir)
        .train(new RandomImages(40, 32, 1), new RandomImages(8, 32, 2), false, new PrintWriter(console));
    assertThat(outcome.finished()).isTrue();
    assertThat(outcome.step()).isEqualTo(4);
    assertThat(ImageGanTrainerTest.rowsWithoutWallTime(dir.resolve("metrics.csv")).stream().skip(1)
        .map(r -> r.split(",")[8]).toList()).containsExactly("1.0", "2.0", "3.0", "4.0");
    // no warning before the third flat step, then on the progress line
    List<String> lines = console.toString().lines().filter(l -> l.startsWith("[")).toList();
    assertThat(lines.get(0)).startsWith("[").contains("1/4").doesNotContain("WARNING");
    assertThat(lines).anyMatch(l -> l.contains("3/4") && l.endsWith(
        "  WARNING: critic flat since step 1: loss_critic within 10.0 of 2 ln 2 = 1.386 for 3+ steps"));
  }
}
