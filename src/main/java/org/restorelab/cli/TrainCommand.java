package org.restorelab.cli;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.graph.ConvolutionPrecision;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.export.ConditionalFlowExport;
import org.restorelab.export.FeatureExtractorExport;
import org.restorelab.export.ImageEstimatorExport;
import org.restorelab.task.Tasks;
import org.restorelab.train.ImageGanTrainer;
import org.restorelab.train.ImageGanValidation;
import org.restorelab.export.ToyEstimatorExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.run.RunFolder;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ConditionalFlowTrainer;
import org.restorelab.train.FeatureExtractorReport;
import org.restorelab.train.FeatureExtractorTrainer;
import org.restorelab.train.ToyGanTrainer;
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
  static final java.util.Set<String> RESUMABLE_FIELDS = java.util.Set.of(
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
    } else {
      config = options.resolve(DEFAULT_CONFIG);
      config = selectVariant(config);
      if (config.getJobCase() == ExperimentConfig.JobCase.TOY_GAN) {
        ToyVariants.validate(config.getToyGan(), "toy_gan");
      } else if (config.getJobCase() == ExperimentConfig.JobCase.IMAGE_GAN) {
        ImageGanValidation.validate(config.getImageGan(), "image_gan");
      } else if (config.getJobCase() == ExperimentConfig.JobCase.FEATURE_EXTRACTOR) {
        FeatureExtractorTrainer.validate(config.getFeatureExtractor(), "feature_extractor");
      } else if (config.getJobCase() == ExperimentConfig.JobCase.CONDITIONAL_FLOW) {
        ConditionalFlowTrainer.validate(config.getConditionalFlow(), "conditional_flow");
      }
      org.restorelab.train.StepMemory.check(config);
      folder = options.runFolder(config.getName());
    }
    if (config.getJobCase() == ExperimentConfig.JobCase.IMAGE_GAN) {
      return trainImage(config, folder, out);
    }
    if (config.getJobCase() == ExperimentConfig.JobCase.FEATURE_EXTRACTOR) {
      return trainFeatureExtractor(config, folder, out);
    }
    if (config.getJobCase() == ExperimentConfig.JobCase.CONDITIONAL_FLOW) {
      return trainFlow(config, folder, out);
    }
    if (config.getJobCase() != ExperimentConfig.JobCase.TOY_GAN) {
      folder.close();
      throw new ConfigException(folder.file(RunFolder.CONFIG) + " has a " + config.getJobCase().name()
          .toLowerCase(Locale.ROOT) + " job, which train cannot resume");
    }
    ToyGanConfig toy = config.getToyGan();
    if (resume) {
      ToyVariants.validate(toy, "toy_gan");
    }
    ToyGanTrainer trainer = new ToyGanTrainer(toy, config.getSeed(), folder.dir());
    ExperimentConfig resolved = config;
    try (StopOnInterrupt stop = new StopOnInterrupt(trainer::requestStop)) {
      return RunCommand.execute(spec, folder, resolved, "train", options.configSource(DEFAULT_CONFIG),
          f -> trainAndExport(trainer, toy, f, out, resolved.getSeed()));
    }
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

  private Integer trainImage(ExperimentConfig config, RunFolder folder, PrintWriter out) throws Exception {
    ImageGanConfig image = config.getImageGan();
    ImageGanValidation.validate(image, "image_gan");
    ImageGanTrainer trainer = new ImageGanTrainer(image, config.getSeed(), folder.dir());
    try (StopOnInterrupt stop = new StopOnInterrupt(trainer::requestStop)) {
      return RunCommand.execute(spec, folder, config, "train", options.configSource(DEFAULT_CONFIG), f -> {
        ImageSplits data = ImageSplits.open(image.getData(), config.getSeed(), out);
        ImageGanTrainer.Outcome outcome = trainer.train(data.train(), data.validation(), resume, out);
        JsonObject results = results(image.getName(), outcome.step(), image.getSteps(), outcome.secondsPerIteration());
        results.addProperty("task", Tasks.create(image.getTask(), image.getData().getImageSize(), "image_gan.task").name());
        results.addProperty("sample_pixel_std", outcome.samplePixelStd());
        results.addProperty("objective", image.getObjective().name());
        results.addProperty("precision", ConvolutionPrecision.resolve(image.getPrecision()).name());
        JsonObject last = new JsonObject();
        outcome.lastMetrics().forEach(last::addProperty);
        results.add("last_step_metrics", last);
        String report = String.format(Locale.ROOT, "# %s\n\nTrained %d of %d steps (%.3f s per iteration, objective %s)"
            + " by `%s`. Losses: `metrics.csv` and `tensorboard/`; sample grids: `samples/`. Per-pixel standard deviation"
            + " over the last grid's samples (%d per input, inference mode): %.4f. Last step: %s.\n", image.getName(),
            outcome.step(), image.getSteps(), outcome.secondsPerIteration(), image.getObjective().name(),
            Reproduce.commandLine(spec), image.getSamplesPerInput(), outcome.samplePixelStd(),
            lastMetricsText(outcome.lastMetrics()));
        if (!outcome.finished()) {
          return new JobOutput(results, report, "interrupted");
        }
        Path export = f.file("savedmodel");
        ImageEstimatorExport.export(image, outcome.estimatorWeights(), export,
            Provenance.capture("train", spec.commandLine().getParseResult().originalArgs(), image.getName(),
                config.getSeed()));
        results.addProperty("savedmodel", "savedmodel");
        out.println("exported " + export);
        return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z) -> x_hat;"
            + " `sample`: (y, seed) -> x_hat; NHWC float32 in [0, 1]).\n");
      });
    }
  }

  /** The training and validation splits of an image data config, announced on {@code out}. */
  private record ImageSplits(ImageSet train, ImageSet validation) {
    static ImageSplits open(ImageDataConfig data, long seed, PrintWriter out) {
      ImageSplits splits = new ImageSplits(ImageSets.open(data, Split.TRAIN, seed), ImageSets.open(data, Split.VALIDATION, seed));
      out.printf("data: %,d training and %,d validation images (%s)%n", splits.train().size(),
          splits.validation().size(), data.getSourceCase().name().toLowerCase(Locale.ROOT));
      return splits;
    }
  }

  /** The fields every training job's results.json starts with (schema restorelab.train/1). */
  private static JsonObject results(String estimator, long step, long steps, double secondsPerIteration) {
    JsonObject results = new JsonObject();
    results.addProperty("schema", "restorelab.train/1");
    results.addProperty("estimator", estimator);
    results.addProperty("step", step);
    results.addProperty("steps", steps);
    results.addProperty("seconds_per_iteration", secondsPerIteration);
    return results;
  }

  /** "loss_l1 0.0412, psnr 24.61, ..." (4 significant digits). */
  static String lastMetricsText(java.util.Map<String, Double> metrics) {
    return metrics.isEmpty() ? "none (no step run)" : String.join(", ", metrics.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue())).toList());
  }

  private Integer trainFeatureExtractor(ExperimentConfig config, RunFolder folder, PrintWriter out) throws Exception {
    FeatureExtractorConfig fe = config.getFeatureExtractor();
    FeatureExtractorTrainer.validate(fe, "feature_extractor");
    FeatureExtractorTrainer trainer = new FeatureExtractorTrainer(fe, config.getSeed(), folder.dir());
    try (StopOnInterrupt stop = new StopOnInterrupt(trainer::requestStop)) {
      return RunCommand.execute(spec, folder, config, "train", options.configSource(DEFAULT_CONFIG), f -> {
        ProceduralFaces train = FeatureExtractorTrainer.faces(fe, Split.TRAIN, config.getSeed());
        ProceduralFaces validation = FeatureExtractorTrainer.faces(fe, Split.VALIDATION, config.getSeed());
        out.printf("data: %,d training and %,d validation faces, %dx%d%n", train.size(), validation.size(),
            train.width(), train.height());
        FeatureExtractorTrainer.Outcome outcome = trainer.train(train, validation, resume, out);
        JsonObject results = FeatureExtractorReport.results(fe, outcome);
        String report = FeatureExtractorReport.markdown(fe, outcome, Reproduce.commandLine(spec));
        if (!outcome.finished()) {
          return new JobOutput(results, report, "interrupted");
        }
        Path export = f.file("savedmodel");
        FeatureExtractorExport.export(fe, outcome.weights(), outcome.heldOut(), export,
            Provenance.capture("train", spec.commandLine().getParseResult().originalArgs(), fe.getName(),
                config.getSeed()));
        results.addProperty("savedmodel", "savedmodel");
        out.println("exported " + export);
        return new JobOutput(results, report + FeatureExtractorReport.savedModelNote(fe));
      });
    }
  }

  private Integer trainFlow(ExperimentConfig config, RunFolder folder, PrintWriter out) throws Exception {
    ConditionalFlowConfig flow = config.getConditionalFlow();
    ConditionalFlowTrainer.validate(flow, "conditional_flow");
    ConditionalFlowTrainer trainer = new ConditionalFlowTrainer(flow, config.getSeed(), folder.dir());
    try (StopOnInterrupt stop = new StopOnInterrupt(trainer::requestStop)) {
      return RunCommand.execute(spec, folder, config, "train", options.configSource(DEFAULT_CONFIG), f -> {
        ImageSplits data = ImageSplits.open(flow.getData(), config.getSeed(), out);
        ConditionalFlowTrainer.Outcome outcome = trainer.train(data.train(), data.validation(), resume, out);
        JsonObject results = results(flow.getName(), outcome.step(), flow.getSteps(), outcome.secondsPerIteration());
        results.addProperty("task", ConditionalFlowTrainer.task(flow, "conditional_flow").name());
        results.addProperty("sample_pixel_std", outcome.samplePixelStd());
        results.addProperty("validation_bits_per_dim", outcome.validationBitsPerDim());
        results.addProperty("validation_images", outcome.validationImages());
        String finite = "";
        if (outcome.finiteCheck() != null) {
          ConditionalFlowTrainer.FiniteCheck check = outcome.finiteCheck();
          JsonObject c = new JsonObject();
          c.addProperty("images", check.images());
          com.google.gson.JsonArray temps = new com.google.gson.JsonArray();
          com.google.gson.JsonArray counts = new com.google.gson.JsonArray();
          for (int t = 0; t < check.temperatures().length; t++) {
            temps.add(check.temperatures()[t]);
            counts.add(check.nonFinite()[t]);
          }
          c.add("temperatures", temps);
          c.add("non_finite_samples", counts);
          results.add("finite_check", c);
          finite = String.format(Locale.ROOT, " Samples of all %d checked validation images at temperatures %s:"
              + " %d of %d hold a NaN or infinity before clipping (%s per temperature).", check.images(),
              java.util.Arrays.toString(check.temperatures()), check.total(),
              check.images() * check.temperatures().length, java.util.Arrays.toString(check.nonFinite()));
        }
        String report = String.format(Locale.ROOT, "# %s\n\nConditional flow trained by maximum likelihood: %d of %d"
            + " steps (%.3f s per iteration) by `%s`. Held-out negative log-likelihood: %.4f bits per dimension on %d"
            + " validation images. Losses: `metrics.csv` and `tensorboard/`; sample grids (temperature %.2f):"
            + " `samples/`. Per-pixel standard deviation over the last grid's samples (%d per input): %.4f.\n",
            flow.getName(), outcome.step(), flow.getSteps(), outcome.secondsPerIteration(), Reproduce.commandLine(spec),
            outcome.validationBitsPerDim(), outcome.validationImages(), flow.getTemperature(),
            flow.getSamplesPerInput(), outcome.samplePixelStd()) + (finite.isEmpty() ? "" : finite.substring(1) + "\n")
            + "Held-out bits per dimension every " + flow.getValidateEvery() + " steps: `metrics.csv`, column"
            + " `validation_bits_per_dim`.\n";
        if (!outcome.finished()) {
          return new JobOutput(results, report, "interrupted");
        }
        Path export = f.file("savedmodel");
        ConditionalFlowExport.export(flow, outcome.weights(), export,
            Provenance.capture("train", spec.commandLine().getParseResult().originalArgs(), flow.getName(),
                config.getSeed()), results);
        results.addProperty("savedmodel", "savedmodel");
        out.println("exported " + export);
        return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z,"
            + " temperature) -> x_hat with z every level's latent flattened; `per_level`: (y, z1..zL, temperature)"
            + " -> x_hat; `sample`: (y, seed, temperature) -> x_hat; temperature defaults to "
            + flow.getTemperature() + ").\n");
      });
    }
  }

  private JobOutput trainAndExport(ToyGanTrainer trainer, ToyGanConfig toy, RunFolder folder, PrintWriter out,
      long seed) throws Exception {
    ToyGanTrainer.Outcome outcome = trainer.train(resume, out);
    JsonObject results = results(toy.getName(), outcome.step(), toy.getSteps(), outcome.secondsPerIteration());
    String report = String.format(Locale.ROOT, "# %s\n\nTrained %d of %d steps (%.2f ms per iteration) by `%s`."
        + " Losses: `metrics.csv` and `tensorboard/`.\n", toy.getName(), outcome.step(), toy.getSteps(),
        1e3 * outcome.secondsPerIteration(), Reproduce.commandLine(spec));
    if (!outcome.finished()) {
      return new JobOutput(results, report, "interrupted");
    }
    Path export = folder.file("savedmodel");
    ToyEstimatorExport.export(toy, outcome.estimatorWeights(), export,
        Provenance.capture("train", spec.commandLine().getParseResult().originalArgs(), toy.getName(), seed));
    results.addProperty("savedmodel", "savedmodel");
    out.println("exported " + export);
    return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z) -> x_hat;"
        + " `sample`: (y, seed) -> x_hat).\n");
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
