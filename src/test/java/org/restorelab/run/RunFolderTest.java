package org.restorelab.run;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;

class RunFolderTest {
  @Test
  void numberedFoldersCountUp(@TempDir Path dir) throws IOException {
    RunFolder a = RunFolder.next(dir, "toy analytic");
    a.writeRun(new JsonObject());
    RunFolder b = RunFolder.next(dir, "toy analytic");
    assertThat(a.dir().getFileName().toString()).isEqualTo("00000-toy_analytic");
    assertThat(b.dir().getFileName().toString()).isEqualTo("00001-toy_analytic");
  }

  @Test
  void aFinishedRunIsNeverSilentlyOverwritten(@TempDir Path dir) throws IOException {
    RunFolder a = RunFolder.at(dir.resolve("r"), false);
    a.writeRun(new JsonObject());
    AtomicFiles.writeString(a.file("old.txt"), "old");
    assertThatThrownBy(() -> RunFolder.at(dir.resolve("r"), false))
        .isInstanceOf(ConfigException.class).hasMessageContaining("already holds a run");
    RunFolder.at(dir.resolve("r"), true);
    assertThat(dir.resolve("r/old.txt")).doesNotExist();
  }

  @Test
  void atomicWritesReplaceWholeFilesAndLeaveNoTemporaries(@TempDir Path dir) throws IOException {
    Path f = dir.resolve("sub/x.txt");
    AtomicFiles.writeString(f, "first");
    AtomicFiles.writeString(f, "second");
    assertThat(f).hasContent("second");
    assertThatThrownBy(() -> AtomicFiles.write(f, out -> {
      out.write("partial".getBytes());
      throw new IOException("disk full");
    })).hasMessage("cannot write " + f + ": disk full");
    assertThat(f).hasContent("second");
    try (var files = Files.list(f.getParent())) {
      assertThat(files).containsExactly(f);
    }
  }

  @Test
  void aResumedRunKeepsTheRecordsOfItsEarlierSessions(@TempDir Path dir) throws Exception {
    ExperimentConfig config = ExperimentConfig.newBuilder().setName("x").setSeed(3).build();
    RunFolder first = RunFolder.at(dir.resolve("r"), false);
    RunExecutor.execute(first, config, "train", List.of("train", "--config", "c.pbtxt"), "c.pbtxt",
        f -> new JobOutput(new JsonObject(), "", "interrupted"));
    for (int session = 2; session <= 3; session++) {
      RunFolder again = RunFolder.existing(dir.resolve("r"));
      assertThat(again.resumed()).isTrue();
      RunExecutor.execute(again, config, "train", List.of("train", "--resume"), "embedded:default",
          f -> new JobOutput(new JsonObject(), "", "finished"));
    }
    JsonObject run = RunFolder.existing(dir.resolve("r")).readRun();
    assertThat(run.get("config_source").getAsString()).isEqualTo("resumed from this folder's config.pbtxt");
    assertThat(run.get("status").getAsString()).isEqualTo("finished");
    var earlier = run.getAsJsonArray("earlier_sessions");
    assertThat(earlier).hasSize(2);
    assertThat(earlier.get(0).getAsJsonObject().get("config_source").getAsString()).isEqualTo("c.pbtxt");
    assertThat(earlier.get(0).getAsJsonObject().get("status").getAsString()).isEqualTo("interrupted");
    assertThat(earlier.get(1).getAsJsonObject().has("earlier_sessions")).isFalse();
    assertThat(RunFolder.at(dir.resolve("s"), false).resumed()).isFalse();

    // a session killed before it finished left status "running": the next one says so
    RunFolder killed = RunFolder.at(dir.resolve("k"), false);
    JsonObject running = new JsonObject();
    running.addProperty("status", "running");
    killed.writeRun(running);
    RunExecutor.execute(RunFolder.existing(dir.resolve("k")), config, "train", List.of(), "x",
        f -> new JobOutput(new JsonObject(), "", "finished"));
    assertThat(RunFolder.existing(dir.resolve("k")).readRun().getAsJsonArray("earlier_sessions").get(0)
        .getAsJsonObject().get("status").getAsString()).isEqualTo("killed");
  }

  @Test
  void anEmptyRunRecordIsNamedWhenResuming(@TempDir Path dir) throws IOException {
    RunFolder a = RunFolder.at(dir.resolve("r"), false);
    AtomicFiles.writeString(a.file(RunFolder.RUN), "");
    assertThatThrownBy(() -> RunFolder.existing(dir.resolve("r")).readRun())
        .isInstanceOf(ConfigException.class).hasMessageContaining("run.json is empty");
  }

  @Test
  void seedsDependOnlyOnSeedAndPath() {
    assertThat(Seeds.derive(1, "a/b")).isEqualTo(Seeds.derive(1, "a/b"));
    assertThat(Seeds.derive(1, "a/b")).isNotEqualTo(Seeds.derive(2, "a/b"));
    assertThat(Seeds.derive(1, "a/b")).isNotEqualTo(Seeds.derive(1, "a/c"));
  }
}
