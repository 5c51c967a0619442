package org.restorelab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.bench.DistanceBenchmark;
import org.restorelab.bench.FullScaleMetricsBenchmark;
import org.restorelab.bench.MatmulBaseline;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.JobOutput;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab bench metrics}: the precision/recall metric's distance backends (plain Java
 * and TensorFlow) across feature dimensions, against the float32 matmul rate of this machine.
 * It is what chose {@link PairwiseDistances#AUTO_TENSORFLOW_MIN_DIM}. With {@code --full-scale}:
 * precision/recall (k = 3) and FID at the paper's scale instead ({@link FullScaleMetricsBenchmark}).
 */
@Command(name = "metrics", mixinStandardHelpOptions = true,
    description = "Time precision/recall and its distance tiles on the Java and TensorFlow backends.")
public final class BenchMetricsCommand implements Callable<Integer> {
  @Option(names = "--n", description = "Samples per set (default ${DEFAULT-VALUE}).", defaultValue = "4096")
  int n;

  @Option(names = "--dims", split = ",", description = "Feature dimensions (default ${DEFAULT-VALUE}).",
      defaultValue = "2,4,8,16,64,256,2048")
  List<Integer> dims;

  @Option(names = "--tile", description = "Tile size (default ${DEFAULT-VALUE}).", defaultValue = "1024")
  int tile;

  @Option(names = "--full-scale", description = "Instead of the sweep: precision/recall (k = 3, TensorFlow "
      + "backend) and FID on " + FULL_N + " vs " + FULL_N + " random features of dimension " + FULL_DIM
      + " (or --n, and the first of --dims, when given), with GFLOP/s, the ratio to matmul and peak memory. "
      + "Needs about 3 GB: run with RESTORELAB_JAVA_OPTS=-Xmx2g to stay within 4 GB.")
  boolean fullScale;

  static final int FULL_N = 50_000;
  static final int FULL_DIM = 2048;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    if (fullScale) {
      var parsed = spec.commandLine().getParseResult();
      int fullN = parsed.hasMatchedOption("--n") ? n : FULL_N;
      int fullDim = parsed.hasMatchedOption("--dims") ? dims.get(0) : FULL_DIM;
      ExperimentConfig record = ExperimentConfig.newBuilder().setName("bench-metrics-full").build();
      return RunCommand.execute(spec, output.runFolder("bench-metrics-full"), record, "bench metrics", "none",
          f -> {
            FullScaleMetricsBenchmark.Result r = FullScaleMetricsBenchmark.run(fullN, fullDim, tile, log);
            return new JobOutput(FullScaleMetricsBenchmark.toJson(r),
                FullScaleMetricsBenchmark.report(r, Reproduce.commandLine(spec)));
          });
    }
    ExperimentConfig record = ExperimentConfig.newBuilder().setName("bench-metrics").build();
    return RunCommand.execute(spec, output.runFolder("bench-metrics"), record, "bench metrics", "none",
        f -> measure(log));
  }

  private JobOutput measure(PrintWriter log) {
    double matmul = MatmulBaseline.gflops(2048, 5);
    log.printf(Locale.ROOT, "float32 matmul 2048^3 (TensorFlow): %.1f GFLOP/s%n", matmul);
    log.flush();
    MarkdownTable table = new MarkdownTable("d", "backend", "tile time (ms)", "tile GFLOP/s",
        "ratio to matmul", "precision/recall " + n + " vs " + n + " (s)");
    JsonArray rows = new JsonArray();
    for (int dim : dims) {
      for (DistanceBackend backend : List.of(DistanceBackend.JAVA, DistanceBackend.TENSORFLOW)) {
        DistanceBenchmark.Timing t = DistanceBenchmark.measure(backend, n, dim, tile, 3);
        table.row(dim, backend.name(), fmt(1e3 * t.tileSeconds()), fmt(t.tileGflops()),
            fmt(t.tileGflops() / matmul), fmt(t.precisionRecallSeconds()));
        log.printf(Locale.ROOT, "d = %4d  %-10s  tile %8.2f ms  %7.2f GFLOP/s  P/R %.3f s%n",
            dim, backend, 1e3 * t.tileSeconds(), t.tileGflops(), t.precisionRecallSeconds());
        log.flush();
        JsonObject row = new JsonObject();
        row.addProperty("dim", dim);
        row.addProperty("backend", backend.name());
        row.addProperty("tile_seconds", t.tileSeconds());
        row.addProperty("tile_gflops", t.tileGflops());
        row.addProperty("ratio_to_matmul", t.tileGflops() / matmul);
        row.addProperty("precision_recall_seconds", t.precisionRecallSeconds());
        rows.add(row);
      }
    }
    JsonObject results = new JsonObject();
    results.addProperty("schema", "restorelab.bench.metrics/1");
    results.addProperty("matmul_gflops", matmul);
    results.addProperty("n", n);
    results.addProperty("tile", tile);
    results.addProperty("auto_tensorflow_min_dim", PairwiseDistances.AUTO_TENSORFLOW_MIN_DIM);
    results.add("rows", rows);
    String report = "# bench metrics\n\nMade by `" + Reproduce.commandLine(spec) + "`. Random Gaussian features, "
        + n + " vs " + n + " samples, tiles of " + tile + " x " + tile + ", k = 3. "
        + String.format(Locale.ROOT, "Reference: float32 TensorFlow matmul 2048^3 at %.1f GFLOP/s in this run. ", matmul)
        + "Tile GFLOP/s counts 2 m n d FLOPs per tile (best of 3). AUTO uses TensorFlow from d = "
        + PairwiseDistances.AUTO_TENSORFLOW_MIN_DIM + ".\n\n" + table.render();
    return new JobOutput(results, report);
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
  }
}
