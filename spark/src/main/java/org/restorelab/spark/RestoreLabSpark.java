package org.restorelab.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.run.RunFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code restorelab-spark} command: RestoreLab jobs as Spark tasks. It does nothing by itself.
 * Exit codes as {@code restorelab}'s: 0 success, 2 usage or config error, 1 runtime failure.
 */
@Command(name = "restorelab-spark", mixinStandardHelpOptions = true,
    description = "RestoreLab jobs as Apache Spark tasks.",
    subcommands = {RestoreLabSpark.Sweep.class, RestoreLabSpark.EvaluateImages.class,
        RestoreLabSpark.EvaluateToy.class, RestoreLabSpark.BenchPrecisionRecall.class,
        CommandLine.HelpCommand.class})
public final class RestoreLabSpark implements Runnable {
  public static final int USAGE = 2;
  public static final int FAILURE = 1;

  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "give a subcommand, e.g. sweep");
  }

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line with one-line errors, for main and tests. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new RestoreLabSpark());
    cmd.setCaseInsensitiveEnumValuesAllowed(true);
    cmd.setExecutionExceptionHandler((ex, c, parsed) -> {
      PrintWriter err = c.getErr();
      for (Throwable t = ex; t != null; t = t.getCause()) {
        if (t instanceof ConfigException) {
          err.println("restorelab-spark: error: " + t.getMessage());
          err.flush();
          return USAGE;
        }
      }
      err.println("restorelab-spark: failed: " + RunFailedException.summary(ex));
      err.flush();
      return FAILURE;
    });
    return cmd;
  }

  /** {@code restorelab-spark sweep}: every point of a sweep config's grid as one Spark task. */
  @Command(name = "sweep", mixinStandardHelpOptions = true,
      description = {
        "Run every point of a sweep config's grid as one Spark task.",
        "A sweep config (restorelab/sweep.proto) names a base experiment config, axes of --set overrides and seeds;",
        "each point runs the base config's job with its overrides into <output_root>/<point>/ (e.g. r1_gamma=1,seed=2).",
        "Points that finished earlier are skipped. Writes summary.md, summary.csv and results.json into output_root."
      })
  static final class Sweep implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "SWEEP.pbtxt", description = "The sweep config.")
    Path config;

    @Mixin SparkOptions spark = new SparkOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.util.Map<String, String> sparkConf = sparkConf(spark.conf);
      long start = System.nanoTime();
      SweepPlan plan = SweepGrid.load(config);
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "restorelab-spark sweep: %d points validated in %.1f s%n",
          plan.points().size(), (System.nanoTime() - start) / 1e9);
      SweepDriver.Result result = SweepDriver.run(plan, spark.master, sparkConf,
          spec.commandLine().getParseResult().originalArgs(), spec.commandLine().getOut());
      if (!result.allFinished()) {
        spec.commandLine().getErr().println("restorelab-spark: failed: some points did not finish (see "
            + plan.outputRoot().resolve(SweepSummary.MARKDOWN) + ")");
        spec.commandLine().getErr().flush();
        return FAILURE;
      }
      return 0;
    }
  }

  /** The options every command that starts Spark takes: the master and Spark config properties. */
  static final class SparkOptions {
    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master: local[N], local[*] or spark://host:port. Default: spark.master as spark-submit"
            + " sets it, else local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
        description = "A Spark config property, e.g. --conf spark.executor.memory=8g (repeatable).")
    java.util.List<String> conf = new java.util.ArrayList<>();
  }

  /** --conf key=value options as a map. */
  static java.util.Map<String, String> sparkConf(java.util.List<String> conf) {
    java.util.Map<String, String> sparkConf = new java.util.LinkedHashMap<>();
    for (String c : conf) {
      int eq = c.indexOf('=');
      if (eq <= 0) {
        throw new ConfigException("--conf " + c + ": expected spark.property=value");
      }
      sparkConf.put(c.substring(0, eq).trim(), c.substring(eq + 1).trim());
    }
    return sparkConf;
  }

  /** The options and the work of a sharded evaluation command. */
  abstract static class Evaluate implements Callable<Integer> {
    @Option(names = {"-c", "--config"}, required = true, paramLabel = "FILE",
        description = "The experiment config (Protobuf text), as for ./restorelab.")
    Path config;

    @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a config field (repeatable).")
    java.util.List<String> overrides = new java.util.ArrayList<>();

    @Option(names = "--seed", paramLabel = "N", description = "Override the master seed.")
    Long seed;

    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
        description = "The run folder; every executor must see it at the same absolute path.")
    Path out;

    @Option(names = "--overwrite", description = "Replace DIR if it already holds a run.")
    boolean overwrite;

    @Option(names = "--shards", paramLabel = "N",
        description = "Split the inputs into N shards of whole batches, one Spark task each (>= 1; default: Spark's"
            + " default parallelism).")
    Integer shards;

    @Mixin SparkOptions spark = new SparkOptions();

    @Spec CommandSpec spec;

    abstract EvaluateDriver.Kind kind();

    /** Where precision/recall runs: on the driver unless the command offers the blocked k-NN. */
    EvaluateDriver.PrecisionRecallPlacement placement() {
      return EvaluateDriver.PrecisionRecallPlacement.DRIVER;
    }

    @Override
    public Integer call() throws Exception {
      EvaluateDriver.checkShards(shards);
      java.util.Map<String, String> sparkConf = sparkConf(spark.conf);
      org.restorelab.config.ExperimentConfig resolved = org.restorelab.config.ConfigLoader.applyOverrides(
          org.restorelab.config.ConfigLoader.load(config), overrides);
      if (seed != null) {
        resolved = resolved.toBuilder().setSeed(seed).build();
      }
      org.restorelab.job.ShardableJob job = EvaluateDriver.job(kind(), resolved, config.toString());
      org.restorelab.run.RunFolder folder = org.restorelab.run.RunFolder.at(out.toAbsolutePath(), overwrite);
      java.util.List<String> args = spec.commandLine().getParseResult().originalArgs();
      PrintWriter stdout = spec.commandLine().getOut();
      long start = System.nanoTime();
      org.restorelab.run.JobOutput output = EvaluateDriver.run(kind(), job, folder, shards, spark.master, sparkConf,
          placement(), config.toString(), args, org.restorelab.cli.Reproduce.commandLine("./restorelab-spark", spec), stdout);
      if (!output.status().equals("finished")) {
        spec.commandLine().getErr().println("restorelab-spark: failed: the evaluation ended " + output.status());
        spec.commandLine().getErr().flush();
        return FAILURE;
      }
      stdout.printf(java.util.Locale.ROOT, "done in %.1f s: %s%n", (System.nanoTime() - start) / 1e9,
          folder.file(org.restorelab.run.RunFolder.REPORT));
      stdout.flush();
      return 0;
    }
  }

  /** {@code restorelab-spark evaluate-images}: {@code restorelab evaluate images} with its inputs sharded over Spark tasks. */
  @Command(name = "evaluate-images", mixinStandardHelpOptions = true,
      description = {
        "Evaluate image SavedModels (an image_evaluation or image_evaluation_suite config) with the inputs split",
        "into shards, one Spark task each: per-input metrics, features and posterior codes per shard, then FID,",
        "precision/recall and the report on the driver. Same results.json and report.md as ./restorelab evaluate images."
      })
  static final class EvaluateImages extends Evaluate {
    @Option(names = "--precision-recall", paramLabel = "WHERE",
        description = "Where precision/recall runs on the merged features: DRIVER (default; on one 2-core machine "
            + "the faster, see reports/spark-precision-recall) or BLOCKED (a blocked k-NN over Spark tasks, whose "
            + "work divides over the executors; the same numbers).")
    EvaluateDriver.PrecisionRecallPlacement precisionRecall = EvaluateDriver.PrecisionRecallPlacement.DRIVER;

    @Override
    EvaluateDriver.PrecisionRecallPlacement placement() {
      return precisionRecall;
    }

    @Override
    EvaluateDriver.Kind kind() {
      return EvaluateDriver.Kind.IMAGES;
    }
  }

  /** {@code restorelab-spark evaluate-toy}: {@code restorelab evaluate toy} with its inputs sharded over Spark tasks. */
  @Command(name = "evaluate-toy", mixinStandardHelpOptions = true,
      description = {
        "Evaluate toy SavedModels (a toy_evaluation config) with the inputs split into shards, one Spark task each;",
        "precision/recall and the report on the driver. Same results.json and report.md as ./restorelab evaluate toy."
      })
  static final class EvaluateToy extends Evaluate {
    @Override
    EvaluateDriver.Kind kind() {
      return EvaluateDriver.Kind.TOY;
    }
  }

  /** {@code restorelab-spark bench-precision-recall}: precision/recall on the driver against the blocked k-NN over Spark. */
  @Command(name = "bench-precision-recall", mixinStandardHelpOptions = true,
      description = {
        "Time precision/recall (k = 3) on n vs n random features of dimension d on the driver (as a sharded",
        "evaluation computes it from the merged features) against the blocked k-NN over Spark tasks, on the",
        "--master given and on each --compare-master; checks that the blocked radii and metric equal the driver's.",
        "Writes report.md and results.json into --out (the features too: 2 x 4 n d bytes)."
      })
  static final class BenchPrecisionRecall implements Callable<Integer> {
    @Option(names = {"-o", "--out"}, required = true, paramLabel = "DIR",
        description = "The run folder; every executor must see it at the same absolute path.")
    Path out;

    @Option(names = "--overwrite", description = "Replace DIR if it already holds a run.")
    boolean overwrite;

    @Option(names = "--samples", paramLabel = "N", description = "Samples per set (default: ${DEFAULT-VALUE}).")
    int samples = 50_000;

    @Option(names = "--dim", paramLabel = "D", description = "Feature dimension (default: ${DEFAULT-VALUE}).")
    int dim = 2048;

    @Option(names = "--tile", paramLabel = "T", description = "Rows per distance tile (default: ${DEFAULT-VALUE}).")
    int tile = 1024;

    @Option(names = "--tasks-per-core", paramLabel = "N",
        description = "Blocked k-NN tasks per Spark core and job (default: ${DEFAULT-VALUE}).")
    int tasksPerCore = 2;

    @Option(names = "--compare-master", paramLabel = "URL",
        description = "Also time the blocked k-NN on this master, e.g. local[1] (repeatable).")
    java.util.List<String> compareMasters = new java.util.ArrayList<>();

    @Mixin SparkOptions spark = new SparkOptions();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      for (int[] v : new int[][] {{samples, 4}, {dim, 1}, {tile, 1}, {tasksPerCore, 1}}) {
        if (v[0] < v[1]) {
          throw new ConfigException("--samples must be at least 4, --dim, --tile and --tasks-per-core at least 1;"
              + " got " + v[0]);
        }
      }
      java.util.Map<String, String> sparkConf = sparkConf(spark.conf);
      java.util.List<String> masters = new java.util.ArrayList<>();
      masters.add(spark.master);
      masters.addAll(compareMasters);
      org.restorelab.run.RunFolder folder = org.restorelab.run.RunFolder.at(out.toAbsolutePath(), overwrite);
      java.util.List<String> args = spec.commandLine().getParseResult().originalArgs();
      String commandLine = org.restorelab.cli.Reproduce.commandLine("./restorelab-spark", spec);
      org.restorelab.config.ExperimentConfig record = org.restorelab.config.ExperimentConfig.newBuilder()
          .setName("bench-precision-recall").build();
      PrintWriter stdout = spec.commandLine().getOut();
      org.restorelab.run.RunExecutor.execute(folder, record, "bench-precision-recall", args, "none",
          f -> BlockedPrecisionRecallBenchmark.run(f.dir().toAbsolutePath(), samples, dim, tile, masters, tasksPerCore,
              sparkConf, commandLine, stdout));
      stdout.println("report: " + folder.file(org.restorelab.run.RunFolder.REPORT));
      stdout.flush();
      return 0;
    }
  }
}
