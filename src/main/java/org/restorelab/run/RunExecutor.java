package org.restorelab.run;

import com.google.gson.JsonObject;
import java.util.List;
import org.restorelab.config.ExperimentConfig;

/**
 * Runs a job inside its run folder: the resolved config and {@code run.json} are written
 * before the job starts; results, report and the finished run record after it ends. A failed
 * job leaves {@code run.json} with status "failed" and the error.
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
    folder.writeConfig(config);
    JsonObject run = Provenance.capture(command, args, config.getName(), config.getSeed());
    run.addProperty("config_source", configSource);
    run.addProperty("config_file", RunFolder.CONFIG);
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
}
