package org.restorelab.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Cross-field rules of a config that need nothing but the config: sample counts against the data
 * sizes the config itself gives, precision/recall's k against the sets it is computed on, ordered
 * pairs. Each problem names both fields and their values. Ranges of single fields are
 * {@link ConfigValidator}'s; rules that need other packages (task shapes, SavedModel folders) stay
 * in the per-job validators.
 */
public final class ConfigConsistency {
  private ConfigConsistency() {}

  /** The first cross-field problem of {@code config}, if any. */
  public static Optional<ConfigValidator.Problem> check(ExperimentConfig config) {
    List<ConfigValidator.Problem> p = new ArrayList<>();
    switch (config.getJobCase()) {
      case ANALYTIC -> {
        AnalyticConfig a = config.getAnalytic();
        if (a.hasHandcrafted()) {
          precisionRecall(a.getHandcrafted().getPrecisionRecall(), "analytic.handcrafted.precision_recall", p);
        }
        if (a.hasEllipse()) {
          precisionRecall(a.getEllipse().getPrecisionRecall(), "analytic.ellipse.precision_recall", p);
        }
      }
      case TOY_EVALUATION -> toyEvaluation(config.getToyEvaluation().getEvaluation(), "toy_evaluation.evaluation",
          config.getToyEvaluation().getValidationSize(), "toy_evaluation.validation_size", p);
      case TOY_REPRODUCTION -> toyEvaluation(config.getToyReproduction().getEvaluation(),
          "toy_reproduction.evaluation", config.getToyReproduction().getBase().getData().getValidationSize(),
          "toy_reproduction.base.data.validation_size", p);
      case IMAGE_GAN -> sampleInputs(config.getImageGan().getSampleInputs(), config.getImageGan().getData(),
          "image_gan", p);
      case CONDITIONAL_FLOW -> sampleInputs(config.getConditionalFlow().getSampleInputs(),
          config.getConditionalFlow().getData(), "conditional_flow", p);
      case IMAGE_EVALUATION -> imageEvaluation(config.getImageEvaluation(), "image_evaluation", p);
      case IMAGE_EVALUATION_SUITE -> {
        for (int i = 0; i < config.getImageEvaluationSuite().getEvaluationCount(); i++) {
          imageEvaluation(config.getImageEvaluationSuite().getEvaluation(i), "image_evaluation_suite.evaluation[" + i + "]",
              p);
        }
      }
      default -> { }
    }
    return p.stream().findFirst();
  }

  /** k < the size of each set (a sample's k-th neighbour in its own set, itself excluded). */
  private static void precisionRecall(PrecisionRecallConfig pr, String path, List<ConfigValidator.Problem> p) {
    atMost(pr.getK(), path + ".k", pr.getNumSamples() - 1, "num_samples - 1 (" + path + ".num_samples = "
        + pr.getNumSamples() + ")", p);
  }

  /**
   * Toy evaluation (org.restorelab.evaluate.ToyEvaluation): precision/recall takes outputs from
   * validation inputs 0..n-1 and real samples n..2n-1; the sensitivity takes the first
   * sensitivity_inputs validation inputs, the exact sensitivity the first exact_inputs of those,
   * the posterior distance the first posterior_inputs (when set; by default at most all of them).
   */
  private static void toyEvaluation(ToyEvaluationConfig e, String path, int validationSize, String validationField,
      List<ConfigValidator.Problem> p) {
    PrecisionRecallConfig pr = e.getPrecisionRecall();
    precisionRecall(pr, path + ".precision_recall", p);
    String validation = validationField + " = " + validationSize;
    atMost(pr.getNumSamples(), path + ".precision_recall.num_samples", validationSize / 2,
        "half of " + validation + " (outputs and real samples are distinct validation samples)", p);
    atMost(e.getSensitivityInputs(), path + ".sensitivity_inputs", validationSize, validation, p);
    atMost(e.getExactInputs(), path + ".exact_inputs", e.getSensitivityInputs(),
        path + ".sensitivity_inputs = " + e.getSensitivityInputs() + " (they are the first of those)", p);
    if (e.hasPosteriorInputs()) {
      atMost(e.getPosteriorInputs(), path + ".posterior_inputs", validationSize, validation, p);
    }
  }

  /** The sample grid's inputs are the first validation images; procedural sets give their size. */
  private static void sampleInputs(int sampleInputs, ImageDataConfig data, String path, List<ConfigValidator.Problem> p) {
    Integer size = proceduralValidationSize(data);
    if (size != null) {
      atMost(sampleInputs, path + ".sample_inputs", size, path + ".data." + data.getSourceCase().name()
          .toLowerCase(java.util.Locale.ROOT) + ".validation_size = " + size, p);
    }
  }

  private static Integer proceduralValidationSize(ImageDataConfig data) {
    return switch (data.getSourceCase()) {
      case FACES -> data.getFaces().getValidationSize();
      case TEXTURES -> data.getTextures().getValidationSize();
      default -> null;
    };
  }

  /** FID and precision/recall compare real_samples real with generated_samples generated features. */
  private static void imageEvaluation(ImageEvaluationConfig c, String path, List<ConfigValidator.Problem> p) {
    int smaller = Math.min(c.getRealSamples(), c.getGeneratedSamples());
    String which = c.getRealSamples() <= c.getGeneratedSamples() ? "real_samples" : "generated_samples";
    atMost(c.getPrecisionRecall().getK(), path + ".precision_recall.k", smaller - 1,
        which + " - 1 (" + path + "." + which + " = " + smaller + ")", p);
    FeatureExtractorModelConfig f = c.getFeatures();
    if (!(f.getInputLow() < f.getInputHigh())) {
      p.add(new ConfigValidator.Problem(path + ".features.input_low", path + ".features.input_low = " + f.getInputLow()
          + ": expected less than " + path + ".features.input_high = " + f.getInputHigh()));
    }
  }

  private static void atMost(long value, String field, long bound, String boundText, List<ConfigValidator.Problem> p) {
    if (value > bound) {
      p.add(new ConfigValidator.Problem(field, field + " = " + value + ": expected at most " + boundText));
    }
  }
}
