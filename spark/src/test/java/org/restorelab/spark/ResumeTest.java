package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.RestoreLab;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.StopFlag;
import org.restorelab.train.Checkpoint;

/**
 * A point stopped mid-run keeps its checkpoint; the sweep run again resumes it from there and
 * reaches, bit for bit, what an uninterrupted sequential {@code restorelab train} run gives.
 */
class ResumeTest {
  /** A console that raises {@code stop} when the training loop prints the progress line of {@code step}. */
  static PrintWriter stopAt(PrintWriter console, StopFlag stop, long step, long steps) {
    String marker = "] " + step + "/" + steps + " ";
    return new PrintWriter((Writer) console, true) {
      @Override
      public void write(String s, int off, int len) {
        super.write(s, off, len);
        if (s.substring(off, off + len).contains(marker)) {
          stop.request(); // in the training thread: the loop stops after this very step, with a checkpoint
        }
      }
    };
  }

  /** The rows of a metrics.csv without its last column (wall_seconds). */
  static List<String> lossRows(Path csv) throws Exception {
    return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }

  @Test
  void anInterruptedAndAKilledPointResumeFromTheirCheckpointsBitForBit(@TempDir Path dir) throws Exception {
    Path root = dir.resolve("sweep-out");
    Path sweep = SweepTest.sweepFile(dir, """
        base_config: "%s"
        seeds: [5, 6]
        output_root: "%s"
        """.formatted(SweepTest.BASE, root));
    SweepPlan plan = SweepGrid.load(sweep);
    assertThat(plan.points()).extracting(SweepPoint::name).containsExactly("seed=5", "seed=6");
    PointRunner runner = new PointRunner(plan.outputRoot(), sweep);

    // seed=5: stopped by its stop flag at step 10 of 30 (as Ctrl-C or a cancelled task would)
    long t0 = System.nanoTime();
    StopFlag stop5 = new StopFlag();
    PointRunner.Outcome first = runner.run(plan.points().get(0), stop5, c -> stopAt(c, stop5, 10, 30));
    assertThat(first.status()).as(String.valueOf(first.error())).isEqualTo("interrupted");
    Path p5 = root.resolve("seed=5");
    assertThat(Checkpoint.step(p5.resolve(PointRunner.CHECKPOINT))).isEqualTo(10);
    assertThat(SweepTest.json(p5.resolve("run.json")).get("status").getAsString()).isEqualTo("interrupted");
    assertThat(SweepTest.json(p5.resolve("results.json")).get("step").getAsLong()).isEqualTo(10);

    // seed=6: stopped at step 10 too (the first progress line; later ones come every 10 s), then left as a killed executor leaves it: run.json "running", lock free
    StopFlag stop6 = new StopFlag();
    assertThat(runner.run(plan.points().get(1), stop6, c -> stopAt(c, stop6, 10, 30)).status()).isEqualTo("interrupted");
    Path p6 = root.resolve("seed=6");
    assertThat(Checkpoint.step(p6.resolve(PointRunner.CHECKPOINT))).isEqualTo(10);
    JsonObject run6 = SweepTest.json(p6.resolve("run.json"));
    run6.addProperty("status", "running");
    run6.remove("end_time");
    Files.writeString(p6.resolve("run.json"), run6.toString());
    Files.delete(p6.resolve("results.json"));
    double interruptSeconds = (System.nanoTime() - t0) / 1e9;

    // an unfinished run of another config is not resumed (it starts again)
    ExperimentConfig point5 = ExperimentConfig.parseFrom(plan.points().get(0).config());
    assertThat(PointRunner.resumable(p5, point5)).isTrue();
    assertThat(PointRunner.resumable(p5, point5.toBuilder().setSeed(7).build())).isFalse();
    assertThat(PointRunner.resumable(dir.resolve("nothing-here"), point5)).isFalse();

    // the sweep run again resumes both
    long t1 = System.nanoTime();
    SweepTest.Run again = SweepTest.run(RestoreLabSpark.commandLine(), "sweep", "--config", sweep.toString(),
        "--master", "local[2]");
    double sweepSeconds = (System.nanoTime() - t1) / 1e9;
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    assertThat(again.out()).contains("2 points (0 finished earlier)");
    assertThat(again.out().split("finished \\(resumed from its checkpoint\\)", -1)).hasSize(3);
    for (var p : SweepTest.json(root.resolve(SweepSummary.RESULTS)).getAsJsonArray("points")) {
      assertThat(p.getAsJsonObject().get("status").getAsString()).isEqualTo("finished");
      assertThat(p.getAsJsonObject().get("resumed").getAsBoolean()).isTrue();
    }
    assertThat(Files.readString(p5.resolve(PointRunner.CONSOLE))).contains("resuming from " + p5.resolve("checkpoint.bin")
        + " at step 10");
    assertThat(Files.readString(p6.resolve(PointRunner.CONSOLE))).contains("resuming from " + p6.resolve("checkpoint.bin")
        + " at step 10");
    JsonArray earlier5 = SweepTest.json(p5.resolve("run.json")).getAsJsonArray("earlier_sessions");
    assertThat(earlier5).hasSize(1);
    assertThat(earlier5.get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("interrupted");
    JsonObject run6After = SweepTest.json(p6.resolve("run.json"));
    assertThat(run6After.get("status").getAsString()).isEqualTo("finished");
    assertThat(run6After.getAsJsonArray("earlier_sessions").get(0).getAsJsonObject().get("status").getAsString())
        .isEqualTo("killed");

    // uninterrupted sequential runs: the same numbers, weights and losses
    long t2 = System.nanoTime();
    for (String seed : List.of("5", "6")) {
      Path a = root.resolve("seed=" + seed);
      Path b = dir.resolve("sequential").resolve("seed=" + seed);
      SweepTest.Run train = SweepTest.run(RestoreLab.commandLine(), "train", "--config", SweepTest.BASE.toString(),
          "--seed", seed, "--out", b.toString());
      assertThat(train.exit()).as(train.out() + train.err()).isZero();
      JsonObject ra = SweepTest.json(a.resolve("results.json"));
      JsonObject rb = SweepTest.json(b.resolve("results.json"));
      ra.remove("seconds_per_iteration");
      rb.remove("seconds_per_iteration");
      assertThat(ra).as(seed).isEqualTo(rb);
      assertThat(ra.get("step").getAsLong()).isEqualTo(30);
      assertThat(Files.readString(a.resolve("config.pbtxt"))).isEqualTo(Files.readString(b.resolve("config.pbtxt")));
      assertThat(Files.readAllBytes(a.resolve("checkpoint.bin"))).isEqualTo(Files.readAllBytes(b.resolve("checkpoint.bin")));
      assertThat(lossRows(a.resolve("metrics.csv"))).hasSize(4).isEqualTo(lossRows(b.resolve("metrics.csv")));
      Map<String, byte[]> wa = SweepTest.files(a.resolve("savedmodel/variables"));
      Map<String, byte[]> wb = SweepTest.files(b.resolve("savedmodel/variables"));
      assertThat(wa).isNotEmpty();
      assertThat(wa.keySet()).isEqualTo(wb.keySet());
      for (String f : wa.keySet()) {
        assertThat(wa.get(f)).as(seed + " " + f).isEqualTo(wb.get(f));
      }
    }
    System.out.print(again.out());
    System.out.printf("interrupting two points: %.1f s; resuming sweep local[2]: %.1f s; two sequential runs: %.1f s%n",
        interruptSeconds, sweepSeconds, (System.nanoTime() - t2) / 1e9);
  }
}
