package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One output folder, one process: a second process is refused naming the holder's PID, a killed
 * run is recorded as killed by the next command, and nothing of the first run is mixed or lost.
 */
class RunFolderIntegrityTest {
  private static final String[] LONG_TRAINING = {"train", "--config", Cli.TINY, "--variant", "ErraticGAN",
      "--set", "toy_reproduction.base.steps=1000000", "--set", "toy_reproduction.base.checkpoint_every=20"};

  @Test
  void aSecondProcessOnTheSameFolderIsRefusedAndAKilledRunIsRecordedAsKilled(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    Process first = Cli.start(dir.resolve("first.log"), concat(LONG_TRAINING, "--seed", "1", "--out", out.toString()));
    try {
      Cli.awaitLines(out.resolve("metrics.csv"), 3, dir.resolve("first.log"));
      String configBefore = Files.readString(out.resolve("config.pbtxt"));

      // a second run, even with --overwrite, and a resume are refused while the first one runs
      for (String[] second : new String[][] {
          concat(LONG_TRAINING, "--seed", "2", "--out", out.toString(), "--overwrite"),
          {"train", "--out", out.toString(), "--resume"}}) {
        Cli.Run r = Cli.run(second);
        assertThat(r.exit()).as(r.err()).isEqualTo(2);
        assertThat(r.errLines()).hasSize(1);
        assertThat(r.err()).contains("output folder " + out + " is in use by another restorelab process (PID "
            + first.pid());
      }
      assertThat(Files.readString(out.resolve("config.pbtxt"))).isEqualTo(configBefore);
      assertThat(Cli.json(out.resolve("run.json")).get("seed").getAsString()).isEqualTo("1");
    } finally {
      first.destroyForcibly(); // SIGKILL: no shutdown hook, no final record
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    assertThat(Cli.json(out.resolve("run.json")).get("status").getAsString()).isEqualTo("running");

    // the next command finds the stale record and the free lock: the run was killed; resuming it works
    long stoppedAt = org.restorelab.train.Checkpoint.step(out.resolve("checkpoint.bin"));
    Cli.Run resumed = Cli.run("train", "--out", out.toString(), "--resume", "--set", "toy_gan.steps=" + (stoppedAt + 10));
    JsonObject run = Cli.json(out.resolve("run.json"));
    JsonObject killed = run.getAsJsonArray("earlier_sessions").get(0).getAsJsonObject();
    assertThat(killed.get("status").getAsString()).isEqualTo("killed");
    assertThat(killed.get("pid").getAsLong()).isEqualTo(first.pid());
    assertThat(killed.has("killed_detected_at")).isTrue();
    assertThat(resumed.exit()).as(resumed.err()).isZero();
    assertThat(run.get("status").getAsString()).isEqualTo("finished");
    assertThat(run.get("seed").getAsString()).isEqualTo("1");
  }

  @Test
  void aFolderWithAStaleRunningRecordIsMarkedKilledEvenWhenTheNewRunIsRefused(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("r");
    Files.createDirectories(out);
    Files.writeString(out.resolve("run.json"), "{\"status\": \"running\", \"pid\": 999999}\n");
    Cli.Run r = Cli.run(concat(LONG_TRAINING, "--out", out.toString()));
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("already holds a run", "--resume");
    assertThat(Cli.json(out.resolve("run.json")).get("status").getAsString()).isEqualTo("killed");
  }

  static String[] concat(String[] a, String... b) {
    String[] r = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, r, a.length, b.length);
    return r;
  }
}
