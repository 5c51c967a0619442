package org.restorelab.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.stream.IntStream;
import org.restorelab.bench.MatmulBaseline;
import org.restorelab.bench.OpProfile;
import org.restorelab.config.ImageGanConfig.ComputePrecision;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.graph.ConvolutionPrecision;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.JobOutput;
import org.restorelab.train.ImageGanBenchmark;
import org.restorelab.train.ImageGanValidation;
import org.restorelab.train.PrecisionComparison;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab bench image}: seconds per training iteration of an image GAN at its
 * configured scale (default: the paper-scale CelebA inpainting StoRobustGAN, s = 24, f = 16),
 * plain and robust, the achieved GFLOP/s over this machine's float32 matmul rate measured in the
 * same run, the projected wall time of the configured number of steps, and bfloat16
 * convolutions against float32 (speed, and the PSNR between the two outputs).
 */
@Command(name = "image", mixinStandardHelpOptions = true,
    description = "Speed of an image GAN training iteration (default: paper-scale CelebA inpainting StoRobustGAN),"
        + " its GFLOP/s against the machine's matmul rate, the projected training time, and bfloat16 vs float32.")
public final class BenchImageCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "celeba/inpainting-StoRobustGAN.pbtxt";

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "An image_gan config. Default: the embedded configs/" + DEFAULT_CONFIG + ".")
  Path config;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable).")
  java.util.List<String> overrides = new java.util.ArrayList<>();

  @Option(names = "--repeats", description = "Timed runs of each kind of iteration (default ${DEFAULT-VALUE}).",
      defaultValue = "2")
  int repeats;

  @Option(names = "--no-bfloat16", negatable = true, defaultValue = "true",
      description = "Also time bfloat16 convolutions and compare their output (default: on).")
  boolean bfloat16;

  @Option(names = "--profile", paramLabel = "N", defaultValue = "0",
      description = "Print the N op types that take the most op time in a traced float32 plain and robust iteration"
          + " (default ${DEFAULT-VALUE}: none).")
  int profile;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExperimentConfig experiment = ConfigLoader.applyOverrides(config == null
        ? ConfigLoader.loadEmbedded(DEFAULT_CONFIG) : ConfigLoader.load(config), overrides);
    if (!experiment.hasImageGan()) {
      throw new ConfigException("bench image needs an image_gan config");
    }
    ImageGanValidation.validate(experiment.getImageGan(), "image_gan");
    PrintWriter log = spec.commandLine().getOut();
    return RunCommand.execute(spec, output.runFolder("bench-image"), experiment, "bench image",
        config == null ? "embedded:configs/" + DEFAULT_CONFIG : config.toString(), f -> measure(experiment, log));
  }

  private JobOutput measure(ExperimentConfig experiment, PrintWriter log) {
    ImageGanConfig c = experiment.getImageGan();
    double matmul = MatmulBaseline.gflops(2048, 5);
    log.printf(Locale.ROOT, "float32 matmul 2048^3 (TensorFlow): %.1f GFLOP/s%n", matmul);
    // the cost does not depend on the pixels: procedural faces of the configured size stand in
    ImageSet images = new ProceduralFaces(ProceduralFacesConfig.newBuilder().setTrainSize(c.getBatchSize()).build(),
        c.getData().getImageSize(), experiment.getSeed(), Split.TRAIN);
    MarkdownTable table = new MarkdownTable("precision", "plain iteration (s)", "robust iteration (s)",
        "mean iteration (s)", "GFLOP / mean iteration", "achieved GFLOP/s", "ratio to matmul", "steps per hour",
        "projected " + c.getSteps() + " steps");
    JsonObject results = new JsonObject();
    results.addProperty("schema", "restorelab.bench.image/1");
    results.addProperty("matmul_gflops", matmul);
    results.addProperty("batch_size", c.getBatchSize());
    results.addProperty("steps", c.getSteps());
    ImageGanBenchmark.Timing f32 = run(c.toBuilder().setPrecision(ComputePrecision.FLOAT32).build(), experiment, images,
        repeats, log, matmul, table, results, "float32", profile);
    String comparison = "";
    if (bfloat16) {
      // the same iterations with bfloat16 convolutions (estimator, critic and the attack's inner steps)
      ImageGanBenchmark.Timing b = run(c.toBuilder().setPrecision(ComputePrecision.BFLOAT16_CONV).build(), experiment,
          images, repeats, log, matmul, table, results, "bfloat16", 0);
      float[] batch = BatchLoader.readAll(images, IntStream.range(0, Math.min(8, images.size())).toArray());
      double psnr = PrecisionComparison.outputPsnr(c, experiment.getSeed(), batch);
      log.printf(Locale.ROOT, "bfloat16 convolutions: plain %.3f s (float32 %.3f s, speed-up %.2fx), mean iteration"
          + " %.3f s (float32 %.3f s, speed-up %.2fx); output PSNR vs float32 %.1f dB; AUTO picks %s on this CPU%n",
          b.plainSeconds(), f32.plainSeconds(), f32.plainSeconds() / b.plainSeconds(), b.meanSeconds(),
          f32.meanSeconds(), f32.meanSeconds() / b.meanSeconds(), psnr,
          ConvolutionPrecision.cpuHasBfloat16() ? "bfloat16" : "float32");
      results.addProperty("bfloat16_speedup_plain", f32.plainSeconds() / b.plainSeconds());
      results.addProperty("bfloat16_speedup_mean", f32.meanSeconds() / b.meanSeconds());
      results.addProperty("bfloat16_output_psnr_db", psnr);
      results.addProperty("auto_precision", ConvolutionPrecision.resolve(ComputePrecision.AUTO).name());
      comparison = String.format(Locale.ROOT, "\n\n## bfloat16 convolutions\n\nPlain iteration: %.3f s with bfloat16"
          + " convolutions against %.3f s in float32 (speed-up %.2fx); mean iteration %.3f s against %.3f s (%.2fx)."
          + " Output of the same initial U-Net on the same 8 inputs and z: PSNR %.1f dB between the bfloat16 and the"
          + " float32 runs. `precision: AUTO` picks %s on this CPU (bfloat16 where it has AMX or AVX-512 BF16).",
          b.plainSeconds(), f32.plainSeconds(), f32.plainSeconds() / b.plainSeconds(), b.meanSeconds(),
          f32.meanSeconds(), f32.meanSeconds() / b.meanSeconds(), psnr,
          ConvolutionPrecision.cpuHasBfloat16() ? "bfloat16" : "float32");
    }
    String report = "# bench image\n\nMade by `" + Reproduce.commandLine(spec) + "` on config `" + experiment.getName()
        + "` (batch " + c.getBatchSize() + ", image " + c.getData().getImageSize() + ", s = " + c.getEstimator().getWidth()
        + ", f = " + c.getCritic().getWidth() + "). An iteration is one estimator step and one critic step (R1);"
        + " a robust iteration adds L_R with its unrolled attack, applied on one estimator step in "
        + c.getRobustness().getApplyEvery() + ". FLOPs: MatMul and convolution ops (forward, input and filter"
        + " gradients) of traced iterations; elementwise ops are not counted, so the ratio is a lower bound."
        + String.format(Locale.ROOT, " Reference: float32 TensorFlow matmul 2048^3 at %.1f GFLOP/s in this run.", matmul)
        + " GPU: not measured (no GPU here).\n\n" + table.render() + comparison + "\n";
    return new JobOutput(results, report);
  }

  /** "42 min", "3.4 h", "12.5 days": a projected wall time in the unit that reads best. */
  static String duration(double hours) {
    if (hours < 1) {
      return String.format(Locale.ROOT, "%.0f min", hours * 60);
    }
    return hours < 48 ? String.format(Locale.ROOT, "%.1f h", hours) : String.format(Locale.ROOT, "%.1f days", hours / 24);
  }

  private static ImageGanBenchmark.Timing run(ImageGanConfig c, ExperimentConfig experiment, ImageSet images,
      int repeats, PrintWriter log, double matmul, MarkdownTable table, JsonObject results, String label,
      int profileTop) {
    ImageGanBenchmark.Timing t = ImageGanBenchmark.measure(c, experiment.getSeed(), images, repeats);
    double hours = t.meanSeconds() * c.getSteps() / 3600;
    log.printf(Locale.ROOT, "%s: plain %.3f s (%.2f GFLOP), robust %.3f s (%.2f GFLOP), mean %.3f s/it,"
        + " %.1f GFLOP/s = %.2f of matmul; %,.0f steps per hour; %d steps: %s%n", label, t.plainSeconds(),
        t.plainFlops() / 1e9, t.robustSeconds(), t.robustFlops() / 1e9, t.meanSeconds(), t.gflops(),
        t.gflops() / matmul, 3600 / t.meanSeconds(), c.getSteps(), duration(hours));
    if (profileTop > 0) {
      log.printf("%s plain iteration, op time by type:%n%s", label, OpProfile.render(t.plainOps(), profileTop));
      if (!t.robustOps().isEmpty()) {
        log.printf("%s robust iteration, op time by type:%n%s", label, OpProfile.render(t.robustOps(), profileTop));
      }
    }
    log.flush();
    table.row(label, String.format(Locale.ROOT, "%.3f", t.plainSeconds()),
        t.robustFlops() == 0 ? "-" : String.format(Locale.ROOT, "%.3f", t.robustSeconds()),
        String.format(Locale.ROOT, "%.3f", t.meanSeconds()), String.format(Locale.ROOT, "%.2f", t.meanFlops() / 1e9),
        String.format(Locale.ROOT, "%.1f", t.gflops()), String.format(Locale.ROOT, "%.2f", t.gflops() / matmul),
        String.format(Locale.ROOT, "%,.0f", 3600 / t.meanSeconds()), duration(hours));
    results.addProperty(label + "_plain_seconds", t.plainSeconds());
    results.addProperty(label + "_plain_flops", t.plainFlops());
    results.addProperty(label + "_robust_seconds", t.robustSeconds());
    results.addProperty(label + "_robust_flops", t.robustFlops());
    results.addProperty(label + "_mean_seconds_per_iteration", t.meanSeconds());
    results.addProperty(label + "_gflops", t.gflops());
    results.addProperty(label + "_ratio_to_matmul", t.gflops() / matmul);
    results.addProperty(label + "_steps_per_hour", 3600 / t.meanSeconds());
    results.addProperty(label + "_projected_hours", hours);
    return t;
  }
}
