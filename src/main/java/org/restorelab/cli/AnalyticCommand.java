package org.restorelab.cli;

import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code restorelab analytic}: the toy problem's analytic results, no training. */
@Command(name = "analytic", mixinStandardHelpOptions = true,
    description = {
      "The toy problem's analytic results (no training): Figure 3's hand-crafted panels,",
      "Figure 5 (Appendix B) and W2 against f (Appendix C).",
      "Default config: the embedded configs/" + AnalyticCommand.DEFAULT_CONFIG + "."
    })
public final class AnalyticCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "toy/analytic.pbtxt";

  @Mixin ExperimentOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
    if (config.getJobCase() != ExperimentConfig.JobCase.ANALYTIC) {
      throw new ConfigException(options.configSource(DEFAULT_CONFIG)
          + ": the analytic command needs an 'analytic { ... }' job, the config has "
          + config.getJobCase().name().toLowerCase());
    }
    Job job = Jobs.create(config);
    return RunCommand.execute(spec, options.runFolder(config.getName()), job, "analytic",
        options.configSource(DEFAULT_CONFIG));
  }
}
