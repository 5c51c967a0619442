package org.restorelab.spark;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;

/**
 * Runs a validated sweep on Spark: the points that have not finished become one task each (one
 * partition per point), run by {@link PointRunner} in the executors' JVMs; the driver then writes
 * the summaries ({@link SweepSummary}).
 */
public final class SweepDriver {
  private SweepDriver() {}

  /** The outcome of a sweep: the rows written, and whether every point finished. */
  public record Result(List<SweepSummary.Row> rows, boolean allFinished) {}

  /** The master when none is given: spark.master from the environment (spark-submit), else local[*]. */
  public static final String DEFAULT_MASTER = "local[*]";

  /** The Spark property that puts jars on the executors' class path as they start. */
  public static final String EXECUTOR_CLASS_PATH = "spark.executor.extraClassPath";

  /**
   * Runs {@code plan} on {@code master} (e.g. "local[2]", "spark://host:7077"; null: spark.master
   * as spark-submit sets it, else {@link #DEFAULT_MASTER}) with {@code sparkConf} added to the
   * Spark config; every executor must see the output root at the same absolute path.
   * {@code args} are the command's arguments, for the provenance in the sweep's results.json.
   */
  public static Result run(SweepPlan plan, String master, java.util.Map<String, String> sparkConf, List<String> args,
      PrintWriter out) throws Exception {
    SparkConf conf = sparkConf("restorelab-sweep " + plan.source().getFileName(), master, sparkConf, "sweep", out);
    master = conf.get("spark.master");
    com.google.gson.JsonObject provenance = org.restorelab.run.Provenance.capture(PointRunner.COMMAND, args,
        plan.source().getFileName().toString(), 0);
    provenance.remove("seed");
    provenance.remove("status");
    String sparkVersion = JavaSparkContext.class.getPackage().getImplementationVersion();
    PointRunner runner = new PointRunner(plan.outputRoot(), plan.source().toAbsolutePath());
    List<SweepPoint> todo = plan.points().stream().filter(p -> !PointRunner.finished(plan.outputRoot().resolve(p.name())))
        .toList();
    out.printf(Locale.ROOT, "restorelab-spark sweep: %d points (%d finished earlier), writing %s%n",
        plan.points().size(), plan.points().size() - todo.size(), plan.outputRoot());
    out.flush();
    List<PointRunner.Outcome> outcomes = new java.util.ArrayList<>();
    plan.points().stream().filter(p -> !todo.contains(p))
        .forEach(p -> outcomes.add(new PointRunner.Outcome(p.name(), PointRunner.Outcome.SKIPPED, 0, null)));
    if (!todo.isEmpty()) {
      long start = System.nanoTime();
      try (JavaSparkContext sc = new JavaSparkContext(conf)) {
        sparkVersion = sc.version();
        out.printf(Locale.ROOT, "Spark %s on %s started in %.1f s; running %d points%n", sparkVersion, master,
            (System.nanoTime() - start) / 1e9, todo.size());
        out.flush();
        start = System.nanoTime();
        outcomes.addAll(sc.parallelize(todo, todo.size()).map(runner::run).collect());
        out.printf(Locale.ROOT, "points ran in %.1f s%n", (System.nanoTime() - start) / 1e9);
      }
    }
    provenance.getAsJsonObject("versions").addProperty("spark", sparkVersion);
    provenance.addProperty("end_time", java.time.Instant.now().toString());
    boolean allFinished = true;
    for (PointRunner.Outcome o : outcomes) {
      if (!o.status().equals(PointRunner.Outcome.FINISHED) && !o.status().equals(PointRunner.Outcome.SKIPPED)) {
        allFinished = false;
      }
      out.printf(Locale.ROOT, "  %-40s %s%s%s%n", o.name(), o.status(), o.resumed() ? " (resumed from its checkpoint)" : "",
          o.error() == null ? (o.seconds() > 0 ? String.format(Locale.ROOT, " in %.1f s", o.seconds()) : "") : ": " + o.error());
    }
    List<SweepSummary.Row> rows = SweepSummary.write(plan, outcomes, master, provenance);
    out.println("summary: " + plan.outputRoot().resolve(SweepSummary.MARKDOWN));
    out.flush();
    return new Result(rows, allFinished);
  }

  /**
   * The Spark config of a restorelab-spark command: {@code sparkConf} on top, the master as given
   * (null: spark.master as spark-submit sets it, else {@link #DEFAULT_MASTER}), no UI for local
   * masters, and on a cluster the executors' class path set to this JVM's unless given (said on
   * {@code out} by {@code command}).
   */
  static SparkConf sparkConf(String app, String master, java.util.Map<String, String> sparkConf, String command,
      PrintWriter out) {
    SparkConf conf = new SparkConf().setAppName(app);
    sparkConf.forEach(conf::set);
    if (master != null) {
      conf.setMaster(master);
    } else if (!conf.contains("spark.master")) {
      conf.setMaster(DEFAULT_MASTER);
    }
    master = conf.get("spark.master");
    if (master.startsWith("local") && !sparkConf.containsKey("spark.ui.enabled")) {
      conf.set("spark.ui.enabled", "false");
    }
    if (!master.startsWith("local") && !conf.contains(EXECUTOR_CLASS_PATH) && !conf.contains("spark.jars")) {
      // the executors need the core, TensorFlow and this module: by default this JVM's own class path,
      // which holds where every node sees the jars at the same paths (one machine, a shared file system)
      conf.set(EXECUTOR_CLASS_PATH, System.getProperty("java.class.path"));
      out.println("restorelab-spark " + command + ": the executors get this JVM's class path (" + EXECUTOR_CLASS_PATH
          + "; set it, or spark.jars, where the nodes keep the jars elsewhere)");
    }
    return conf;
  }
}
