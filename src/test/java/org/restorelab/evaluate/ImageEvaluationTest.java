package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.InpaintingConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.SuperResolutionConfig;
import org.restorelab.config.TaskConfig;
import org.restorelab.evaluate.images.ImageEvaluationRun;

/**
 * The image harness on SavedModels built by a separate code path, whose robustness (Eq. 9),
 * AI-PSNR, consistency and per-pixel std are known in closed form; interruption and resume; and
 * the errors a new user meets.
 */
class ImageEvaluationTest {
  private static final int SIDE = 32;

  private static ImageEvaluationConfig.Builder config(Path features, TaskConfig task, double epsilon) {
    return ImageEvaluationConfig.newBuilder()
        .setData(ImageDataConfig.newBuilder().setImageSize(SIDE)
            .setFaces(ProceduralFacesConfig.newBuilder().setTrainSize(96).setValidationSize(64)))
        .setTask(task)
        .setFeatures(FeatureExtractorModelConfig.newBuilder().setPath(features.toString()).setInput("images")
            .setOutput("features").setBatchSize(40))
        .setRealSamples(96).setGeneratedSamples(64)
        .setPrecisionRecall(PrecisionRecallConfig.newBuilder().setK(3))
        .setPerInputInputs(16).setStdSamples(32).setBatchSize(8).setSaveEvery(1)
        .setAttack(AttackConfig.newBuilder().setEpsilon(epsilon).setSteps(5).setLr(1).setSeeds(3).setInitScale(0.01))
        .setGridInputs(2).setGridSamples(2);
  }

