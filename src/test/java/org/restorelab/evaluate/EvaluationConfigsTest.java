package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;
import org.restorelab.evaluate.images.ImageEvaluationRun;

/**
 * The shipped evaluation configs: the paper's settings (SPEC section 4), and the full-scale ones
 * wired end to end at their shapes (64x64 images, 299x299 feature input in [-1, 1]) with
 * closed-form stand-ins for the trained models, Inception and the data.
 */
class EvaluationConfigsTest {
  private static final List<String> PAPER = List.of("celeba/evaluate-inpainting.pbtxt",
      "celeba/evaluate-super-resolution.pbtxt", "imagenet/evaluate-super-resolution.pbtxt");

  private static List<ImageEvaluationConfig> evaluations(String file) {
    ExperimentConfig c = ConfigLoader.load(Path.of("configs", file));
    return c.hasImageEvaluation() ? List.of(c.getImageEvaluation()) : c.getImageEvaluationSuite().getEvaluationList();
  }

  @Test
  void paperConfigsCarryThePapersSettings() {
    int evaluations = 0;
    for (String file : PAPER) {
      for (ImageEvaluationConfig e : evaluations(file)) {
        evaluations++;
        RestorationTask task = Tasks.create(e.getTask(), e.getData().getImageSize(), "task");
        double aiPsnr = 10 * Math.log10(task.measurementSize() / Math.pow(e.getAttack().getEpsilon(), 2));
        assertThat(aiPsnr).as(file + " " + task.name()).isCloseTo(task.name().equals("inpainting") ? 32.93 : 34.0,
            within(0.02));
        assertThat(e.getRealSamples()).isEqualTo(50000);
        assertThat(e.getGeneratedSamples()).isEqualTo(50000);
        assertThat(e.getPrecisionRecall().getK()).isEqualTo(3);
        assertThat(e.getStdSamples()).isEqualTo(32);
        assertThat(e.getAttack().getSteps()).isEqualTo(5);
        assertThat(e.getAttack().getLr()).isEqualTo(1);
        assertThat(e.getAttack().getSeeds()).isEqualTo(10);
        assertThat(e.getFeatures().getInputSize()).isEqualTo(299);
        assertThat(e.getModelList()).extracting(SavedModelConfig::getName)
            .containsExactly("StoErraticGAN", "StoRobustGAN", "ErraticGAN", "RobustGAN");
      }
    }
    assertThat(evaluations).isEqualTo(7); // CelebA inpainting + x4, x8, x16 on CelebA and ImageNet
  }

