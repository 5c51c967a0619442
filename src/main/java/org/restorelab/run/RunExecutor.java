package org.restorelab.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import org.restorelab.config.ExperimentConfig;

/**
 * Runs a job inside its run folder: the resolved config and {@code run.json} are written
 * before the job starts; results, report and the finished run record after it ends. A failed
 * job leaves {@code run.json} with status "failed" and the error. A resumed run's config is the
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

  public static JobOutput execute(RunFolder folder, ExperimentConfig config, String command,
      List<String> args, String configSource, Job job) throws Exception {
    JsonArray earlier = folder.resumed() ? earlierSessions(folder.readRun()) : null;
    folder.writeConfig(config);
    JsonObject run = Provenance.capture(command, args, config.getName(), config.getSeed());
    run.addProperty("config_source", earlier != null ? "resumed from this folder's " + RunFolder.CONFIG : configSource);
    run.addProperty("config_file", RunFolder.CONFIG);
    if (earlier != null) {
      run.add("earlier_sessions", earlier);
    }
    folder.writeRun(run);
    JobOutput output;
    try {
      output = job.run(folder);
    } catch (Exception | Error e) {
      Provenance.finish(run, "failed");
      run.addProperty("error", String.valueOf(e));
      folder.writeRun(run);
      throw e;
    }
    folder.writeResults(output.results());
    folder.writeReport(output.report());
    Provenance.finish(run, output.status());
    folder.writeRun(run);
    return output;
  }

  /** The earlier sessions of a resumed run, oldest first: those it already listed, then itself. */
  private static JsonArray earlierSessions(JsonObject previous) {
    JsonArray sessions = new JsonArray();
    if (previous.has("earlier_sessions") && previous.get("earlier_sessions").isJsonArray()) {
      sessions.addAll(previous.getAsJsonArray("earlier_sessions"));
      previous.remove("earlier_sessions");
    }
    if (previous.has("status") && previous.get("status").getAsString().equals("running")) {
      // the process ended without recording its status (killed, or the machine stopped)
      previous.addProperty("status", "ended without a final record");
    }
    sessions.add(previous);
    return sessions;
  }
}