  private static SavedModelConfig model(Path dir, String name, NoiseConfig.Distribution noise, int dim) {
    return SavedModelConfig.newBuilder().setPath(dir.toString()).setName(name).setSignature("restore")
        .setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(noise).setDim(dim)).build();
  }

  private static TaskConfig inpainting() {
    return TaskConfig.newBuilder().setInpainting(InpaintingConfig.newBuilder().setMaskedFraction(0.75)).build();
  }

  private static ImageEvaluationRun.Outcome run(ImageEvaluationConfig c, Path dir, java.util.function.BooleanSupplier stop)
      throws IOException {
    return ImageEvaluationRun.run(c, 7, dir, dir.resolve("grid.png"), stop, new PrintWriter(new StringWriter()));
  }

  /** E[s] / sigma for the sample standard deviation (n - 1) of n normal draws. */
  private static double c4(int n) {
    double ratio = 1; // Gamma(n/2) / Gamma((n-1)/2) by the recursion Gamma(x+1) = x Gamma(x), n even
    double half = Math.sqrt(Math.PI);
    double g1 = 1; // Gamma(n/2) = (n/2 - 1)!
    for (int k = 1; k < n / 2; k++) {
      g1 *= k;
    }
    double g2 = half; // Gamma((n-1)/2) = Gamma(1/2) * prod (1/2 .. (n-3)/2)
    for (double x = 0.5; x < (n - 1) / 2.0 - 0.25; x += 1) {
      g2 *= x;
    }
    ratio = g1 / g2;
    return Math.sqrt(2.0 / (n - 1)) * ratio;
  }

  @Test
  void inpaintingMetricsOfClosedFormModelsMatchTheirFormulas(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    int pixels = SIDE * SIDE * 3;
    ImageClosedFormModels.affine(tmp.resolve("identity"), SIDE, 1, 1f, 0f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("double"), SIDE, 1, 2f, 0f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("shifted"), SIDE, 1, 1f, 0.1f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("noisy"), SIDE, 1, 1f, 0f, 0.1f);
    double eps = 1.25;
    ImageEvaluationConfig c = config(features, inpainting(), eps)
        .addModel(model(tmp.resolve("identity"), "identity", NoiseConfig.Distribution.ZERO, pixels))
        .addModel(model(tmp.resolve("double"), "double", NoiseConfig.Distribution.ZERO, pixels))
        .addModel(model(tmp.resolve("shifted"), "shifted", NoiseConfig.Distribution.ZERO, pixels))
        .addModel(model(tmp.resolve("noisy"), "noisy", NoiseConfig.Distribution.NORMAL, pixels)).build();
    ImageEvaluationRun.Outcome o = run(c, tmp.resolve("run"), () -> false);
    assertThat(o.finished()).isTrue();
    // The attack on the identity maximises |delta|^2, so it ends on the sphere |delta| = eps:
    // PSNR(y + delta, y) = 10 log10(n / eps^2) (32.94 dB for 32x32x3, the paper's 32.9 at 64x64 with eps 2.5)
    double onSphere = 10 * Math.log10(pixels / (eps * eps));
    var identity = o.results().get(0);
    assertThat(identity.aiPsnr()).isCloseTo(onSphere, within(1e-3));
    assertThat(identity.robustness()).isCloseTo(onSphere, within(1e-3));
    assertThat(identity.consistency()).isCloseTo(100, within(1e-9)); // D(y) = y exactly: the 1e-10 floor
    assertThat(identity.pixelStd()).isZero();
    assertThat(identity.stochastic()).isFalse();
    // x_hat = 2y: output differences are 2 delta, 20 log10(2) dB below
    assertThat(o.results().get(1).robustness()).isCloseTo(onSphere - 20 * Math.log10(2), within(1e-3));
    // x_hat = y + 0.1: D(x_hat) - y is 0.1 on the visible quarter and 0 on the masked rows
    assertThat(o.results().get(2).consistency()).isCloseTo(10 * Math.log10(1 / (0.01 * 0.25)), within(1e-3));
    // x_hat = y + 0.1 z: per-pixel sample std over 32 draws has mean 0.1 c4(32); robustness unchanged
    var noisy = o.results().get(3);
    assertThat(noisy.stochastic()).isTrue();
    assertThat(noisy.pixelStd()).isCloseTo(0.1 * c4(32), within(3e-4));
    assertThat(noisy.robustness()).isCloseTo(onSphere, within(1e-3));
    for (var r : o.results()) {
      assertThat(r.fid()).isFinite().isGreaterThan(0);
      assertThat(r.precision()).isBetween(0.0, 1.0);
      assertThat(r.recall()).isBetween(0.0, 1.0);
    }
    assertThat(Files.size(tmp.resolve("run/grid.png"))).isGreaterThan(1000);
  }

  @Test
  void superResolutionIdentityHasTheInputPsnrAndIsConsistent(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    ImageClosedFormModels.affine(tmp.resolve("nn"), SIDE, 4, 1f, 0f, 0f);
    double eps = 0.2765;
    TaskConfig sr4 = TaskConfig.newBuilder().setSuperResolution(SuperResolutionConfig.newBuilder().setScale(4)).build();
    ImageEvaluationConfig c = config(features, sr4, eps)
        .addModel(model(tmp.resolve("nn"), "nn", NoiseConfig.Distribution.ZERO, SIDE * SIDE * 3)).build();
    var r = run(c, tmp.resolve("run"), () -> false).results().get(0);
    // |NN_up(delta)|^2 / (16 n_y) = |delta|^2 / n_y: output PSNR = input PSNR = 10 log10(192 / eps^2) = 34.0 dB
    double expected = 10 * Math.log10(8 * 8 * 3 / (eps * eps));
    assertThat(expected).isCloseTo(34.0, within(0.01));
    assertThat(r.aiPsnr()).isCloseTo(expected, within(1e-3));
    assertThat(r.robustness()).isCloseTo(expected, within(1e-3));
    assertThat(r.consistency()).isCloseTo(100, within(1e-9)); // AvgPool(NN_up(y)) = y
  }

  /** Pooling features and two closed-form inpainting models in {@code tmp}: "noisy" (z normal) and "plain" (no z). */
  private static ImageEvaluationConfig.Builder noisyAndPlain(Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    ImageClosedFormModels.affine(tmp.resolve("noisy"), SIDE, 1, 0.9f, 0.05f, 0.05f);
    ImageClosedFormModels.affine(tmp.resolve("plain"), SIDE, 1, 1f, 0f, 0f);
    int pixels = SIDE * SIDE * 3;
    return config(features, inpainting(), 1.25)
        .addModel(model(tmp.resolve("noisy"), "noisy", NoiseConfig.Distribution.NORMAL, pixels))
        .addModel(model(tmp.resolve("plain"), "plain", NoiseConfig.Distribution.ZERO, pixels));
  }

  @Test
  void anInterruptedEvaluationResumesToTheSameNumbers(@TempDir Path tmp) throws IOException {
    ImageEvaluationConfig c = noisyAndPlain(tmp).build();
    ImageEvaluationRun.Outcome whole = run(c, tmp.resolve("whole"), () -> false);
    // stop after 3 batches of the first model, (12 real-feature batches + 8 of the first model), then again inside the second model
    AtomicInteger calls = new AtomicInteger();
    ImageEvaluationRun.Outcome first = run(c, tmp.resolve("resumed"), () -> calls.incrementAndGet() > 20);
    assertThat(first.finished()).isFalse();
    assertThat(tmp.resolve("resumed/partial/noisy.json")).exists();
    AtomicInteger calls2 = new AtomicInteger();
    ImageEvaluationRun.Outcome second = run(c, tmp.resolve("resumed"), () -> calls2.incrementAndGet() > 5);
    assertThat(second.finished()).isFalse();
    ImageEvaluationRun.Outcome last = run(c, tmp.resolve("resumed"), () -> false);
    assertThat(last.finished()).isTrue();
    for (int i = 0; i < 2; i++) {
      var a = whole.results().get(i);
      var b = last.results().get(i);
      assertThat(b.fid()).isEqualTo(a.fid());
      assertThat(b.precision()).isEqualTo(a.precision());
      assertThat(b.recall()).isEqualTo(a.recall());
      assertThat(b.pixelStd()).isEqualTo(a.pixelStd());
      assertThat(b.robustness()).isEqualTo(a.robustness());
      assertThat(b.aiPsnr()).isEqualTo(a.aiPsnr());
      assertThat(b.consistency()).isEqualTo(a.consistency());
    }
  }

  @Test
  void anEvaluationWithPosteriorMetricsCutEverySixBatchesResumesToTheSameNumbers(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    ImageClosedFormModels.affine(tmp.resolve("noisy"), SIDE, 1, 0.9f, 0.05f, 0.05f);
    int pixels = SIDE * SIDE * 3;
    ImageEvaluationConfig c = config(features, inpainting(), 1.25)
        .addModel(model(tmp.resolve("noisy"), "noisy", NoiseConfig.Distribution.NORMAL, pixels))
        .setPosterior(org.restorelab.config.PosteriorMetricsConfig.newBuilder().setInputs(16).setSamples(8)
            .setClassifier(FeatureExtractorModelConfig.newBuilder().setPath("savedmodels/cpu/faces-features")))
        .build();
    ImageEvaluationRun.Outcome whole = run(c, tmp.resolve("whole"), () -> false);
    ImageEvaluationRun.Outcome last;
    int runs = 0;
    do { // every run stops at its 7th check: the floor, each model and the exact sampler are cut and resumed
      AtomicInteger calls = new AtomicInteger();
      last = run(c, tmp.resolve("resumed"), () -> calls.incrementAndGet() > 6);
      runs++;
    } while (!last.finished());
    assertThat(runs).isGreaterThan(3);
    assertThat(last.results()).hasSize(2);
    for (int i = 0; i < 2; i++) {
      var a = whole.results().get(i);
      var b = last.results().get(i);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(b.fid()).isEqualTo(a.fid());
      assertThat(b.pixelStd()).isEqualTo(a.pixelStd());
      assertThat(b.consistency()).isEqualTo(a.consistency());
      assertThat(b.posterior().factorTv()).containsExactly(a.posterior().factorTv());
      assertThat(b.posterior().coverage()).isEqualTo(a.posterior().coverage());
      assertThat(b.posterior().collapseRate()).isEqualTo(a.posterior().collapseRate());
    }
    assertThat(last.posterior().floor().factorTv()).containsExactly(whole.posterior().floor().factorTv());
    assertThat(last.results().get(1).reference()).isTrue();
    assertThat(last.results().get(1).robustness()).isNaN();
  }

  @Test
  void threeShardsMergedGiveTheNumbersOfTheWholeRun(@TempDir Path tmp) throws IOException {
    // 12 real batches, 2 per-input batches, 8 generated, 2 posterior: 3 shards split them unevenly (one gets
    // no per-input batch)
    ImageEvaluationConfig c = noisyAndPlain(tmp)
        .setPosterior(org.restorelab.config.PosteriorMetricsConfig.newBuilder().setInputs(16).setSamples(8)
            .setClassifier(FeatureExtractorModelConfig.newBuilder().setPath("savedmodels/cpu/faces-features")))
        .build();
    ImageEvaluationRun.Outcome whole = run(c, tmp.resolve("whole"), () -> false);
    Path dir = tmp.resolve("sharded");
    for (int k = 2; k >= 0; k--) { // any order
      assertThat(ImageEvaluationRun.runShard(c, 7, dir, k, 3, () -> false, new PrintWriter(new StringWriter())))
          .isTrue();
    }
    assertThat(dir.resolve("partial/shards/shard-1/noisy.json")).exists();
    ImageEvaluationRun.mergeShards(c, 7, dir, 3);
    assertThat(dir.resolve("partial/shards")).doesNotExist();
    for (String f : new String[] {"real-images.features.f32", "noisy.features.f32", "plain.features.f32"}) {
      assertThat(Files.readAllBytes(dir.resolve("partial").resolve(f)))
          .isEqualTo(Files.readAllBytes(tmp.resolve("whole/partial").resolve(f)));
    }
    ImageEvaluationRun.Outcome merged = run(c, dir, () -> {
      throw new AssertionError("the merged partials leave no batch to run");
    });
    assertThat(merged.finished()).isTrue();
    assertThat(merged.results()).hasSize(3);
    for (int i = 0; i < 3; i++) {
      var a = whole.results().get(i);
      var b = merged.results().get(i);
      assertThat(b.name()).isEqualTo(a.name());
      assertThat(Double.valueOf(b.fid())).isEqualTo(Double.valueOf(a.fid()));
      assertThat(Double.valueOf(b.precision())).isEqualTo(Double.valueOf(a.precision()));
      assertThat(Double.valueOf(b.recall())).isEqualTo(Double.valueOf(a.recall()));
      assertThat(Double.valueOf(b.pixelStd())).isEqualTo(Double.valueOf(a.pixelStd()));
      assertThat(Double.valueOf(b.robustness())).isEqualTo(Double.valueOf(a.robustness()));
      assertThat(Double.valueOf(b.aiPsnr())).isEqualTo(Double.valueOf(a.aiPsnr()));
      assertThat(Double.valueOf(b.consistency())).isEqualTo(Double.valueOf(a.consistency()));
      assertThat(Double.valueOf(b.psnr())).isEqualTo(Double.valueOf(a.psnr()));
      assertThat(b.posterior().factorTv()).containsExactly(a.posterior().factorTv());
      assertThat(b.posterior().coverage()).isEqualTo(a.posterior().coverage());
      assertThat(b.posterior().collapseRate()).isEqualTo(a.posterior().collapseRate());
    }
    assertThat(merged.posterior().floor().factorTv()).containsExactly(whole.posterior().floor().factorTv());
    assertThat(merged.reference()).isEqualTo(whole.reference());
  }

  @Test
  void shardRangesAreWholeBatchesCoveringEveryItemOnce() {
    assertThat(ImageEvaluationRun.range(64, 8, 0, 3)).containsExactly(0, 16);
    assertThat(ImageEvaluationRun.range(64, 8, 1, 3)).containsExactly(16, 40);
    assertThat(ImageEvaluationRun.range(64, 8, 2, 3)).containsExactly(40, 64);
    assertThat(ImageEvaluationRun.range(16, 8, 0, 3)).containsExactly(0, 0);
    assertThat(ImageEvaluationRun.range(17, 8, 2, 3)).containsExactly(16, 17);
    for (int shards = 1; shards <= 7; shards++) {
      int at = 0;
      for (int k = 0; k < shards; k++) {
        int[] r = ImageEvaluationRun.range(61, 4, k, shards);
        assertThat(r[0]).isEqualTo(at);
        assertThat(r[0] % 4).isZero();
        at = r[1];
      }
      assertThat(at).isEqualTo(61);
    }
  }

  @Test
  void aFeatureModelWithoutTwoDimensionalOutputIsRefused(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features4d");
    ImageClosedFormModels.poolingFeatures(features, SIDE, false);
    ImageClosedFormModels.affine(tmp.resolve("identity"), SIDE, 1, 1f, 0f, 0f);
    ImageEvaluationConfig c = config(features, inpainting(), 1.25)
        .addModel(model(tmp.resolve("identity"), "identity", NoiseConfig.Distribution.ZERO, SIDE * SIDE * 3)).build();
    assertThatThrownBy(() -> run(c, tmp.resolve("run"), () -> false)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(features.toString()).hasMessageContaining("features must be 2-D");
  }

  @Test
  void aModelWhoseOutputDoesNotFitTheDataIsRefused(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, SIDE, true);
    Path small = tmp.resolve("small-output");
    ImageClosedFormModels.affine(small, SIDE, 1, 16, 1f, 0f, 0f);
    ImageEvaluationConfig c = config(features, inpainting(), 1.25)
        .addModel(model(small, "small", NoiseConfig.Distribution.ZERO, 16 * 16 * 3)).build();
    assertThatThrownBy(() -> run(c, tmp.resolve("run"), () -> false)).isInstanceOf(ConfigException.class)
        .hasMessageContaining(small.toString()).hasMessageContaining("[-1, 16, 16, 3]")
        .hasMessageContaining("needs [n, 32, 32, 3]");
  }
}
