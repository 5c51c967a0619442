package org.restorelab.evaluate.posterior;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.InpaintingConfig;
import org.restorelab.config.PosteriorMetricsConfig;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.config.TaskConfig;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.evaluate.MeasurementGraph;
import org.restorelab.task.Tasks;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.metric.PosteriorMetricsTest;

/**
 * The known posterior of faces with fixed factors (data.faces.fixed): hair_style, eye_color and
 * brows fixed leave hair_color x glasses, 6 * 4 = 24 uniform modes; the exact sampler draws only
 * those and keeps the fixed ones; its posterior metrics against itself cover the 24 modes.
 */
class FixedFactorsPosteriorTest {
  private static final int SIDE = 32;

  private static ProceduralFacesConfig.FixedFactor fix(String factor, String value) {
    return ProceduralFacesConfig.FixedFactor.newBuilder().setFactor(factor).setValue(value).build();
  }

  private static ImageEvaluationConfig config(int validation, ProceduralFacesConfig.FixedFactor... fixed) {
    return ImageEvaluationConfig.newBuilder()
        .setData(ImageDataConfig.newBuilder().setImageSize(SIDE)
            .setFaces(ProceduralFacesConfig.newBuilder().setTrainSize(8).setValidationSize(validation)
                .addAllFixed(List.of(fixed))))
        .setTask(TaskConfig.newBuilder().setInpainting(InpaintingConfig.newBuilder().setMaskedFraction(0.75)))
        .setPosterior(PosteriorMetricsConfig.newBuilder().setInputs(validation).setSamples(32)
            .setClassifier(FeatureExtractorModelConfig.newBuilder().setPath("savedmodels/cpu/faces-features")))
        .build();
  }

  private static final ProceduralFacesConfig.FixedFactor[] FIXED24 = {
    fix("hair_style", "short"), fix("eye_color", "blue"), fix("brows", "thick")};

  @Test
  void fixingHairStyleEyeColourAndBrowsLeavesHairColourTimesGlassesTwentyFourModes() {
    KnownPosterior p = KnownPosterior.of(config(8, FIXED24));
    assertThat(p.names()).containsExactly("hair_color", "glasses");
    assertThat(p.cardinalities()).containsExactly(6, 4);
    assertThat(p.modes()).isEqualTo(24);
    assertThat(p.fixed()).containsExactly(Map.entry("hair_style", "short"), Map.entry("eye_color", "blue"),
        Map.entry("brows", "thick"));
    // a fixed visible factor changes nothing hidden; without fixing, the five hidden factors
    assertThat(KnownPosterior.of(config(8, fix("mouth", "smile"))).modes()).isEqualTo(1440);
    assertThat(KnownPosterior.of(config(8)).fixed()).isEmpty();
    // an explicit hidden_factor list among the free ones
    ImageEvaluationConfig c = config(8, FIXED24);
    ImageEvaluationConfig glasses = c.toBuilder().setPosterior(c.getPosterior().toBuilder().addHiddenFactor("glasses"))
        .build();
    assertThat(KnownPosterior.of(glasses).modes()).isEqualTo(4);
  }

  @Test
  void aFixedHiddenFactorIsNotMeasuredAndABadNameIsTheDataBlocksError() {
    ImageEvaluationConfig c = config(8, FIXED24);
    ImageEvaluationConfig brows = c.toBuilder().setPosterior(c.getPosterior().toBuilder().addHiddenFactor("brows"))
        .build();
    assertThatThrownBy(() -> KnownPosterior.of(brows)).isInstanceOf(ConfigException.class).hasMessage(
        "image_evaluation.posterior.hidden_factor 'brows' is fixed by image_evaluation.data.faces.fixed (brows = thick),"
            + " so its posterior is that one value, not uniform; free hidden factors: hair_color, glasses");
    ImageEvaluationConfig all = config(8, fix("hair_style", "short"), fix("hair_color", "red"), fix("eye_color", "blue"),
        fix("glasses", "none"), fix("brows", "thin"));
    assertThatThrownBy(() -> KnownPosterior.of(all)).isInstanceOf(ConfigException.class).hasMessageStartingWith(
        "image_evaluation.posterior: image_evaluation.data.faces.fixed fixes every hidden factor");
    assertThatThrownBy(() -> KnownPosterior.of(config(8, fix("glasses", "monocle")))).isInstanceOf(ConfigException.class)
        .hasMessage("image_evaluation.data.faces.fixed[0].value: \"monocle\" is not a value of glasses (expected one of"
            + " none, round, square, sunglasses)");
  }

