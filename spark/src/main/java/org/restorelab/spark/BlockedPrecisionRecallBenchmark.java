package org.restorelab.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.restorelab.bench.FullScaleMetricsBenchmark;
import org.restorelab.bench.MatmulBaseline;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.metric.CandidatePrecisionRecall;
import org.restorelab.metric.FeatureFile;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.JobOutput;

/**
 * {@code restorelab-spark bench-precision-recall}: precision/recall (k = 3) on n vs n random
 * Gaussian features of dimension d (50,000 x 50,000 x 2048 by default), computed on the driver
 * (the way a sharded evaluation computes it from the merged features: the float32 tiles, and the
 * bfloat16 candidate pass where the config's default CANDIDATES_AUTO picks it) and as the blocked
 * k-NN over Spark tasks ({@link BlockedPrecisionRecall}) on each master given, timed side by side
 * in one run, with the blocked radii and metric checked against the driver's bit for bit.
 *
 * <p>In local mode the tasks' TensorFlow tiles share the JVM's one intra-op thread pool, as the
 * driver path's do, so on one machine both use the same cores; the report gives the tasks' own
 * seconds (their sum against the wall time, and the slowest) to show how the work divides.
 */
public final class BlockedPrecisionRecallBenchmark {
  static final int K = 3;
  private static final long REAL_SEED = 11;
  private static final long GENERATED_SEED = 12;

  private BlockedPrecisionRecallBenchmark() {}

  /** One timed way of computing the metric. */
  record Timing(String path, double seconds, String detail, PrecisionRecall.Result result, Boolean radiiEqual) {}

