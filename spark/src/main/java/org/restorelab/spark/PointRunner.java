package org.restorelab.spark;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.JobContext;
import org.restorelab.job.Jobs;
import org.restorelab.job.StopFlag;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFailedException;
import org.restorelab.run.RunFolder;
import org.restorelab.run.TfSessions;
import org.tensorflow.proto.ConfigProto;

/**
 * Runs one sweep point in whatever JVM calls it (a Spark executor's): its job from
 * {@link Jobs#create}, through {@link RunExecutor} into {@code <output root>/<point name>/}, the
 * job's progress lines going to {@code console.log} there. A point whose {@code run.json} says
 * "finished" is skipped. A run left unfinished in its folder (interrupted, failed, or killed with
 * its executor) that has a checkpoint and the point's config is resumed from that checkpoint, the
 * way {@code restorelab train --out DIR --resume} resumes ({@link RunFolder#existing}, the job
 * seeing a resumed folder); any other unfinished run is replaced by a new run from the start. So a
 * sweep run again, or a task Spark retries ({@code spark.task.maxFailures}), continues where the
 * point stopped. A failure is returned, not thrown, so one point cannot end the sweep.
 */
public final class PointRunner implements Serializable {
  private static final long serialVersionUID = 1L;
  /** The command name in the points' run records. */
  public static final String COMMAND = "sweep";
  /** The file in a point's folder that receives the job's progress lines. */
  public static final String CONSOLE = "console.log";
  /**
   * The training jobs' checkpoint in a run folder (the core's {@code train.Checkpoint.FILE}; this
   * module uses only the core's job, config and run packages): its presence makes a point resumable.
   */
  public static final String CHECKPOINT = "checkpoint.bin";

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
  public record Outcome(String name, String status, double seconds, String error, boolean resumed)
      implements Serializable {
    private static final long serialVersionUID = 1L;
    public static final String FINISHED = "finished";
    public static final String SKIPPED = "skipped";
    public static final String FAILED = "failed";

    /** An outcome of a session that did not resume an earlier one. */
    public Outcome(String name, String status, double seconds, String error) {
      this(name, status, seconds, error, false);
    }
  }

  /** Runs {@code point} unless it finished earlier, resuming it when its folder holds a resumable run. */
  public Outcome run(SweepPoint point) {
    return run(point, new StopFlag(), console -> console);
  }

  /**
   * As {@link #run(SweepPoint)}, with the job's stop flag and its console passed through
   * {@code console} (tests use both to interrupt a point at a chosen step).
   */
  Outcome run(SweepPoint point, StopFlag stop, UnaryOperator<PrintWriter> console) {
    Path dir = Path.of(outputRoot).resolve(point.name());
    if (finished(dir)) {
      return new Outcome(point.name(), Outcome.SKIPPED, 0, null);
    }
    long start = System.nanoTime();
    boolean resume = false;
    try {
      ExperimentConfig config = ExperimentConfig.parseFrom(point.config());
      Job job = Jobs.create(config);
      List<String> args = new ArrayList<>(List.of("--config", sweepSource, "--point", point.name()));
      args.addAll(point.arguments());
      // the GPUs Spark assigned this task, if any (checked before the folder is locked)
      ConfigProto session = GpuDevices.sessionConfig(GpuDevices.taskAddresses());
      resume = resumable(dir, config);
      // a resumed folder keeps config.pbtxt, run.json's earlier sessions and the checkpoint; the job
      // sees folder.resumed() and continues from the checkpoint, as train --resume does
      RunFolder folder = resume ? RunFolder.existing(dir) : RunFolder.at(dir, true);
      JobOutput output;
      StandardOpenOption[] open = resume
          ? new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.APPEND, StandardOpenOption.WRITE}
          : new StandardOpenOption[] {StandardOpenOption.CREATE, StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE};
      try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(dir.resolve(CONSOLE), StandardCharsets.UTF_8, open),
          true)) {
        if (resume) {
          log.println("restorelab-spark: resuming the unfinished run of point " + point.name() + " from its " + CHECKPOINT);
        }
        JobContext context = new JobContext(folder, console.apply(log), stop, COMMAND, args,
            "./restorelab-spark sweep --config " + sweepSource + "  # point " + point.name());
        if (session != null) {
          log.println("restorelab-spark: TensorFlow sessions pinned to the task's GPUs: gpu_options.visible_device_list \""
              + session.getGpuOptions().getVisibleDeviceList() + "\"");
        }
        output = TfSessions.withConfig(session, () -> RunExecutor.execute(folder, config, COMMAND, args,
            sweepSource + " (point " + point.name() + ")", f -> job.run(context)));
      }
      return new Outcome(point.name(), output.status(), (System.nanoTime() - start) / 1e9, null, resume);
    } catch (Exception | Error e) {
      // a bad input (e.g. the folder is a file, or in use by another process) says so in its own words
      String error = e instanceof org.restorelab.config.ConfigException ? e.getMessage() : RunFailedException.summary(e);
      return new Outcome(point.name(), Outcome.FAILED, (System.nanoTime() - start) / 1e9, error, resume);
    }
  }

  /**
   * Whether {@code dir} holds an unfinished run of {@code config} that can continue: a
   * {@code run.json} that does not say "finished", a {@link #CHECKPOINT}, and a saved
   * {@code config.pbtxt} equal to the point's config (a run of another config starts again).
   */
  static boolean resumable(Path dir, ExperimentConfig config) {
    if (!Files.isRegularFile(dir.resolve(RunFolder.RUN)) || !Files.isRegularFile(dir.resolve(CHECKPOINT))
        || !Files.isRegularFile(dir.resolve(RunFolder.CONFIG)) || finished(dir)) {
      return false;
    }
    try {
      return ConfigLoader.load(dir.resolve(RunFolder.CONFIG)).equals(config);
    } catch (RuntimeException e) {
      return false;
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
