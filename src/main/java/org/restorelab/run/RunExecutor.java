package org.restorelab.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.util.List;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;

/**
 * Runs a job inside its run folder: the resolved config and {@code run.json} are written
 * before the job starts; results, report and the finished run record after it ends. A failed
 * job leaves {@code run.json} with status "failed", the error and its stack trace. A resumed run's config is the
 * one saved in its folder, and the records of the earlier sessions are kept, oldest first, in
 * {@code earlier_sessions}.
 */
public final class RunExecutor {
  /** The body of a run; it may write figures into the folder. */
  @FunctionalInterface
  public interface Job {
    JobOutput run(RunFolder folder) throws Exception;
  }

  private RunExecutor() {}

  /**
   * Runs {@code job} and releases the folder's lock at the end. A bad input found while running
   * (a {@link ConfigException}, e.g. a corrupt checkpoint) is recorded and rethrown as it is (exit
   * 2); any other failure, errors such as OutOfMemoryError included, is recorded with its full
   * stack trace in {@code run.json} and rethrown as a {@link RunFailedException} that names it.
   */
  public static JobOutput execute(RunFolder folder, ExperimentConfig config, String command,
      List<String> args, String configSource, Job job) throws Exception {
    try (folder) {
      JsonArray earlier = folder.resumed() ? earlierSessions(folder.readRun()) : null;
      if (!folder.resumed()) {
        folder.writeConfig(config);
      }
      JsonObject run = Provenance.capture(command, args, config.getName(), config.getSeed());
      run.addProperty("config_source", earlier != null ? "resumed from this folder's " + RunFolder.CONFIG : configSource);
      run.addProperty("config_file", RunFolder.CONFIG);
      if (!folder.resumeOverrides().isEmpty()) {
        JsonArray overrides = new JsonArray();
        folder.resumeOverrides().forEach(overrides::add);
        run.add(RESUME_OVERRIDES, overrides);
      }
      if (earlier != null) {
        run.add("earlier_sessions", earlier);
      }
      folder.writeRun(run);
      JobOutput output;
      try {
        output = job.run(folder);
        folder.writeResults(output.results());
        folder.writeReport(output.report());
      } catch (Exception | Error e) {
        Provenance.finish(run, "failed");
        run.addProperty("error", RunFailedException.summary(e));
        run.addProperty("trace", trace(e));
        try {
          folder.writeRun(run);
        } catch (IOException | RuntimeException writing) {
          e.addSuppressed(writing);
        }
        if (e instanceof ConfigException) {
          throw e;
        }
        throw new RunFailedException(e, folder.file(RunFolder.RUN));
      }
      Provenance.finish(run, output.status());
      folder.writeRun(run);
      return output;
    }
  }

  /** The key of {@code run.json} that lists the overrides a resumed session applied. */
  public static final String RESUME_OVERRIDES = "resume_overrides";

  private static String trace(Throwable e) {
    java.io.StringWriter w = new java.io.StringWriter();
    e.printStackTrace(new java.io.PrintWriter(w));
    return w.toString();
  }

  /** The earlier sessions of a resumed run, oldest first: those it already listed, then itself. */
  private static JsonArray earlierSessions(JsonObject previous) {
    JsonArray sessions = new JsonArray();
    if (previous.has("earlier_sessions") && previous.get("earlier_sessions").isJsonArray()) {
      sessions.addAll(previous.getAsJsonArray("earlier_sessions"));
      previous.remove("earlier_sessions");
    }
    sessions.add(previous);
    return sessions;
  }
}
