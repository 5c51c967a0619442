package org.restorelab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.bench.MatmulBaseline;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.config.ToyVariantConfig;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.JobOutput;
import org.restorelab.train.ToyGanBenchmark;
import org.restorelab.train.ToyVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab bench toy}: iterations per second of each toy variant's training iteration
 * (one estimator and one critic step, with L_R on every timed iteration for robust variants),
 * its achieved GFLOP/s from the counted MatMul FLOPs, and the ratio to this machine's float32
 * matmul rate measured in the same run.
 */
@Command(name = "toy", mixinStandardHelpOptions = true,
    description = "Speed of each toy GAN variant's training iteration vs the machine's matmul rate.")
public final class BenchToyCommand implements Callable<Integer> {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "A toy_reproduction config. Default: the embedded configs/" + ReproduceToyCommand.LITERAL + ".")
  Path config;

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable).")
  java.util.List<String> overrides = new java.util.ArrayList<>();

  @Option(names = "--iterations", description = "Timed iterations per variant (default ${DEFAULT-VALUE}).", defaultValue = "30")
  int iterations;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    ExperimentConfig experiment = ConfigLoader.applyOverrides(config == null
        ? ConfigLoader.loadEmbedded(ReproduceToyCommand.LITERAL) : ConfigLoader.load(config), overrides);
    return RunCommand.execute(spec, output.runFolder("bench-toy"), experiment, "bench toy",
        config == null ? "embedded:configs/" + ReproduceToyCommand.LITERAL : config.toString(),
        f -> measure(experiment, log));
  }

  private JobOutput measure(ExperimentConfig experiment, PrintWriter log) {
    double matmul = MatmulBaseline.gflops(2048, 5);
    log.printf(Locale.ROOT, "float32 matmul 2048^3 (TensorFlow): %.1f GFLOP/s%n", matmul);
    log.flush();
    MarkdownTable table = new MarkdownTable("variant", "iterations/s", "ms/iteration", "GFLOP/iteration",
        "achieved GFLOP/s", "ratio to matmul");
    JsonArray rows = new JsonArray();
    for (ToyVariantConfig v : experiment.getToyReproduction().getVariantList()) {
      ToyGanConfig toy = ToyVariants.resolve(experiment.getToyReproduction(), v);
      ToyGanBenchmark.Timing t = ToyGanBenchmark.measure(toy, experiment.getSeed(), 3, iterations);
      table.row(v.getName(), String.format(Locale.ROOT, "%.2f", t.iterationsPerSecond()),
          String.format(Locale.ROOT, "%.1f", 1e3 / t.iterationsPerSecond()),
          String.format(Locale.ROOT, "%.3f", t.flopsPerIteration() / 1e9),
          String.format(Locale.ROOT, "%.1f", t.gflops()), String.format(Locale.ROOT, "%.2f", t.gflops() / matmul));
      log.printf(Locale.ROOT, "%-14s %8.2f it/s  %8.3f GFLOP/it  %6.1f GFLOP/s  %.2f of matmul%n",
          v.getName(), t.iterationsPerSecond(), t.flopsPerIteration() / 1e9, t.gflops(), t.gflops() / matmul);
      log.flush();
      JsonObject row = new JsonObject();
      row.addProperty("variant", v.getName());
      row.addProperty("iterations_per_second", t.iterationsPerSecond());
      row.addProperty("flops_per_iteration", t.flopsPerIteration());
      row.addProperty("gflops", t.gflops());
      row.addProperty("ratio_to_matmul", t.gflops() / matmul);
      rows.add(row);
    }
    JsonObject results = new JsonObject();
    results.addProperty("schema", "restorelab.bench.toy/1");
    results.addProperty("matmul_gflops", matmul);
    results.addProperty("iterations", iterations);
    results.add("rows", rows);
    String report = "# bench toy\n\nMade by `" + Reproduce.commandLine(spec) + "` on config `" + experiment.getName()
        + "`. One iteration = one estimator step (with L_R for robust variants) + one critic step (with R1). "
        + "FLOPs are the MatMul FLOPs (2 M N K) of a traced iteration; elementwise ops are not counted. "
        + String.format(Locale.ROOT, "Reference: float32 TensorFlow matmul 2048^3 at %.1f GFLOP/s in this run.", matmul)
        + "\n\n" + table.render();
    return new JobOutput(results, report);
  }
}
