package org.restorelab.spark;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.run.RunFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * The {@code restorelab-spark} command: RestoreLab jobs as Spark tasks. It does nothing by itself.
 * Exit codes as {@code restorelab}'s: 0 success, 2 usage or config error, 1 runtime failure.
 */
@Command(name = "restorelab-spark", mixinStandardHelpOptions = true,
    description = "RestoreLab jobs as Apache Spark tasks.",
    subcommands = {RestoreLabSpark.Sweep.class, CommandLine.HelpCommand.class})
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

    @Option(names = "--master", paramLabel = "URL",
        description = "Spark master: local[N], local[*] or spark://host:port. Default: spark.master as spark-submit"
            + " sets it, else local[*].")
    String master;

    @Option(names = "--conf", paramLabel = "KEY=VALUE",
        description = "A Spark config property, e.g. --conf spark.executor.memory=8g (repeatable).")
    java.util.List<String> conf = new java.util.ArrayList<>();

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      java.util.Map<String, String> sparkConf = new java.util.LinkedHashMap<>();
      for (String c : conf) {
        int eq = c.indexOf('=');
        if (eq <= 0) {
          throw new ConfigException("--conf " + c + ": expected spark.property=value");
        }
        sparkConf.put(c.substring(0, eq).trim(), c.substring(eq + 1).trim());
      }
      long start = System.nanoTime();
      SweepPlan plan = SweepGrid.load(config);
      spec.commandLine().getOut().printf(java.util.Locale.ROOT, "restorelab-spark sweep: %d points validated in %.1f s%n",
          plan.points().size(), (System.nanoTime() - start) / 1e9);
      SweepDriver.Result result = SweepDriver.run(plan, master, sparkConf,
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
}
