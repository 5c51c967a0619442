package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.CliTest;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.evaluate.ImageClosedFormModels;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.run.Seeds;
import org.restorelab.task.SuperResolution;

/**
 * External stochastic x4 super-resolution SavedModels whose noise is spatial (z [n, 32, 32, 1],
 * as most stochastic SR models have) or comes in two inputs, evaluated by {@code evaluate images}
 * and {@code evaluate ifgsm}, against closed forms:
 * <ul>
 *   <li>x_hat = NN_up4(y) + a z: per-pixel std over z is a times the sample std of N(0, 1) draws,
 *       E[s] = c4(n) for n draws; with a second input b z2 (z2 independent), sqrt(a^2 + b^2) c4(n);
 *   <li>the model is linear in y with G(y + delta, z) - G(y, z) = NN_up4(delta), so |.|^2 =
 *       16 |delta|^2: the attack of Eq. 6 ends on the sphere |delta| = eps, and with the same z on
 *       both sides Eq. 9 gives 10 log10(32*32*3 / (16 eps^2)) = 10 log10(8*8*3 / eps^2), which is also
 *       the AI-PSNR;
 *   <li>consistency: D (4x4 box average) of NN_up4(y) is y, so D(x_hat) - y = a box4(z) ~ N(0, a^2/16)
 *       (one value per position, shared by the channels): PSNR ~ 10 log10(16 / a^2); a = 0 is exactly
 *       consistent (100 dB, the floor);
 *   <li>I-FGSM holds z fixed, so the output moves by NN_up4(x_adv - y): unshaved, on the same
 *       channel, the output PSNR equals the input PSNR.
 * </ul>
 */
class SpatialNoiseModelTest {
  private static final int LOW = 8;
  private static final int SIDE = 32;
  private static final double EPS = 0.2765;
  private static final int STD_SAMPLES = 8;
  /**
   * c4(8) = sqrt(2 / 7) Gamma(4) / Gamma(7/2), with Gamma(4) = 6 and Gamma(7/2) = (5/2)(3/2)(1/2)
   * sqrt(pi): E[s] / sigma for the sample std (n - 1) of 8 normal draws, 0.96503.
   */
  private static final double C4_8 = Math.sqrt(2.0 / 7) * 6 / (2.5 * 1.5 * 0.5 * Math.sqrt(Math.PI));

  private static String imagesConfig(Path features, String models) {
    return """
        name: "spatial"
        image_evaluation {
          data { faces { train_size: 64 validation_size: 48 } image_size: 32 }
          task { super_resolution { scale: 4 } }
        %s
          features { path: "%s" input: "images" output: "features" }
          real_samples: 64 generated_samples: 16 per_input_inputs: 8 std_samples: %d batch_size: 8
          precision_recall { k: 3 }
          attack { epsilon: %s steps: 5 lr: 1 seeds: 2 }
          grid_inputs: 2 grid_samples: 2
        }
        """.formatted(models, features, STD_SAMPLES, EPS);
  }

