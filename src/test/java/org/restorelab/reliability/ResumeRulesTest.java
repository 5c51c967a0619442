package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --resume} takes the folder's own config.pbtxt as the only config: options that would
 * change it are refused, more steps are recorded in run.json without rewriting it, and a
 * finished run resumed is a no-op.
 */
class ResumeRulesTest {
  @Test
  void aResumedTrainingKeepsItsConfigAndAFinishedOneIsANoOp(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("t");
    Cli.Run first = Cli.run("train", "--config", Cli.TINY, "--variant", "ErraticGAN", "--out", out.toString(),
        "--set", "toy_reproduction.base.steps=20");
    assertThat(first.exit()).as(first.err()).isZero();
    String config = Files.readString(out.resolve("config.pbtxt"));
    String run = Files.readString(out.resolve("run.json"));
    String results = Files.readString(out.resolve("results.json"));

    // every option that would change the config is refused, and nothing in the folder changes
    String[][] refused = {
      {"--set", "toy_gan.optimizer.lr=0.5"},
      {"--set", "toy_gan.batch_size=8"},
      {"--seed", "9"},
      {"--config", Cli.TINY},
      {"--variant", "StoRobustGAN"},
      {"--overwrite"},
    };
    for (String[] options : refused) {
      Cli.Run r = Cli.run(RunFolderIntegrityTest.concat(new String[] {"train", "--out", out.toString(), "--resume"},
          options));
      assertThat(r.exit()).as(String.join(" ", options) + ": " + r.err()).isEqualTo(2);
      assertThat(r.errLines()).hasSize(1);
      assertThat(r.err()).contains("cannot be used with --resume");
    }
    assertThat(Files.readString(out.resolve("config.pbtxt"))).isEqualTo(config);

    // a finished run resumed with nothing changed: says so, touches nothing
    Cli.Run again = Cli.run("train", "--out", out.toString(), "--resume");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(again.out()).contains("nothing to do", "has finished");
    assertThat(Files.readString(out.resolve("run.json"))).isEqualTo(run);
    assertThat(Files.readString(out.resolve("results.json"))).isEqualTo(results);
    assertThat(Cli.json(out.resolve("results.json")).get("seconds_per_iteration").getAsDouble()).isPositive();

    // more steps: legitimate; recorded in run.json and applied, config.pbtxt untouched
    Cli.Run more = Cli.run("train", "--out", out.toString(), "--resume", "--set", "toy_gan.steps=30");
    assertThat(more.exit()).as(more.err()).isZero();
    assertThat(Files.readString(out.resolve("config.pbtxt"))).isEqualTo(config);
    JsonObject record = Cli.json(out.resolve("run.json"));
    assertThat(record.getAsJsonArray("resume_overrides").get(0).getAsString()).isEqualTo("toy_gan.steps=30");
    assertThat(Cli.json(out.resolve("results.json")).get("step").getAsLong()).isEqualTo(30);
    assertThat(Cli.json(out.resolve("results.json")).get("seconds_per_iteration").getAsDouble()).isPositive();

    // the earlier session's override carries over: a plain resume now has nothing to do
    Cli.Run plain = Cli.run("train", "--out", out.toString(), "--resume");
    assertThat(plain.exit()).as(plain.err()).isZero();
    assertThat(plain.out()).contains("nothing to do");

    // fewer steps than the checkpoint holds: refused, naming the step
    Cli.Run fewer = Cli.run("train", "--out", out.toString(), "--resume", "--set", "toy_gan.steps=10");
    assertThat(fewer.exit()).isEqualTo(2);
    assertThat(fewer.err()).contains("at step 30");
  }

  @Test
  void aFinishedPartOfAReproductionResumesWithTheRest(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("part");
    Cli.Run part = Cli.run("reproduce", "toy", "--config", Cli.TINY, "--only", "ErraticGAN", "--out", out.toString());
    assertThat(part.exit()).as(part.err()).isZero();
    Cli.Run rest = Cli.run("reproduce", "toy", "--out", out.toString(), "--resume", "--only", "StoRobustGAN");
    assertThat(rest.exit()).as(rest.err()).isZero();
    assertThat(rest.out()).contains("training StoRobustGAN").doesNotContain("nothing to do");
    // the whole reproduction, resumed once it has finished: nothing to do
    Cli.Run whole = Cli.run("reproduce", "toy", "--out", out.toString(), "--resume");
    assertThat(whole.exit()).as(whole.err()).isZero();
    assertThat(whole.out()).doesNotContain("training ");
  }

  @Test
  void aResumedReproductionRefusesNewSettings(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("r");
    Files.createDirectories(out.resolve("configs"));
    Files.copy(Path.of(Cli.TINY), out.resolve("config.pbtxt"));
    Files.writeString(out.resolve("run.json"), "{\"status\": \"interrupted\"}\n");
    for (String[] options : new String[][] {{"--quick"}, {"--seed", "3"}, {"--set", "toy_reproduction.base.steps=5"},
        {"--config", Cli.TINY}}) {
      Cli.Run r = Cli.run(RunFolderIntegrityTest.concat(new String[] {"reproduce", "toy", "--out", out.toString(),
          "--resume"}, options));
      assertThat(r.exit()).as(r.err()).isEqualTo(2);
      assertThat(r.err()).contains(options[0] + " cannot be used with --resume");
    }
  }
}
