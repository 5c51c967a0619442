package org.restorelab.job;

import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;

/** The job of an experiment config: one class per case of {@code oneof job} in {@code experiment.proto}. */
public final class Jobs {
  private Jobs() {}

  /**
   * The job of {@code config}, its config validated (a {@link ConfigException} naming the field
   * otherwise) before any folder or graph exists.
   */
  public static Job create(ExperimentConfig config) {
    return switch (config.getJobCase()) {
      case ANALYTIC -> new AnalyticJob(config);
      case TOY_GAN -> new ToyGanTrainingJob(config);
      case TOY_REPRODUCTION -> ToyReproductionJob.of(config);
      case TOY_EVALUATION -> new ToyEvaluationJob(config);
      case IMAGE_GAN -> new ImageGanTrainingJob(config);
      case FEATURE_EXTRACTOR -> new FeatureExtractorTrainingJob(config);
      case IMAGE_EVALUATION -> new ImageEvaluationJob(config);
      case IMAGE_EVALUATION_SUITE -> new ImageEvaluationSuiteJob(config);
      case IFGSM_EVALUATION -> new IfgsmEvaluationJob(config);
      case CONDITIONAL_FLOW -> new ConditionalFlowTrainingJob(config);
      case BENCHMARK_FOLDER -> new BenchmarkFolderJob(config);
      case JOB_NOT_SET -> throw new ConfigException(config.getName() + ": the config sets no job (one of analytic,"
          + " toy_gan, toy_reproduction, toy_evaluation, image_gan, feature_extractor, image_evaluation,"
          + " image_evaluation_suite, ifgsm_evaluation, conditional_flow, benchmark_folder)");
    };
  }
}