  @Test
  void theExactSamplerDrawsTheFreeHiddenFactorsUniformlyAndKeepsTheFixedAndVisibleOnes() {
    ImageEvaluationConfig c = config(64, FIXED24);
    KnownPosterior posterior = KnownPosterior.of(c);
    ProceduralFaces validation = (ProceduralFaces) ImageSets.open(c.getData(), Split.VALIDATION, 4);
    try (MeasurementGraph measurements = new MeasurementGraph(Tasks.create(c.getTask(), SIDE, "task"))) {
      ExactPosteriorSampler exact = new ExactPosteriorSampler(validation, posterior, measurements);
      int rows = 4800; // 200 per mode
      float[] z = exact.drawZ(rows, new SplittableRandom(9));
      assertThat(z).hasSize(rows * 2); // only the free hidden factors are drawn
      int[] counts = new int[24];
      int[] fixed = validation.fixedCodes();
      List<String> visible = ProceduralFaces.bottomQuarterFactors();
      for (int r = 0; r < rows; r++) {
        int input = r % validation.size();
        int[] drawn = exact.factors(input, z, r).codes();
        int[] own = validation.factors(input).codes();
        for (int j = 0; j < drawn.length; j++) {
          if (fixed[j] != ProceduralFaces.FREE) {
            assertThat(drawn[j]).isEqualTo(fixed[j]);
          }
          if (visible.contains(ProceduralFaces.factorNames().get(j))) {
            assertThat(drawn[j]).isEqualTo(own[j]);
          }
        }
        counts[drawn[1] * 4 + drawn[3]]++; // hair_color x glasses
      }
      // chi-square with 23 degrees of freedom: P(> 49.7) = 0.001
      double chi2 = 0;
      for (int k : counts) {
        chi2 += Math.pow(k - rows / 24.0, 2) / (rows / 24.0);
      }
      assertThat(chi2).isLessThan(49.7);
      // what it renders is those factors
      float[] y = measurements.degrade(new float[2 * validation.pixels()], 2);
      float[] images = exact.sample(5, y, z, 2).images();
      for (int r = 0; r < 2; r++) {
        assertThat(java.util.Arrays.copyOfRange(images, r * validation.pixels(), (r + 1) * validation.pixels()))
            .containsExactly(ProceduralFaces.render(exact.factors(5 + r, z, r), SIDE));
      }
      // faces that do not fix these factors have another posterior: refused
      ProceduralFaces unfixed = (ProceduralFaces) ImageSets.open(config(64).getData(), Split.VALIDATION, 4);
      assertThatThrownBy(() -> new ExactPosteriorSampler(unfixed, posterior, measurements))
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("the exact posterior sampler's validation faces fix no factor, the posterior is that of faces"
              + " fixing hair_style = short, eye_color = blue, brows = thick");
      assertThatThrownBy(() -> new PosteriorEvaluation(posterior, null, unfixed, measurements, 8, 8, 8, 1, 0))
          .isInstanceOf(IllegalArgumentException.class).hasMessageStartingWith("the posterior metrics' validation faces");
    }
  }

  @Test
  void theClassifierReadsEachOfTheTwentyFourModesOfTheShippedVariant() {
    ImageEvaluationConfig c = config(16, FIXED24);
    KnownPosterior posterior = KnownPosterior.of(c);
    ProceduralFaces validation = (ProceduralFaces) ImageSets.open(c.getData(), Split.VALIDATION, 6);
    int pixels = validation.pixels();
    float[] images = new float[16 * 24 * pixels];
    int[][] truth = new int[16 * 24][];
    for (int i = 0; i < 16; i++) {
      for (int k = 0; k < 24; k++) {
        int[] hidden = {k / 4, k % 4}; // hair_color, glasses
        truth[i * 24 + k] = hidden;
        ProceduralFaces.render(posterior.withHidden(validation.factors(i), hidden), SIDE, images, (i * 24 + k) * pixels);
      }
    }
    try (HiddenFactorClassifier classifier = HiddenFactorClassifier.load(c.getPosterior().getClassifier(), posterior,
        SIDE)) {
      int[][] read = classifier.classify(images, 16 * 24, SIDE, SIDE);
      for (int r = 0; r < read.length; r++) {
        assertThat(read[r]).as("input %d, mode %d", r / 24, r % 24).containsExactly(truth[r]);
      }
    }
  }

  @Test
  void theExactSamplerAgainstItselfCoversTheTwentyFourModes(@TempDir Path tmp) throws IOException {
    int m = 32;
    int n = 32;
    ImageEvaluationConfig c = config(m, FIXED24);
    KnownPosterior posterior = KnownPosterior.of(c);
    ProceduralFaces validation = (ProceduralFaces) ImageSets.open(c.getData(), Split.VALIDATION, 3);
    try (MeasurementGraph measurements = new MeasurementGraph(Tasks.create(c.getTask(), SIDE, "task"));
        HiddenFactorClassifier classifier = HiddenFactorClassifier.load(c.getPosterior().getClassifier(), posterior,
            SIDE)) {
      ExactPosteriorSampler exact = new ExactPosteriorSampler(validation, posterior, measurements);
      PosteriorEvaluation evaluation = new PosteriorEvaluation(posterior, classifier, validation, measurements, m, n,
          16, 100, 3);
      PosteriorEvaluation.Outcome model = evaluation.evaluate(exact, "test/model-z", tmp, "exact", () -> false);
      PosteriorMetrics.Result floor = evaluation.evaluate(exact, "test/floor-z", tmp, "floor", () -> false).metrics();
      PosteriorMetrics.Result r = model.metrics();
      assertThat(model.codes()[0][0]).hasSize(2);
      // E[distinct of 24 among 32] = 24 (1 - (23/24)^32) = 17.85; hair colour and glasses are read at >= 99.9%
      assertThat(PosteriorMetrics.expectedDistinct(posterior.modes(), n)).isCloseTo(17.85, within(0.01));
      assertThat(r.coverage()).isCloseTo(1, within(3 * r.coverageStdError() + 0.01));
      assertThat(floor.coverage()).isCloseTo(1, within(3 * floor.coverageStdError() + 0.01));
      assertThat(r.collapseRate()).isZero();
      for (int f = 0; f < 2; f++) {
        assertThat(r.factorTv()[f]).as(posterior.names().get(f)).isCloseTo(
            PosteriorMetricsTest.expectedUniformTv(posterior.cardinalities()[f], n), within(3 * r.factorTvStdError()[f]));
      }
    }
  }
}
