package org.restorelab.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.stream.IntStream;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.JobContext;
import org.restorelab.job.Jobs;
import org.restorelab.job.ShardableJob;
import org.restorelab.job.StopFlag;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFolder;

/**
 * A sharded evaluation ({@code restorelab-spark evaluate-images}, {@code evaluate-toy}): the job's
 * inputs split into {@code shards} shards of whole batches, one Spark task each
 * ({@link ShardRunner}: the SavedModels loaded once per task, the per-input metrics and the
 * features of its shard into the run folder's {@code partial/shards/shard-<k>/} in the resumable
 * partial format); the driver then joins the shards into {@code partial/}
 * ({@link ShardableJob#mergeShards}) and runs the job in the run folder through the core's
 * {@link RunExecutor}, which resumes from the merged partials with no batch left: FID from the
 * merged features' float64 statistics, precision/recall from the merged features, the reference,
 * the posterior metrics' summary and the figures, written as results.json and report.md exactly as
 * the single-JVM command writes them.
 */
public final class EvaluateDriver {
  private EvaluateDriver() {}

  /** One of the evaluations that run sharded: its command names and the job cases it takes. */
  public enum Kind {
    IMAGES("evaluate-images", "evaluate images", List.of(ExperimentConfig.JobCase.IMAGE_EVALUATION,
        ExperimentConfig.JobCase.IMAGE_EVALUATION_SUITE)),
    TOY("evaluate-toy", "evaluate toy", List.of(ExperimentConfig.JobCase.TOY_EVALUATION));

    final String command;
    final String coreCommand;
    final List<ExperimentConfig.JobCase> cases;

    Kind(String command, String coreCommand, List<ExperimentConfig.JobCase> cases) {
      this.command = command;
      this.coreCommand = coreCommand;
      this.cases = cases;
    }
  }

  /** The job of {@code config} for {@code kind}, validated and preflighted (files, models), before any Spark. */
  public static ShardableJob job(Kind kind, ExperimentConfig config, String source) {
    if (!kind.cases.contains(config.getJobCase())) {
      throw new ConfigException(source + ": restorelab-spark " + kind.command + " needs a "
          + String.join(" or ", kind.cases.stream().map(c -> c.name().toLowerCase(Locale.ROOT)).toList())
          + " job, the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
    }
    Job job = Jobs.create(config);
    if (!(job instanceof ShardableJob shardable)) {
      throw new ConfigException(source + ": the " + config.getJobCase().name().toLowerCase(Locale.ROOT)
          + " job cannot be sharded");
    }
    job.preflight();
    return shardable;
  }

  /** --shards must be at least 1. */
  public static void checkShards(Integer shards) {
    if (shards != null && shards < 1) {
      throw new ConfigException("--shards must be at least 1, got " + shards);
    }
  }

  /** Where the driver's job computes precision/recall from the merged features. */
  public enum PrecisionRecallPlacement {
    /** On the driver, as the single-JVM command (the faster of the two on one 2-core machine). */
    DRIVER,
    /** As the blocked k-NN over the cluster's executors ({@link BlockedPrecisionRecallEngine}). */
    BLOCKED
  }

  /**
   * Runs {@code job} sharded into {@code folder} (opened by the caller) on {@code master}; the
   * shards default to Spark's default parallelism. Returns the job's output; a shard that failed
   * ends the run with a {@link ConfigException} (bad input) or an {@link IllegalStateException}
   * naming it and its log. With {@link PrecisionRecallPlacement#BLOCKED} the Spark context stays up
   * while the driver finishes the job, and precision/recall runs as Spark tasks (2 per core).
   */
  public static JobOutput run(Kind kind, ShardableJob job, RunFolder folder, Integer shards, String master,
      java.util.Map<String, String> sparkConf, PrecisionRecallPlacement placement, String configSource,
      List<String> args, String commandLine, PrintWriter out) throws Exception {
    Path dir = folder.dir().toAbsolutePath();
    JavaSparkContext sc = null;
    try {
      checkShards(shards);
      SparkConf conf = SweepDriver.sparkConf("restorelab-" + kind.command + " " + job.config().getName(), master,
          sparkConf, kind.command, out);
      long start = System.nanoTime();
      sc = new JavaSparkContext(conf);
      int n = shards != null ? shards : Math.max(1, sc.defaultParallelism());
      out.printf(Locale.ROOT, "restorelab-spark %s: Spark %s on %s started in %.1f s; %d shards, writing %s%n",
          kind.command, sc.version(), conf.get("spark.master"), (System.nanoTime() - start) / 1e9, n, dir);
      out.flush();
      shard(job, dir, n, sc, out);
      if (placement != PrecisionRecallPlacement.BLOCKED) {
        sc.close();
        sc = null;
      }
    } catch (Exception | Error e) {
      if (sc != null) {
        sc.close();
      }
      folder.close();
      throw e;
    }
    JobContext context = new JobContext(folder, out, new StopFlag(), kind.command, args, commandLine);
    if (sc == null) {
      return RunExecutor.execute(folder, job.config(), kind.command, args, configSource, f -> job.run(context));
    }
    try (JavaSparkContext open = sc;
        BlockedPrecisionRecallEngine engine = new BlockedPrecisionRecallEngine(open,
            dir.resolve("precision-recall-scratch"), 2 * Math.max(1, open.defaultParallelism()))) {
      out.println("precision/recall: the blocked k-NN over Spark tasks");
      out.flush();
      return org.restorelab.metric.PrecisionRecallEngine.withEngine(engine,
          () -> RunExecutor.execute(folder, job.config(), kind.command, args, configSource, f -> job.run(context)));
    }
  }

  private static void shard(ShardableJob job, Path dir, int n, JavaSparkContext sc, PrintWriter out)
      throws Exception {
    long start = System.nanoTime();
    ShardRunner runner = new ShardRunner(job.config(), dir, n);
    List<ShardRunner.Outcome> outcomes = sc.parallelize(IntStream.range(0, n).boxed().toList(), n).map(runner::run)
        .collect();
    out.printf(Locale.ROOT, "shards ran in %.1f s%n", (System.nanoTime() - start) / 1e9);
    List<String> failed = new ArrayList<>();
    boolean bad = false;
    for (ShardRunner.Outcome o : outcomes) {
      out.printf(Locale.ROOT, "  shard %d: %s in %.1f s%n", o.shard(), o.error() == null ? "finished" : "failed: "
          + o.error(), o.seconds());
      if (o.error() != null) {
        failed.add("shard " + o.shard() + " (" + dir.resolve(ShardRunner.log(o.shard())) + "): " + o.error());
        bad |= o.badInput();
      }
    }
    out.flush();
    if (!failed.isEmpty()) {
      String message = failed.size() + " of " + n + " shards failed; " + failed.get(0);
      throw bad ? new ConfigException(message) : new IllegalStateException(message);
    }
    start = System.nanoTime();
    job.mergeShards(dir, n);
    out.printf(Locale.ROOT, "shards merged in %.1f s; the driver finishes the job from the merged partials%n",
        (System.nanoTime() - start) / 1e9);
    out.flush();
  }
}
