package org.restorelab.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code restorelab evaluate ifgsm}: Figure 8 (Appendix G), I-FGSM against image SavedModels. */
@Command(name = "ifgsm", mixinStandardHelpOptions = true,
    description = {
      "Attack super-resolution SavedModels with I-FGSM (Choi et al.): output and input PSNR against alpha (Figure 8).",
      "Default config: the embedded configs/" + EvaluateIfgsmCommand.DEFAULT_CONFIG + "."
    })
public final class EvaluateIfgsmCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "cpu/ifgsm-sr4.pbtxt";

  @Mixin ExperimentOptions options;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
    if (config.getJobCase() != ExperimentConfig.JobCase.IFGSM_EVALUATION) {
      throw new ConfigException(options.configSource(DEFAULT_CONFIG) + ": evaluate ifgsm needs an ifgsm_evaluation job,"
          + " the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
    }
    Job job = Jobs.create(config);
    return RunCommand.execute(spec, options.runFolder(config.getName()), job, "evaluate ifgsm",
        options.configSource(DEFAULT_CONFIG));
  }
}
