package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.RestoreLab;
import picocli.CommandLine;

/**
 * The reliability issue's cases, through the CLI: each bad numeric value is refused when the config
 * loads (or, for a batch beyond memory, before the run folder exists) with exit 2 and one line that
 * names the field and what was expected, and no run folder is created.
 */
class ConfigValidationTest {
  @TempDir Path dir;

  record Run(int exit, String out, String err) {}

  private Run run(String... args) {
    CommandLine cmd = RestoreLab.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cmd.setOut(new PrintWriter(out));
    cmd.setErr(new PrintWriter(err));
    return new Run(cmd.execute(args), out.toString(), err.toString());
  }

  /** Runs {@code args} with {@code --out <dir>/run} and asserts exit 2, one line with {@code expected}, no folder. */
  private String refused(String expected, String... args) {
    Path out = dir.resolve("run");
    String[] all = java.util.Arrays.copyOf(args, args.length + 2);
    all[args.length] = "--out";
    all[args.length + 1] = out.toString();
    Run r = run(all);
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).contains(expected).doesNotContain("\n").doesNotContain("Exception");
    assertThat(out).doesNotExist();
    assertThat(dir.resolve("runs")).doesNotExist();
    return r.err().strip();
  }

  private String toyGanConfig() throws IOException {
    Path f = dir.resolve("toy.pbtxt");
    Files.writeString(f, "name: \"toy\"\ntoy_gan { steps: 10 estimator { hidden: [16] } critic { hidden: [16] } }\n");
    return f.toString();
  }

  @Test
  void aNanLearningRateIsRefusedNotTrainedUntilItDiverges() throws IOException {
    String line = refused("toy_gan.estimator_optimizer.lr = NaN: expected a finite number",
        "train", "--config", toyGanConfig(), "--set", "toy_gan.estimator_optimizer.lr=NaN");
    assertThat(line).isEqualTo("restorelab: error: --set toy_gan.estimator_optimizer.lr=NaN:"
        + " toy_gan.estimator_optimizer.lr = NaN: expected a finite number");
    refused("toy_reproduction.base.critic_optimizer.lr = Infinity: expected a finite number",
        "train", "--variant", "StoRobustGAN", "--set", "toy_reproduction.base.critic_optimizer.lr=inf");
  }

  @Test
  void aNanR1GammaAndAZeroImageSizeOfAnImageGanAreRefused() {
    refused("image_gan.r1_gamma = NaN: expected a finite number",
        "train", "--config", "configs/cpu/sr4-ErraticGAN.pbtxt", "--set", "image_gan.r1_gamma=nan");
    refused("image_gan.data.image_size = 0: expected an integer in [1, inf)",
        "train", "--config", "configs/cpu/sr4-ErraticGAN.pbtxt", "--set", "image_gan.data.image_size=0");
  }

  @Test
  void anUnknownFixedFacesValueIsRefusedNamingTheElement() {
    String line = refused("image_gan.data.faces.fixed[1].value: \"blu\" is not a value of eye_color (expected one of"
        + " brown, blue, green, grey)", "train", "--config", "configs/cpu/inpainting24-ErraticGAN.pbtxt",
        "--set", "image_gan.data.faces.fixed[1].value=blu");
    assertThat(line).startsWith("restorelab: error: ");
    refused("image_evaluation.data.faces.fixed[0].factor: \"hair\" is not a factor of the faces",
        "evaluate", "images", "--config", "configs/cpu/evaluate-inpainting24.pbtxt",
        "--set", "image_evaluation.data.faces.fixed[0].factor=hair");
  }

  @Test
  void aNanAttackEpsilonIsBlamedOnTheConfigNotOnTheModel() {
    String line = refused("image_evaluation.attack.epsilon = NaN: expected a finite number",
        "evaluate", "images", "--config", "configs/cpu/evaluate-sr4.pbtxt", "--set", "image_evaluation.attack.epsilon=NaN");
    assertThat(line).doesNotContain("output NaN");
    refused("toy_evaluation.evaluation.attack.epsilon = NaN: expected a finite number",
        "evaluate", "toy", "--model", "savedmodels/toy/effective/StoRobustGAN",
        "--set", "toy_evaluation.evaluation.attack.epsilon=NaN");
  }

  @Test
  void precisionRecallKMustBeAtLeastOneAndBelowTheSampleCount() {
    refused("analytic.handcrafted.precision_recall.k = 5000: expected at most num_samples - 1"
        + " (analytic.handcrafted.precision_recall.num_samples = 1000)",
        "analytic", "--set", "analytic.handcrafted.precision_recall.k=5000");
    refused("toy_evaluation.evaluation.precision_recall.k = 0: expected an integer in [1, inf)",
        "evaluate", "toy", "--model", "savedmodels/toy/effective/StoRobustGAN",
        "--set", "toy_evaluation.evaluation.precision_recall.k=0");
    refused("image_evaluation.precision_recall.k = 50: expected at most real_samples - 1 (image_evaluation.real_samples = 50)",
        "evaluate", "images", "--config", "configs/cpu/evaluate-sr4.pbtxt", "--set", "image_evaluation.real_samples=50",
        "--set", "image_evaluation.precision_recall.k=50");
  }

  @Test
  void aNegativeValidationSizeAndSampleCountsBeyondItAreRefused() {
    refused("toy_evaluation.validation_size = -1: expected an integer in [1, inf)",
        "evaluate", "toy", "--model", "savedmodels/toy/effective/StoRobustGAN", "--set", "toy_evaluation.validation_size=-1");
    refused("toy_evaluation.evaluation.sensitivity_inputs = 1000: expected at most toy_evaluation.validation_size = 900",
        "evaluate", "toy", "--model", "savedmodels/toy/effective/StoRobustGAN", "--set", "toy_evaluation.validation_size=900",
        "--set", "toy_evaluation.evaluation.precision_recall.num_samples=400");
    refused("toy_reproduction.evaluation.exact_inputs = 400: expected at most"
        + " toy_reproduction.evaluation.sensitivity_inputs = 300",
        "reproduce", "toy", "--quick", "--set", "toy_reproduction.evaluation.exact_inputs=400");
  }

  @Test
  void aBatchOfABillionIsRefusedBeforeTheJvmIsKilled() throws IOException {
    String line = refused("toy_gan.batch_size = 1000000000: a training step needs up to",
        "train", "--config", toyGanConfig(), "--set", "toy_gan.batch_size=1000000000");
    assertThat(line).contains("per example", "of physical memory (MemTotal", "the largest batch that fits is");
    refused("toy_reproduction.base.batch_size (variant ErraticGAN) = 1000000000: a training step needs up to",
        "reproduce", "toy", "--quick", "--set", "toy_reproduction.base.batch_size=1000000000");
    // train --variant resolves the variant into a toy_gan job first, whose field the message names
    refused("toy_gan.batch_size = 1000000000: a training step needs up to",
        "train", "--variant", "StoRobustGAN", "--set", "toy_reproduction.base.batch_size=1000000000");
    // image steps: a lower bound (y, x, x_hat and the width-8 first activation): 4 x 32 x 32 x (3 + 3 + 3 + 8) = 69,632 bytes
    String image = refused("image_gan.batch_size = 1000000000: a training step needs at least",
        "train", "--config", "configs/cpu/inpainting-StoRobustGAN.pbtxt", "--set", "image_gan.batch_size=1000000000");
    assertThat(image).contains("(68.0 KiB per example");
    refused("conditional_flow.batch_size = 1000000000: a training step needs at least",
        "train", "--config", "configs/cpu/sr4-SRFlow.pbtxt", "--set", "conditional_flow.batch_size=1000000000");
  }

  @Test
  void aResumedRunChecksItsSavedConfigWithTheNewOverrides() throws IOException {
    Path out = dir.resolve("resumed");
    Files.createDirectories(out);
    Files.writeString(out.resolve("config.pbtxt"), Files.readString(Path.of(toyGanConfig())));
    Files.writeString(out.resolve("checkpoint.bin"), "");
    Files.writeString(out.resolve("run.json"), "{}");
    Run r = run("train", "--resume", "--out", out.toString(), "--set", "toy_gan.r1_gamma=NaN");
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err().strip()).startsWith("restorelab: error: --set toy_gan.r1_gamma=NaN cannot be used with --resume");
    // the one field a resume may change (more steps) is range-checked like any other
    Run steps = run("train", "--resume", "--out", out.toString(), "--set", "toy_gan.steps=-5");
    assertThat(steps.exit()).as(steps.err()).isEqualTo(2);
    assertThat(steps.err().strip()).isEqualTo(
        "restorelab: error: --set toy_gan.steps=-5: toy_gan.steps = -5: expected an integer in [1, inf)");
  }
}
