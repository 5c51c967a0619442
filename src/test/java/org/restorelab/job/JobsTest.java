package org.restorelab.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ExperimentConfig.JobCase;
import org.restorelab.config.ImageEvaluationSuiteConfig;

/** {@link Jobs#create}: one job class per case of {@code oneof job}, built from the shipped configs. */
class JobsTest {
  private static Job create(String config) {
    return Jobs.create(ConfigLoader.load(Path.of("configs", config)));
  }

  @Test
  void buildsTheJobOfEachCaseFromAShippedConfig() {
    assertThat(create("toy/analytic.pbtxt")).isInstanceOf(AnalyticJob.class);
    assertThat(create("toy/reproduce-effective.pbtxt")).isInstanceOf(ToyReproductionJob.class);
    assertThat(create("cpu/inpainting-StoRobustGAN.pbtxt")).isInstanceOf(ImageGanTrainingJob.class);
    assertThat(create("cpu/feature-extractor-faces.pbtxt")).isInstanceOf(FeatureExtractorTrainingJob.class);
    assertThat(create("cpu/sr4-SRFlow.pbtxt")).isInstanceOf(ConditionalFlowTrainingJob.class);
    assertThat(create("cpu/evaluate-inpainting.pbtxt")).isInstanceOf(ImageEvaluationJob.class);
    ExperimentConfig single = ConfigLoader.load(Path.of("configs", "cpu/evaluate-inpainting.pbtxt"));
    assertThat(Jobs.create(single.toBuilder().setImageEvaluationSuite(ImageEvaluationSuiteConfig.newBuilder()
        .addEvaluation(single.getImageEvaluation())).build())).isInstanceOf(ImageEvaluationSuiteJob.class);
    assertThat(create("cpu/ifgsm-sr4.pbtxt")).isInstanceOf(IfgsmEvaluationJob.class);
    assertThat(create("cpu/benchmark-mixed-sizes.pbtxt")).isInstanceOf(BenchmarkFolderJob.class);
  }

  @Test
  void buildsTheInlineCases() {
    Job toy = Jobs.create(ConfigLoader.parse("""
        name: "toy"
        seed: 3
        toy_gan { name: "plain" }
        """, "inline"));
    assertThat(toy).isInstanceOf(ToyGanTrainingJob.class);
    assertThat(toy.config().getSeed()).isEqualTo(3);
    assertThat(toy.stoppable()).isTrue();
    Job evaluation = Jobs.create(ConfigLoader.parse("""
        name: "eval"
        toy_evaluation { model { path: "some/savedmodel" } }
        """, "inline"));
    assertThat(evaluation).isInstanceOf(ToyEvaluationJob.class);
    assertThat(evaluation.stoppable()).isFalse();
  }

  @Test
  void everyCaseIsCoveredBySomeTestAbove() {
    // a new case of oneof job must get its class in Jobs.create and a line in this test
    Set<JobCase> covered = EnumSet.of(JobCase.ANALYTIC, JobCase.TOY_GAN, JobCase.TOY_REPRODUCTION,
        JobCase.TOY_EVALUATION, JobCase.IMAGE_GAN, JobCase.FEATURE_EXTRACTOR, JobCase.IMAGE_EVALUATION,
        JobCase.IMAGE_EVALUATION_SUITE, JobCase.IFGSM_EVALUATION, JobCase.CONDITIONAL_FLOW, JobCase.BENCHMARK_FOLDER,
        JobCase.JOB_NOT_SET);
    assertThat(covered).containsExactlyInAnyOrder(JobCase.values());
  }

  @Test
  void aConfigWithoutAJobIsRefused() {
    assertThatThrownBy(() -> Jobs.create(ExperimentConfig.newBuilder().setName("empty").build()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("empty: the config sets no job (one of analytic, toy_gan,");
  }

  @Test
  void aBadConfigIsRefusedNamingTheFieldBeforeAnyFolderExists() {
    assertThatThrownBy(() -> Jobs.create(ConfigLoader.parse("""
        name: "eval"
        toy_evaluation { }
        """, "inline")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("no model to evaluate: give --model PATH or toy_evaluation.model in the config");
    assertThatThrownBy(() -> Jobs.create(ConfigLoader.parse("""
        name: "toy"
        toy_reproduction { savedmodel_dir: "../outside" }
        """, "inline")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("toy_reproduction.savedmodel_dir = \"../outside\"");
  }
}
