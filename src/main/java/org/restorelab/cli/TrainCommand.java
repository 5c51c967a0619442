package org.restorelab.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import org.restorelab.run.RunFolder;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ToyVariants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab train}: trains one GAN estimator (toy or image), or the feature extractor, and
 * exports it as a SavedModel.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = {
      "Train one GAN estimator: a toy_gan config, one --variant of a toy_reproduction config, or an",
      "image_gan config (inpainting or super-resolution, e.g. configs/cpu/inpainting-StoRobustGAN.pbtxt),",
      "or the feature extractor of a feature_extractor config (configs/cpu/feature-extractor-faces.pbtxt),",
      "or an SRFlow-style conditional flow of a conditional_flow config (configs/cpu/sr4-SRFlow.pbtxt),",
      "then export it as a SavedModel into <run folder>/savedmodel. Ctrl-C writes a checkpoint and stops;",
      "--resume continues from it. Default config: the embedded configs/" + TrainCommand.DEFAULT_CONFIG + "."
    })
public final class TrainCommand implements Callable<Integer> {
  static final String DEFAULT_CONFIG = "toy/reproduce-effective.pbtxt";
  /** The fields a resumed training may change (--set with --resume): its number of steps. */
  static final Set<String> RESUMABLE_FIELDS = Set.of(
      "toy_gan.steps", "image_gan.steps", "feature_extractor.steps", "conditional_flow.steps");

  @Mixin ExperimentOptions options;

  @Option(names = "--variant", paramLabel = "NAME",
      description = "The variant of a toy_reproduction config, e.g. StoRobustGAN.")
  String variant;

  @Option(names = "--resume", description = "Continue the run in --out from its checkpoint (with its saved config).")
  boolean resume;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    ExperimentConfig config;
    RunFolder folder;
    Job job;
    if (resume) {
      ResumeRules.refuseNewSettings(options);
      ResumeRules.refuse(variant != null, "--variant");
      folder = options.output.resumeFolder();
      ResumeRules.Resumed resumed = ResumeRules.open(folder, options.overrides, RESUMABLE_FIELDS);
      if (resumed.nothingToDo()) {
        return ResumeRules.nothingToDo(folder, out);
      }
      config = resumed.config();
      Path checkpoint = folder.file(Checkpoint.FILE);
      long reached = Files.exists(checkpoint) ? Checkpoint.step(checkpoint) : -1;
      if (reached < 0 || steps(config) < reached) {
        folder.close();
        throw new ConfigException(reached < 0 ? "cannot resume: " + folder.dir() + " has no " + Checkpoint.FILE
            : "cannot resume " + folder.dir() + " with " + steps(config) + " steps: its " + Checkpoint.FILE
                + " is at step " + reached + " (give --set <job>.steps of at least " + reached + ")");
      }
      try {
        job = Jobs.create(config);
      } catch (RuntimeException e) {
        folder.close();
        throw e;
      }
    } else {
      config = selectVariant(options.resolve(DEFAULT_CONFIG));
      job = Jobs.create(config);
      job.preflight();
      folder = options.runFolder(config.getName());
    }
    return RunCommand.execute(spec, folder, job, "train", options.configSource(DEFAULT_CONFIG));
  }

  /** The number of steps a training config asks for. */
  private static long steps(ExperimentConfig config) {
    return switch (config.getJobCase()) {
      case TOY_GAN -> config.getToyGan().getSteps();
      case IMAGE_GAN -> config.getImageGan().getSteps();
      case FEATURE_EXTRACTOR -> config.getFeatureExtractor().getSteps();
      case CONDITIONAL_FLOW -> config.getConditionalFlow().getSteps();
      default -> throw new ConfigException("a run with a " + config.getJobCase().name().toLowerCase(Locale.ROOT)
          + " job cannot be resumed by train");
    };
  }

  private ExperimentConfig selectVariant(ExperimentConfig config) {
    switch (config.getJobCase()) {
      case IMAGE_GAN:
      case TOY_GAN:
      case FEATURE_EXTRACTOR:
      case CONDITIONAL_FLOW:
        if (variant != null) {
          throw new ConfigException("--variant applies to toy_reproduction configs; this config has a " + config.getJobCase().name().toLowerCase(Locale.ROOT) + " job");
        }
        return config;
      case TOY_REPRODUCTION:
        if (variant == null) {
          throw new ConfigException(options.configSource(DEFAULT_CONFIG) + " is a toy_reproduction config: choose "
              + "--variant (" + String.join(", ", config.getToyReproduction().getVariantList().stream()
                  .map(v -> v.getName()).toList()) + ")");
        }
        ToyGanConfig toy = ToyVariants.resolve(config.getToyReproduction(), variant);
        return config.toBuilder().setName(config.getName() + "-" + variant).setToyGan(toy).build();
      default:
        throw new ConfigException(options.configSource(DEFAULT_CONFIG) + ": the train command needs a toy_gan,"
            + " toy_reproduction, image_gan, feature_extractor or conditional_flow job, the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
    }
  }
}
