package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFailedException;
import org.restorelab.run.RunFolder;

/**
 * A user error is one line and exit 2; a failure while running is one line and exit 1 naming the
 * run.json that keeps the full stack trace; results.json is always valid JSON.
 */
class ErrorReportingTest {
  @Test
  void aBinaryConfigIsNamedAsNotText(@TempDir Path dir) throws IOException {
    Path config = dir.resolve("model.bin");
    Files.write(config, new byte[] {(byte) 0x89, 'P', 'N', 'G', 0, (byte) 0xff, (byte) 0xfe, 1, 2, 3});
    Cli.Run r = Cli.run("analytic", "--config", config.toString(), "--out", dir.resolve("o").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.errLines()).containsExactly("restorelab: error: config file " + config
        + " is not UTF-8 text: expected a Protobuf text config (an ExperimentConfig, see configs/)");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  @Test
  void aFailureWhileRunningIsOneLineAndTheTraceIsInRunJson(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("o");
    Files.createDirectories(out.resolve("results.json").resolve("blocker")); // results.json cannot be written
    Cli.Run r = Cli.run(RunFolderIntegrityTest.concat(new String[] {"analytic", "--out", out.toString()}, QUICK));
    assertThat(r.exit()).isEqualTo(1);
    assertThat(r.errLines()).hasSize(1);
    assertThat(r.err()).startsWith("restorelab: failed: ").contains(out.resolve("results.json").toString())
        .contains("(stack trace in " + out.resolve("run.json") + ")");
    JsonObject run = Cli.json(out.resolve("run.json"));
    assertThat(run.get("status").getAsString()).isEqualTo("failed");
    assertThat(run.get("trace").getAsString()).contains("at org.restorelab.run.AtomicFiles");
  }

  @Test
  void outOfMemoryIsRecordedAsAFailureWithItsTrace(@TempDir Path dir) throws Exception {
    RunFolder folder = RunFolder.at(dir.resolve("r"), false);
    ExperimentConfig config = ExperimentConfig.newBuilder().setName("x").build();
    assertThatThrownBy(() -> RunExecutor.execute(folder, config, "train", List.of(), "x", f -> {
      throw new OutOfMemoryError("Java heap space");
    })).isInstanceOf(RunFailedException.class).hasMessageStartingWith("out of memory (Java heap space)");
    JsonObject run = Cli.json(dir.resolve("r/run.json"));
    assertThat(run.get("status").getAsString()).isEqualTo("failed");
    assertThat(run.get("error").getAsString()).startsWith("out of memory");
    assertThat(run.get("trace").getAsString()).contains("java.lang.OutOfMemoryError: Java heap space");
  }

  @Test
  void aFullDiskNamesTheFile(@TempDir Path dir) {
    Path target = dir.resolve("results.json");
    assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
      throw new IOException("No space left on device");
    })).isInstanceOf(IOException.class).hasMessage("cannot write " + target + ": No space left on device");
    assertThat(target).doesNotExist();
  }

  @Test
  void nonFiniteResultsAreNullWithAReasonInValidJson(@TempDir Path dir) throws Exception {
    RunFolder folder = RunFolder.at(dir.resolve("r"), false);
    JsonObject results = new JsonObject();
    results.addProperty("recall", Double.NaN);
    results.addProperty("precision", 0.5);
    JsonObject nested = new JsonObject();
    nested.addProperty("fid", Double.POSITIVE_INFINITY);
    com.google.gson.JsonArray row = new com.google.gson.JsonArray();
    row.add(1.0);
    row.add(Double.NEGATIVE_INFINITY);
    nested.add("values", row);
    results.add("model", nested);
    folder.writeResults(results);
    folder.close();
    String text = Files.readString(dir.resolve("r/results.json"));
    JsonObject parsed = JsonParser.parseString(text).getAsJsonObject(); // strict JSON has no NaN
    assertThat(text).doesNotContainPattern("(\"\\s*:|[\\[,])\\s*-?(NaN|Infinity)"); // no bare non-finite literal
    assertThat(parsed.get("recall").isJsonNull()).isTrue();
    assertThat(parsed.get("recall_reason").getAsString()).isEqualTo("not finite: NaN");
    assertThat(parsed.get("precision").getAsDouble()).isEqualTo(0.5);
    JsonObject m = parsed.getAsJsonObject("model");
    assertThat(m.get("fid").isJsonNull()).isTrue();
    assertThat(m.get("fid_reason").getAsString()).isEqualTo("not finite: Infinity");
    assertThat(m.getAsJsonArray("values").get(1).isJsonNull()).isTrue();
    assertThat(m.get("values_reason").getAsString()).isEqualTo("[1] not finite: -Infinity");
  }

  /** A quick analytic run: few samples and repetitions. */
  static final String[] QUICK = {
    "--set", "analytic.handcrafted.repetitions=2",
    "--set", "analytic.handcrafted.support_samples=100",
    "--set", "analytic.handcrafted.precision_recall.num_samples=100",
    "--set", "analytic.ellipse.repetitions=2",
    "--set", "analytic.ellipse.support_samples=100",
    "--set", "analytic.ellipse.precision_recall.num_samples=100",
    "--set", "analytic.zigzag.num_samples=50",
    "--set", "analytic.zigzag.repetitions=2",
  };
}