  /**
   * Runs the benchmark: features written to {@code dir/features/}, the driver paths, then the
   * blocked k-NN on each of {@code masters} with {@code tasksPerCore} tasks per core.
   */
  static JobOutput run(Path dir, int n, int dim, int tile, List<String> masters, int tasksPerCore,
      Map<String, String> sparkConf, String commandLine, PrintWriter out) throws Exception {
    String loadBefore = FullScaleMetricsBenchmark.loadAverage();
    double matmul = MatmulBaseline.gflops(2048, 5);
    out.printf(Locale.ROOT, "float32 matmul 2048^3: %.1f GFLOP/s; load %s%n", matmul, loadBefore);
    out.flush();
    Path features = Files.createDirectories(dir.resolve("features"));
    Path realFile = features.resolve("real.f32");
    Path generatedFile = features.resolve("generated.f32");
    long t0 = System.nanoTime();
    FeatureFile.write(realFile, FullScaleMetricsBenchmark.randomFeatures(n, dim, REAL_SEED));
    FeatureFile.write(generatedFile, FullScaleMetricsBenchmark.randomFeatures(n, dim, GENERATED_SEED));
    double written = seconds(t0);
    // read through the executors' cache: in local mode the tasks then share the driver's copy
    t0 = System.nanoTime();
    Features real = BlockedPrecisionRecall.load(realFile.toString(), n, dim);
    Features generated = BlockedPrecisionRecall.load(generatedFile.toString(), n, dim);
    double read = seconds(t0);
    out.printf(Locale.ROOT, "features: 2 x %d x %d float32 generated and written in %.1f s, read in %.1f s%n",
        n, dim, written, read);
    out.flush();

    List<Timing> timings = new ArrayList<>();
    float[] realRadii;
    float[] generatedRadii;
    try (PairwiseDistances tf = PairwiseDistances.create(DistanceBackend.TENSORFLOW, dim)) {
      PrecisionRecall metric = new PrecisionRecall(K, tile, tf);
      t0 = System.nanoTime();
      realRadii = metric.squaredRadii(real, "real");
      generatedRadii = metric.squaredRadii(generated, "generated");
      double radii = seconds(t0);
      PrecisionRecall.Result result = metric.fusedCoverage(real, generated, realRadii, generatedRadii);
      double total = seconds(t0);
      timings.add(new Timing("driver, float32 tiles", total,
          String.format(Locale.ROOT, "radii %.1f s, coverage %.1f s", radii, total - radii), result, null));
      out.printf(Locale.ROOT, "driver, float32 tiles: %.1f s (precision %.4f, recall %.4f)%n", total,
          result.precision(), result.recall());
      out.flush();
      PrecisionRecallConfig defaults = PrecisionRecallConfig.newBuilder().setK(K).setTileSize(tile).build();
      if (PrecisionRecall.usesCandidatePass(defaults.getCandidatePass(), tf)) {
        CandidatePrecisionRecall candidates = new CandidatePrecisionRecall(K, tile, defaults.getCandidates());
        t0 = System.nanoTime();
        PrecisionRecall.Result c = candidates.compute(real, generated);
        double s = seconds(t0);
        timings.add(new Timing("driver, bfloat16 candidate pass (the default here)", s, "", c, null));
        out.printf(Locale.ROOT, "driver, bfloat16 candidate pass: %.1f s%n", s);
        out.flush();
      }
    }

    for (String master : masters) {
      SparkConf conf = SweepDriver.sparkConf("restorelab-spark bench-precision-recall", master, sparkConf,
          "bench-precision-recall", out);
      t0 = System.nanoTime();
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        double started = seconds(t0);
        int cores = sc.defaultParallelism();
        int tasks = Math.max(1, cores * tasksPerCore);
        BlockedPrecisionRecall.Outcome o = BlockedPrecisionRecall.compute(sc,
            BlockedPrecisionRecall.Inputs.of(realFile, n, generatedFile, n, dim), K, tile,
            DistanceBackend.TENSORFLOW, tasks);
        double total = o.radiiSeconds() + o.coverageSeconds();
        boolean equal = Arrays.equals(o.realRadii(), realRadii) && Arrays.equals(o.generatedRadii(), generatedRadii);
        timings.add(new Timing("blocked k-NN on " + conf.get("spark.master"), total, String.format(Locale.ROOT,
            "%d cores; radii %.1f s in %d tasks (task seconds: sum %.1f, max %.1f); coverage %.1f s in %d tasks"
            + " (sum %.1f, max %.1f); Spark started in %.1f s", cores, o.radiiSeconds(), o.radiiTasks(),
            sum(o.radiiTaskSeconds()), max(o.radiiTaskSeconds()), o.coverageSeconds(), o.coverageTasks(),
            sum(o.coverageTaskSeconds()), max(o.coverageTaskSeconds()), started), o.result(), equal));
        out.printf(Locale.ROOT, "blocked k-NN on %s: %.1f s (radii %.1f s, coverage %.1f s), radii equal: %s%n",
            conf.get("spark.master"), total, o.radiiSeconds(), o.coverageSeconds(), equal);
        out.flush();
      }
    }
    String loadAfter = FullScaleMetricsBenchmark.loadAverage();
    return output(n, dim, tile, matmul, loadBefore, loadAfter, written, read, timings, commandLine);
  }

  private static JobOutput output(int n, int dim, int tile, double matmul, String loadBefore, String loadAfter,
      double written, double read, List<Timing> timings, String commandLine) {
    Timing reference = timings.get(0);
    double flops = 2.0 * 2.0 * n * n * dim; // two full-pass equivalents: symmetric radii, one fused coverage
    MarkdownTable table = new MarkdownTable("path", "time (s)", "ratio to the driver's float32 tiles",
        "GFLOP/s (2 full passes)", "precision", "recall", "radii equal to the driver's", "detail");
    JsonArray rows = new JsonArray();
    for (Timing t : timings) {
      table.row(t.path(), fmt(t.seconds()), fmt(t.seconds() / reference.seconds()),
          t.path().contains("candidate") ? "-" : fmt(flops / t.seconds() / 1e9),
          String.format(Locale.ROOT, "%.4f", t.result().precision()),
          String.format(Locale.ROOT, "%.4f", t.result().recall()),
          t.radiiEqual() == null ? "-" : t.radiiEqual() ? "yes, bit for bit" : "NO", t.detail());
      JsonObject o = new JsonObject();
      o.addProperty("path", t.path());
      o.addProperty("seconds", t.seconds());
      o.addProperty("precision", t.result().precision());
      o.addProperty("recall", t.result().recall());
      o.addProperty("equals_driver", t.result().equals(reference.result()));
      if (t.radiiEqual() != null) {
        o.addProperty("radii_equal", t.radiiEqual());
      }
      o.addProperty("detail", t.detail());
      rows.add(o);
    }
    Timing fastest = timings.stream().min((a, b) -> Double.compare(a.seconds(), b.seconds())).orElseThrow();
    boolean allEqual = timings.stream().allMatch(t -> t.result().equals(reference.result())
        && !Boolean.FALSE.equals(t.radiiEqual()));
    JsonObject results = new JsonObject();
    results.addProperty("schema", "restorelab.bench.precision_recall.blocked/1");
    results.addProperty("n", n);
    results.addProperty("dim", dim);
    results.addProperty("k", K);
    results.addProperty("tile", tile);
    results.addProperty("cores", Runtime.getRuntime().availableProcessors());
    results.addProperty("matmul_gflops", matmul);
    results.addProperty("load_before", loadBefore);
    results.addProperty("load_after", loadAfter);
    results.addProperty("features_written_seconds", written);
    results.addProperty("features_read_seconds", read);
    results.addProperty("fastest", fastest.path());
    results.addProperty("all_equal", allEqual);
    results.add("paths", rows);
    String report = "# Precision/recall: on the driver or as a blocked k-NN over Spark\n\nMade by `" + commandLine
        + "`. Precision/recall with k = " + K + " on " + n + " vs " + n + " random standard Gaussian features of "
        + "dimension " + dim + ", tiles of " + tile + " x " + tile + ", on "
        + Runtime.getRuntime().availableProcessors() + " cores. "
        + String.format(Locale.ROOT, "float32 TensorFlow matmul 2048^3 at %.1f GFLOP/s in this run. ", matmul)
        + "Load average before " + loadBefore + ", after " + loadAfter + ".\n\n"
        + "The driver paths are what a sharded evaluation runs on the merged features. The blocked k-NN "
        + "(`BlockedPrecisionRecall`) computes the same float32 tiles in Spark tasks (in local mode their "
        + "TensorFlow tiles share the JVM's one thread pool with every core, as the driver's do) and merges their k-nearest lists and coverage flags on the "
        + "driver. " + String.format(Locale.ROOT, "The features (2 x %.0f MB) were written in %.1f s and read "
        + "in %.1f s; in local mode the tasks share the driver's copy, on a cluster each executor reads them "
        + "once from the shared output folder.", 4.0 * n * dim / 1e6, written, read) + "\n\n"
        + table.render() + "\n"
        + "Fastest here: **" + fastest.path() + "**. All paths " + (allEqual ? "agree: the same precision and "
        + "recall, and the blocked radii equal the driver's bit for bit." : "do NOT agree (see the table).")
        + "\n";
    return new JobOutput(results, report);
  }

  private static double sum(double[] v) {
    return Arrays.stream(v).sum();
  }

  private static double max(double[] v) {
    return Arrays.stream(v).max().orElse(0);
  }

  private static double seconds(long t0) {
    return (System.nanoTime() - t0) / 1e9;
  }

  private static String fmt(double v) {
    return String.format(Locale.ROOT, v < 10 ? "%.3f" : "%.1f", v);
  }
}
