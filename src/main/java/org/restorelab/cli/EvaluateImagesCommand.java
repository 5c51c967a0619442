package org.restorelab.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab evaluate images}: Table 1's metrics, consistency and a Figure 1 grid for image
 * estimators given as SavedModels (ours or anyone's); resumable with {@code --resume}.
 */
@Command(name = "images", mixinStandardHelpOptions = true,
    description = {
      "Evaluate image estimators given as SavedModels (an image_evaluation config, and/or --model PATH):",
      "FID, precision/recall, per-pixel std, robustness (Eq. 9), AI-PSNR and consistency, in Table 1's layout,",
      "with a Figure 1 style grid. With image_evaluation.posterior (procedural faces, inpainting): posterior",
      "metrics (factor TV, mode coverage, collapse rate) beside the exact posterior sampler as a reference column.",
      "Ctrl-C keeps finished batches; --resume --out DIR continues.",
      "Default config: the embedded configs/" + EvaluateImagesCommand.DEFAULT_CONFIG + "."
    })
public final class EvaluateImagesCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "cpu/evaluate-inpainting.pbtxt";

  @Mixin ExperimentOptions options;

  @Option(names = "--model", paramLabel = "PATH", description = "A SavedModel folder to evaluate (repeatable; "
      + "added to the config's models, default signature and tensor names).")
  List<String> models = new ArrayList<>();

  @Option(names = "--resume", description = "Continue the evaluation in --out (with its saved config).")
  boolean resume;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    RunFolder folder;
    Job job;
    if (resume) {
      ResumeRules.refuseNewSettings(options);
      ResumeRules.refuse(!models.isEmpty(), "--model");
      folder = options.output.resumeFolder();
      ResumeRules.Resumed resumed = ResumeRules.open(folder, options.overrides, Set.of());
      if (resumed.nothingToDo()) {
        return ResumeRules.nothingToDo(folder, spec.commandLine().getOut());
      }
      try {
        job = imageEvaluation(resumed.config());
      } catch (RuntimeException e) {
        folder.close();
        throw e;
      }
    } else {
      ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
      if (!models.isEmpty()) {
        if (config.getJobCase() != ExperimentConfig.JobCase.IMAGE_EVALUATION) {
          throw new ConfigException("--model needs an image_evaluation config (one task); "
              + options.configSource(DEFAULT_CONFIG) + " has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
        }
        ExperimentConfig.Builder b = config.toBuilder();
        for (String m : models) {
          b.getImageEvaluationBuilder().addModel(SavedModelConfig.newBuilder().setPath(m));
        }
        config = b.build();
      }
      job = imageEvaluation(config);
      job.preflight();
      folder = options.runFolder(config.getName());
    }
    return RunCommand.execute(spec, folder, job, "evaluate images", options.configSource(DEFAULT_CONFIG));
  }

  /** The job of an image_evaluation or image_evaluation_suite config, validated. */
  private static Job imageEvaluation(ExperimentConfig config) {
    if (config.getJobCase() != ExperimentConfig.JobCase.IMAGE_EVALUATION
        && config.getJobCase() != ExperimentConfig.JobCase.IMAGE_EVALUATION_SUITE) {
      throw new ConfigException("evaluate images needs an image_evaluation or image_evaluation_suite job, the"
          + " config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
    }
    return Jobs.create(config);
  }
}
