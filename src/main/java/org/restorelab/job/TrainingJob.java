package org.restorelab.job;

import org.restorelab.config.ExperimentConfig;
import org.restorelab.train.StepMemory;

/**
 * What the training jobs share: their config, and the memory check before a run folder exists.
 * A training job resumes from its folder's checkpoint when the folder is a resumed one, and
 * stops with a checkpoint when its stop flag is raised.
 */
abstract class TrainingJob implements Job {
  final ExperimentConfig config;

  TrainingJob(ExperimentConfig config) {
    this.config = config;
  }

  @Override
  public final ExperimentConfig config() {
    return config;
  }

  /** Refuses a config whose training step would not fit in memory ({@link StepMemory#check}). */
  @Override
  public final void preflight() {
    StepMemory.check(config);
  }
}
