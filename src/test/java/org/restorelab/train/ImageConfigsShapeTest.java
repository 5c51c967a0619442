package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.data.image.BatchLoader;
import org.tensorflow.Session;

/**
 * Every image GAN config under configs/ (paper scale and CPU scale) builds its training graph at the
 * configured shapes (image size, widths s and f, task and scale factor, noise; TF checks shapes
 * as the graph is built), and the StoRobustGAN config of each task, whose graph holds every path
 * (noise, attack, L_R), runs one robust training step and one plain step on random images. This
 * catches shape bugs without the data sets. To keep the suite short the step uses a batch of 2,
 * one attack step and 2 z draws: none of them changes a shape of the networks.
 */
class ImageConfigsShapeTest {

  static Stream<Path> configs() throws IOException {
    List<Path> all = new java.util.ArrayList<>();
    for (String dir : List.of("configs/celeba", "configs/imagenet", "configs/cpu")) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        files.filter(p -> p.toString().endsWith(".pbtxt")).sorted()
            .filter(p -> ConfigLoader.load(p).getJobCase() == ExperimentConfig.JobCase.IMAGE_GAN).forEach(all::add);
      }
    }
    return all.stream();
  }

  @org.junit.jupiter.api.Test
  void thePaperHasAConfigForEveryImageExperiment() throws IOException {
    // CelebA: inpainting, x4, x8, x16; ImageNet: x4, x8, x16; 4 variants each
    assertThat(configs().filter(p -> !p.toString().contains("/cpu/")).count()).isEqualTo(28);
    for (Path p : configs().toList()) {
      ImageGanConfig c = ConfigLoader.load(p).getImageGan();
      ImageGanValidation.validate(c, p.toString());
      boolean celeba = p.toString().contains("/celeba/");
      boolean imagenet = p.toString().contains("/imagenet/");
      if (celeba || imagenet) {
        assertThat(c.getData().getImageSize()).isEqualTo(64);
        assertThat(c.getEstimator().getWidth()).isEqualTo(celeba ? 24 : 32);
        assertThat(c.getCritic().getWidth()).isEqualTo(celeba ? 16 : 32);
        assertThat(c.getSteps()).isEqualTo(1_200_000);
        assertThat(c.getEstimatorOptimizer().getMilestonesList()).containsExactly(400_000L, 500_000L, 600_000L,
            700_000L, 750_000L);
        assertThat(c.getR1Gamma()).isEqualTo(1);
        assertThat(c.getRobustness().getApplyEvery()).isEqualTo(3);
        assertThat(c.getRobustness().getAttack().getSteps()).isEqualTo(5);
        assertThat(c.getRobustness().getAttack().getLr()).isEqualTo(1);
        assertThat(c.getRobustness().getAttack().getSeeds()).isEqualTo(10);
        double eps = c.getRobustness().getAttack().getEpsilon();
        double n = c.getTask().hasInpainting() ? 64 * 64 * 3
            : Math.pow(64.0 / c.getTask().getSuperResolution().getScale(), 2) * 3;
        // the adversarial input PSNR of the paper: 32.9 dB inpainting, 34 dB super-resolution
        assertThat(10 * Math.log10(n / (eps * eps))).isCloseTo(c.getTask().hasInpainting() ? 32.9 : 34.0,
            org.assertj.core.data.Offset.offset(0.05));
      }
    }
  }

  @org.junit.jupiter.api.Test
  void theL1BaselineSharesTheSr4GansDataTaskWidthScheduleAndEstimatorOptimizer() {
    ImageGanConfig l1 = ConfigLoader.load(Path.of("configs/cpu/sr4-L1UNet.pbtxt")).getImageGan();
    ImageGanConfig gan = ConfigLoader.load(Path.of("configs/cpu/sr4-ErraticGAN.pbtxt")).getImageGan();
    ImageGanValidation.validate(l1, "image_gan");
    assertThat(l1.getObjective()).isEqualTo(ImageGanConfig.Objective.L1);
    assertThat(l1.getNoise().getDistribution()).isEqualTo(NoiseConfig.Distribution.ZERO);
    assertThat(l1.hasRobustness() || l1.hasCritic() || l1.hasCriticOptimizer() || l1.hasR1Gamma()).isFalse();
    assertThat(l1.getData()).isEqualTo(gan.getData());
    assertThat(l1.getTask()).isEqualTo(gan.getTask());
    assertThat(l1.getEstimator()).isEqualTo(gan.getEstimator());
    assertThat(l1.getEstimatorOptimizer()).isEqualTo(gan.getEstimatorOptimizer());
    assertThat(l1.getSteps()).isEqualTo(2000).isEqualTo(gan.getSteps());
    assertThat(l1.getBatchSize()).isEqualTo(gan.getBatchSize());
  }

  @ParameterizedTest
  @MethodSource("configs")
  void buildsAtTheConfiguredShapesAndRunsTheFullStep(Path file) throws Exception {
    ExperimentConfig experiment = ConfigLoader.load(file);
    ImageGanConfig.Builder b = experiment.getImageGan().toBuilder().setBatchSize(2);
    if (b.getRobustness().getLambdaR() > 0) {
      b.getRobustnessBuilder().getAttackBuilder().setSteps(1).setSeeds(2);
    }
    ImageGanConfig c = b.build();
    int side = c.getData().getImageSize();
    float[] images = BatchLoader.readAll(new RandomImages(2, side, 5), IntStream.range(0, 2).toArray());
    try (GanGraph g = GanGraph.images(c, 1); Session s = new Session(g.graph)) {
      assertThat(g.estimator().noiseSize()).isEqualTo(side * side + side * side / 4 + side * side / 16 + side * side / 64);
      if (c.getObjective() == ImageGanConfig.Objective.L1) { // the U-Net alone: one L1 step
        g.variables.initialize(s);
        double[] l1 = GanTrainer.images(c, 1, Path.of("unused")).iteration(g, s, images, null, 0, null);
        assertThat(l1).hasSize(GanTrainer.L1_METRICS.size());
        assertThat(l1[0]).isPositive().isFinite();
        assertThat(g.critic()).isNull();
        return;
      }
      if (!c.getName().equals("StoRobustGAN")) {
        return;
      }
      g.variables.initialize(s);
      GanTrainer.images(c, 1, Path.of("unused")).iteration(g, s, images, images, 1, null);
      double[] losses = GanTrainer.images(c, 1, Path.of("unused")).iteration(g, s, images, images, 0, null);
      for (double v : losses) {
        assertThat(v).isFinite();
      }
      assertThat(losses[1] > 0).isEqualTo(c.getRobustness().getLambdaR() > 0);
      assertThat(c.getNoise().getDistribution() != NoiseConfig.Distribution.ZERO)
          .isEqualTo(c.getName().startsWith("Sto"));
    }
  }
}
