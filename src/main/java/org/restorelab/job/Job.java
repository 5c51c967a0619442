package org.restorelab.job;

import org.restorelab.config.ExperimentConfig;
import org.restorelab.run.JobOutput;

/**
 * One {@code oneof job} case of {@code experiment.proto}, built from its config by
 * {@link Jobs#create} (which validates it) and run inside a run folder. A job needs nothing but
 * its config and its {@link JobContext}: no picocli, no static state, so any JVM can run it.
 */
public interface Job {
  /** The resolved config the job runs; it is written into the run folder before the job starts. */
  ExperimentConfig config();

  /**
   * The checks that need more than the config (files, models, memory), made before a run folder
   * exists so that a bad input is refused early; a resumed run skips them. None by default.
   */
  default void preflight() {}

  /**
   * Runs the job into {@code context.folder()}, writing figures and models there, and returns the
   * results and report to be written beside them. A job stopped early by its stop flag returns
   * status "interrupted".
   */
  JobOutput run(JobContext context) throws Exception;

  /**
   * Whether {@link #run} honours its stop flag by stopping early with its state kept; only such
   * a job gets a Ctrl-C handler that waits for it (the others end with the JVM at once).
   */
  default boolean stoppable() {
    return true;
  }
}
