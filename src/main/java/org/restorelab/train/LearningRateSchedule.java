package org.restorelab.train;

import org.restorelab.config.OptimizerConfig;

/** Step schedule: lr at step s = lr * gamma^(number of milestones <= s). */
public final class LearningRateSchedule {
  private LearningRateSchedule() {}

  public static double at(OptimizerConfig config, long step) {
    double lr = config.getLr();
    for (long milestone : config.getMilestonesList()) {
      if (step >= milestone) {
        lr *= config.getGamma();
      }
    }
    return lr;
  }
}
