package org.restorelab.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.JobContext;
import org.restorelab.job.Jobs;
import org.restorelab.job.StopFlag;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFailedException;
import org.restorelab.run.RunFolder;

/**
 * Runs one sweep point in whatever JVM calls it (a Spark executor's): its job from
 * {@link Jobs#create}, through {@link RunExecutor} into {@code <output root>/<point name>/}, the
 * job's progress lines going to {@code console.log} there. A point whose {@code run.json} says
 * "finished" is skipped; any other run in its folder (failed, killed, interrupted) is replaced by
 * a new run from the start. A failure is returned, not thrown, so one point cannot end the sweep.
 */
public final class PointRunner implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The command name in the points' run records. */
  public static final String COMMAND = "sweep";
  /** The file in a point's folder that receives the job's progress lines. */
  public static final String CONSOLE = "console.log";

  private final String outputRoot;
  private final String sweepSource;

  /**
   * @param outputRoot the sweep's output root, absolute and reachable from every executor
   * @param sweepSource the sweep config's file, for the run records
   */
  public PointRunner(Path outputRoot, Path sweepSource) {
    this.outputRoot = outputRoot.toAbsolutePath().toString();
    this.sweepSource = sweepSource.toString();
  }

  /** What became of one point. */
  public record Outcome(String name, String status, double seconds, String error) implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String FINISHED = "finished";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";
  }

  /** Runs {@code point} unless it finished earlier. */
  public Outcome run(SweepPoint point) {
    Path dir = Path.of(outputRoot).resolve(point.name());
    if (finished(dir)) {
      return new Outcome(point.name(), Outcome.SKIPPED, 0, null);
    }
    long start = System.nanoTime();
    try {
      ExperimentConfig config = ExperimentConfig.parseFrom(point.config());
      Job job = Jobs.create(config);
      List<String> args = new ArrayList<>(List.of("--config", sweepSource, "--point", point.name()));
      args.addAll(point.arguments());
      RunFolder folder = RunFolder.at(dir, true);
      JobOutput output;
      try (PrintWriter console = new PrintWriter(Files.newBufferedWriter(dir.resolve(CONSOLE), StandardCharsets.UTF_8), true)) {
        JobContext context = new JobContext(folder, console, new StopFlag(), COMMAND, args,
            "./restorelab-spark sweep --config " + sweepSource + "  # point " + point.name());
        output = RunExecutor.execute(folder, config, COMMAND, args, sweepSource + " (point " + point.name() + ")",
            f -> job.run(context));
      }
      return new Outcome(point.name(), output.status(), (System.nanoTime() - start) / 1e9, null);
    } catch (Exception | Error e) {
      // a bad input (e.g. the folder is a file, or in use by another process) says so in its own words
      String error = e instanceof org.restorelab.config.ConfigException ? e.getMessage() : RunFailedException.summary(e);
      return new Outcome(point.name(), Outcome.FAILED, (System.nanoTime() - start) / 1e9, error);
    }
  }

  /** Whether the folder holds a run whose {@code run.json} says "finished". */
  static boolean finished(Path dir) {
    Path run = dir.resolve(RunFolder.RUN);
    if (!Files.isRegularFile(run)) {
      return false;
    }
    try {
      JsonObject json = JsonParser.parseString(Files.readString(run)).getAsJsonObject();
      return json.has("status") && json.get("status").isJsonPrimitive()
          && json.get("status").getAsString().equals("finished");
    } catch (IOException | RuntimeException e) {
      return false;
    }
  }
}