  private static JsonArray evaluateImages(Path tmp, String models) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    Path config = tmp.resolve("spatial.pbtxt");
    Files.writeString(config, imagesConfig(features, models));
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    return JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("evaluations").get(0).getAsJsonObject().getAsJsonArray("models");
  }

  private static double number(JsonArray models, int i, String field) {
    return models.get(i).getAsJsonObject().get(field).getAsDouble();
  }

  @Test
  void evaluateImagesMeasuresASpatialNoiseUpsamplerAsItsClosedFormSays(@TempDir Path tmp) throws IOException {
    Path model = tmp.resolve("spatial-sr");
    ExternalModels.spatialUpsampler(model, LOW, 4, new long[] {-1, SIDE, SIDE, 1}, 0.01f, null, 0);
    // z's shape comes from the signature ([-1, 32, 32, 1]); no noise.dim, no z_shape
    JsonArray models = evaluateImages(tmp, """
          model { path: "%1$s" name: "Spatial" noise { distribution: NORMAL } }
          model { path: "%1$s" name: "SpatialZ0" noise { distribution: ZERO } }
        """.formatted(model));
    double onSphere = 10 * Math.log10(LOW * LOW * 3 / (EPS * EPS)); // 33.999 dB
    assertThat(models.get(0).getAsJsonObject().get("stochastic").getAsBoolean()).isTrue();
    assertThat(number(models, 0, "pixel_std")).isCloseTo(0.01 * C4_8, within(0.015 * 0.01 * C4_8));
    assertThat(number(models, 0, "robustness_db")).isCloseTo(onSphere, within(0.02));
    assertThat(number(models, 0, "ai_psnr_db")).isCloseTo(onSphere, within(0.02));
    assertThat(number(models, 0, "consistency_db")).isCloseTo(10 * Math.log10(16 / 1e-4), within(1.0)); // 52.04
    // the same model fed z = 0: deterministic and exactly consistent, the same robustness
    assertThat(models.get(1).getAsJsonObject().get("stochastic").getAsBoolean()).isFalse();
    assertThat(number(models, 1, "pixel_std")).isZero();
    assertThat(number(models, 1, "consistency_db")).isCloseTo(100, within(1e-9));
    assertThat(number(models, 1, "robustness_db")).isCloseTo(onSphere, within(0.02));
  }

  @Test
  void twoNoiseInputsAreBothDrawnAndHeldFixedInTheAttack(@TempDir Path tmp) throws IOException {
    Path model = tmp.resolve("two-noise-sr");
    ExternalModels.spatialUpsampler(model, LOW, 4, new long[] {-1, SIDE, SIDE, 1}, 0.01f,
        new long[] {-1, SIDE, SIDE, 3}, 0.02f);
    JsonArray models = evaluateImages(tmp, """
          model { path: "%s" name: "TwoNoise" noise { distribution: NORMAL } extra_noise { input: "z2" } }
        """.formatted(model));
    double sigma = Math.sqrt(0.01 * 0.01 + 0.02 * 0.02); // independent draws add variances
    assertThat(number(models, 0, "pixel_std")).isCloseTo(sigma * C4_8, within(0.015 * sigma * C4_8));
    double onSphere = 10 * Math.log10(LOW * LOW * 3 / (EPS * EPS));
    assertThat(number(models, 0, "robustness_db")).isCloseTo(onSphere, within(0.02));
  }

  @Test
  void evaluateIfgsmHoldsTheSpatialNoiseFixed(@TempDir Path tmp) throws IOException {
    Path model = tmp.resolve("spatial-sr");
    ExternalModels.spatialUpsampler(model, LOW, 4, new long[] {-1, SIDE, SIDE, 1}, 0.01f, null, 0);
    Path config = tmp.resolve("ifgsm.pbtxt");
    Files.writeString(config, """
        name: "ifgsm-spatial"
        ifgsm_evaluation {
          data { faces { train_size: 16 validation_size: 8 } image_size: 32 }
          task { super_resolution { scale: 4 } }
          model { path: "%s" name: "Spatial" noise { distribution: NORMAL } }
          ifgsm { alpha_255: [2, 8] steps: 10 z_draws: 2 output_psnr { channel: Y shave: 0 peak: 255 }
                  input_psnr { channel: Y shave: 0 peak: 255 } }
          inputs: 4 batch_size: 2
        }
        """.formatted(model));
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonObject m = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("models").get(0).getAsJsonObject();
    for (int a = 0; a < 2; a++) {
      double in = m.getAsJsonArray("input_psnr_db").get(a).getAsDouble();
      double outPsnr = m.getAsJsonArray("output_psnr_db").get(a).getAsDouble();
      // z differing between the two terms would add 2 (0.01 * 255 * 0.86)^2 to the output MSE: > 10 dB lower
      assertThat(outPsnr).isCloseTo(in, within(0.01));
      assertThat(in).isBetween(30.0, 70.0);
    }
  }

  private static SavedModelConfig.Builder config(Path dir) {
    return SavedModelConfig.newBuilder().setPath(dir.toString()).setName("m")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.NORMAL));
  }

  @Test
  void unknownSpatialDimsNeedZShapeAndAWrongShapeIsRefusedBeforeAnyRun(@TempDir Path tmp) throws IOException {
    SuperResolution task = new SuperResolution(SIDE, SIDE, 4);
    Path open = tmp.resolve("open-dims");
    ExternalModels.spatialUpsampler(open, LOW, 4, new long[] {-1, -1, -1, 1}, 0.01f, null, 0);
    assertThatThrownBy(() -> LoadedEstimator.load(config(open).build(), task)).isInstanceOf(ConfigException.class)
        .hasMessage("SavedModel " + open + ": input 'z' has shape [-1, -1, -1, 1] with unknown non-batch dims: give its"
            + " per-example shape in model.z_shape (e.g. [64, 64, 1])");
    try (LoadedEstimator m = LoadedEstimator.load(config(open).addAllZShape(java.util.List.of(32L, 32L, 1L))
        .build(), task)) {
      assertThat(m.noiseDim()).isEqualTo(SIDE * SIDE);
      // y = 0: x_hat = 0.01 z, each z value copied to the three channels
      float[] z = m.drawZ(2, new SplittableRandom(5));
      float[] x = m.run(new float[2 * LOW * LOW * 3], z, 2).images();
      for (int p = 0; p < 2 * SIDE * SIDE; p++) {
        for (int c = 0; c < 3; c++) {
          assertThat(x[p * 3 + c]).isCloseTo(0.01f * z[p], within(1e-7f));
        }
      }
    }
    Path fixed = tmp.resolve("fixed-dims");
    ExternalModels.spatialUpsampler(fixed, LOW, 4, new long[] {-1, SIDE, SIDE, 1}, 0.01f, null, 0);
    assertThatThrownBy(() -> LoadedEstimator.load(config(fixed).addAllZShape(java.util.List.of(16L, 16L, 1L))
        .build(), task)).isInstanceOf(ConfigException.class)
        .hasMessage("SavedModel " + fixed + ": input 'z' takes [-1, 32, 32, 1], which model.z_shape = [16, 16, 1] does"
            + " not fit");
    assertThatThrownBy(() -> LoadedEstimator.load(config(fixed).setNoise(NoiseConfig.newBuilder()
        .setDistribution(NoiseConfig.Distribution.NORMAL).setDim(5)).build(), task)).isInstanceOf(ConfigException.class)
        .hasMessage("SavedModel " + fixed + ": input 'z' takes [-1, 32, 32, 1] (1024 values per example), but the noise"
            + " dim is 5 (model.noise.dim, or the model's restorelab.json)");
    // a second noise input the config does not declare is named instead of failing inside TensorFlow
    Path two = tmp.resolve("two");
    ExternalModels.spatialUpsampler(two, LOW, 4, new long[] {-1, SIDE, SIDE, 1}, 0.01f, new long[] {-1, 1, 1, 3}, 0.02f);
    assertThatThrownBy(() -> LoadedEstimator.load(config(two).build(), task)).isInstanceOf(ConfigException.class)
        .hasMessage("SavedModel " + two + ", signature serving_default: input(s) z2 would not be fed; declare a noise"
            + " input in model.extra_noise { input: \"z2\" } (or as model.input_z)");
    // a fed batch whose noise does not fit is refused before the session runs (TF would abort the JVM)
    try (LoadedEstimator m = LoadedEstimator.load(config(fixed).build(), task)) {
      assertThatThrownBy(() -> m.run(new float[2 * LOW * LOW * 3], new float[SIDE * SIDE], 2))
          .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1024 noise values for 2 rows of 1024");
    }
  }

  @Test
  void aModelWithOneFlatZKeepsItsDrawsSoExistingNumbersDoNotChange(@TempDir Path tmp) throws IOException {
    Path dir = tmp.resolve("flat");
    int pixels = SIDE * SIDE * 3;
    ImageClosedFormModels.affine(dir, SIDE, 4, 1f, 0f, 0.1f);
    SavedModelConfig c = SavedModelConfig.newBuilder().setPath(dir.toString()).setSignature("restore")
        .setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.NORMAL).setDim(pixels)).build();
    try (LoadedEstimator m = LoadedEstimator.load(c, new SuperResolution(SIDE, SIDE, 4))) {
      assertThat(m.noiseDim()).isEqualTo(pixels);
      // the [rows, dim] draw of before: one value after another from the caller's stream
      assertThat(m.drawZ(3, Seeds.random(7, "evaluate/std-z/batch-0"))).containsExactly(ToyEvaluation.drawZ(
          NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.NORMAL).setDim(pixels).build(), 3,
          Seeds.random(7, "evaluate/std-z/batch-0")));
    }
  }
}