  @Test
  void paperConfigsRunEndToEndAtTheirShapes(@TempDir Path tmp) throws IOException {
    Path inception = tmp.resolve("inception-stand-in");
    ImageClosedFormModels.poolingFeatures(inception, 299, 23, true); // 299x299x3 -> 13x13x3
    for (String file : PAPER) {
      for (ImageEvaluationConfig e : evaluations(file)) {
        RestorationTask task = Tasks.create(e.getTask(), 64, "task");
        int scale = e.getTask().hasSuperResolution() ? e.getTask().getSuperResolution().getScale() : 1;
        Path model = tmp.resolve(task.name() + "-model");
        ImageClosedFormModels.affine(model, 64, scale, 1f, 0f, 0.01f);
        ImageEvaluationConfig.Builder small = e.toBuilder()
            .setData(ImageDataConfig.newBuilder().setImageSize(64)
                .setFaces(ProceduralFacesConfig.newBuilder().setTrainSize(8).setValidationSize(8)))
            .setFeatures(e.getFeatures().toBuilder().setPath(inception.toString()).setInput("images")
                .setOutput("features").setBatchSize(4))
            .setRealSamples(8).setGeneratedSamples(8).setPerInputInputs(2).setStdSamples(2).setBatchSize(2)
            .setGridInputs(1).clearModel()
            .addModel(SavedModelConfig.newBuilder().setPath(model.toString()).setName("StoRobustGAN")
                .setSignature("restore").setInputY("measurement").setInputZ("latent").setOutput("image")
                .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.NORMAL).setDim(64 * 64 * 3)));
        small.getAttackBuilder().setSeeds(2);
        Path run = tmp.resolve(file.replace('/', '-') + "-" + task.name());
        var outcome = ImageEvaluationRun.run(small.build(), 0, run, run.resolve("grid.png"), () -> false,
            new PrintWriter(new StringWriter()));
        var r = outcome.results().get(0);
        // the identity-plus-noise stand-in reaches the sphere: robustness = AI-PSNR = the paper's
        assertThat(r.aiPsnr()).as(file + " " + task.name())
            .isCloseTo(10 * Math.log10(task.measurementSize() / Math.pow(e.getAttack().getEpsilon(), 2)), within(1e-2));
        assertThat(r.robustness()).isCloseTo(r.aiPsnr(), within(1e-2));
        assertThat(r.consistency()).isGreaterThan(20);
        assertThat(r.pixelStd()).isGreaterThan(0.005);
        assertThat(r.fid()).isFinite();
      }
    }
  }

  @Test
  void thePosteriorBlockIsOnlyOnTheCpuInpaintingEvaluationAndRefusedOnCeleba() {
    ImageEvaluationConfig cpu = evaluations("cpu/evaluate-inpainting.pbtxt").get(0);
    assertThat(cpu.getPosterior().getInputs()).isEqualTo(256);
    assertThat(cpu.getPosterior().getSamples()).isEqualTo(32);
    assertThat(cpu.getPosterior().getClassifier().getPath()).isEqualTo("savedmodels/cpu/faces-features");
    assertThat(org.restorelab.evaluate.posterior.KnownPosterior.of(cpu).modes()).isEqualTo(1440);
    for (String file : PAPER) {
      evaluations(file).forEach(e -> assertThat(e.hasPosterior()).as(file).isFalse());
    }
    ImageEvaluationConfig celeba = evaluations("celeba/evaluate-inpainting.pbtxt").get(0).toBuilder()
        .setPosterior(cpu.getPosterior()).build();
    assertThatThrownBy(() -> ImageEvaluationRun.validate(celeba)).isInstanceOf(ConfigException.class)
        .hasMessage("image_evaluation.posterior: data set 'celeba' has no known posterior (only the procedural faces,"
            + " data { faces { } }, have one); remove the posterior block");
  }

  @Test
  void theTwentyFourModeEvaluationEvaluatesTheDataItsModelsTrainOnWithTheirPosterior() {
    ImageEvaluationConfig e = evaluations("cpu/evaluate-inpainting24.pbtxt").get(0);
    org.restorelab.evaluate.posterior.KnownPosterior known = org.restorelab.evaluate.posterior.KnownPosterior.of(e);
    assertThat(known.names()).containsExactly("hair_color", "glasses");
    assertThat(known.modes()).isEqualTo(24);
    assertThat(known.fixed()).containsOnlyKeys("hair_style", "eye_color", "brows");
    for (SavedModelConfig m : e.getModelList()) {
      ExperimentConfig train = ConfigLoader.load(Path.of("configs/cpu/inpainting24-" + m.getName() + ".pbtxt"));
      assertThat(train.getImageGan().getData()).as(m.getName()).isEqualTo(e.getData());
      assertThat(train.getImageGan().getTask()).isEqualTo(e.getTask());
      assertThat(m.getPath()).isEqualTo("savedmodels/cpu/inpainting24-" + m.getName());
    }
    // the 1,440-mode pair differs only in the fixed factors
    ImageEvaluationConfig full = evaluations("cpu/evaluate-inpainting.pbtxt").get(0);
    assertThat(e.getData().toBuilder().setFaces(e.getData().getFaces().toBuilder().clearFixed()).build())
        .isEqualTo(full.getData());
    assertThat(e.getPosterior()).isEqualTo(full.getPosterior());
  }

  @Test
  void thePosteriorBlockNamesWhatItRefuses() {
    ImageEvaluationConfig cpu = evaluations("cpu/evaluate-inpainting.pbtxt").get(0);
    ImageEvaluationConfig visible = cpu.toBuilder().setPosterior(cpu.getPosterior().toBuilder()
        .addHiddenFactor("hair_color").addHiddenFactor("mouth")).build();
    assertThatThrownBy(() -> org.restorelab.evaluate.posterior.KnownPosterior.of(visible))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith(
            "image_evaluation.posterior.hidden_factor 'mouth' shows in the visible bottom quarter");
    ImageEvaluationConfig sr = evaluations("cpu/evaluate-sr4.pbtxt").get(0).toBuilder()
        .setPosterior(cpu.getPosterior()).build();
    assertThatThrownBy(() -> org.restorelab.evaluate.posterior.KnownPosterior.of(sr))
        .isInstanceOf(ConfigException.class).hasMessageContaining("task sr4 has no known posterior");
    ImageEvaluationConfig zero = cpu.toBuilder().setPosterior(cpu.getPosterior().toBuilder().setSamples(0)).build();
    assertThatThrownBy(() -> org.restorelab.evaluate.posterior.KnownPosterior.of(zero))
        .isInstanceOf(ConfigException.class).hasMessage("image_evaluation.posterior.samples must be >= 1, got 0");
    ImageEvaluationConfig one = cpu.toBuilder().setPosterior(cpu.getPosterior().toBuilder()
        .addHiddenFactor("hair_color")).build();
    assertThat(org.restorelab.evaluate.posterior.KnownPosterior.of(one).modes()).isEqualTo(6);
  }
}
