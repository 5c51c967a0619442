package org.restorelab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab evaluate toy}: precision/recall, sqrt(R~) (the attack built around each
 * loaded graph) and exact sqrt(R) of any toy SavedModels, with Figure 3 panels.
 */
@Command(name = "toy", mixinStandardHelpOptions = true,
    description = {
      "Evaluate toy estimators given as SavedModels (a toy_evaluation config, or --model PATH).",
      "Default config: the embedded configs/" + EvaluateToyCommand.DEFAULT_CONFIG + "."
    })
public final class EvaluateToyCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "toy/evaluate.pbtxt";

  @Mixin ExperimentOptions options;

  @Option(names = "--model", paramLabel = "PATH", description = "A SavedModel folder to evaluate (repeatable; "
      + "added to the config's models, with the default signature and tensor names).")
  List<String> models = new ArrayList<>();

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
    if (config.getJobCase() != ExperimentConfig.JobCase.TOY_EVALUATION) {
      throw new ConfigException(options.configSource(DEFAULT_CONFIG) + ": evaluate toy needs a toy_evaluation job");
    }
    ExperimentConfig.Builder b = config.toBuilder();
    for (String m : models) {
      b.getToyEvaluationBuilder().addModel(SavedModelConfig.newBuilder().setPath(m));
    }
    ExperimentConfig resolved = b.build();
    Job job = Jobs.create(resolved);
    job.preflight();
    return RunCommand.execute(spec, options.runFolder(resolved.getName()), job, "evaluate toy",
        options.configSource(DEFAULT_CONFIG));
  }
}
