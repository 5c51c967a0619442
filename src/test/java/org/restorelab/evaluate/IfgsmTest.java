package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.IfgsmConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.PsnrConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.SuperResolutionConfig;
import org.restorelab.config.TaskConfig;
import org.restorelab.metric.Psnr;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;

/**
 * I-FGSM (Choi et al.) around loaded SavedModels built by a separate code path: the budget and
 * the [0, 1] range hold, a linear model gives the closed-form sign-gradient result, a dense
 * linear model matches a float64 reimplementation of the iteration, and z held fixed on both
 * sides cancels additive noise. Also the PSNR conventions.
 */
class IfgsmTest {
  private static final int SIDE = 32;
  private static final int LOW = 8;
  private static final RestorationTask SR4 = Tasks.create(
      TaskConfig.newBuilder().setSuperResolution(SuperResolutionConfig.newBuilder().setScale(4)).build(), SIDE, "task");
  private static final PsnrConfig RGB = PsnrConfig.newBuilder().setChannel(PsnrConfig.Channel.RGB).setShave(0).setPeak(1).build();

  private static LoadedEstimator load(Path dir, NoiseConfig.Distribution noise) {
    return LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(dir.toString()).setSignature("restore")
        .setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(noise).setDim(SIDE * SIDE * 3)).build(), SR4);
  }

  private static IfgsmConfig config(int steps) {
    return IfgsmConfig.newBuilder().setSteps(steps).setZDraws(3).setInitScale(0.01).setOutputPsnr(RGB).setInputPsnr(RGB)
        .build();
  }

  private static float[] inputs(int n, double lo, double hi, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] y = new float[n * LOW * LOW * 3];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) (lo + (hi - lo) * r.nextDouble());
    }
    return y;
  }

  private static IfgsmMeasurement.Result measure(LoadedEstimator m, float[] y, int n, double alpha, IfgsmConfig c) {
    return IfgsmMeasurement.measure(m, y, n, alpha, c, SR4.measurementShape(), SR4.signalShape(), new SplittableRandom(1),
        new SplittableRandom(2));
  }

  @Test
  void aScaledUpsamplerGivesTheClosedFormSignGradientResult(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("twice"), SIDE, 4, 2f, 0f, 0f);
    try (LoadedEstimator m = load(tmp.resolve("twice"), NoiseConfig.Distribution.ZERO)) {
      double alpha = 8 / 255.0;
      float[] y = inputs(3, 0.3, 0.7, 5);
      IfgsmMeasurement.Result r = measure(m, y, 3, alpha, config(50));
      // grad_delta L = 2 * 2^2 * 16 delta: its sign is the start's, so every step adds alpha/T
      // the same way and delta ends at +-alpha exactly
      for (double d : r.delta()) {
        assertThat(Math.abs(d)).isCloseTo(alpha, within(1e-12));
      }
      for (int i = 0; i < 3; i++) {
        assertThat(r.inputPsnr()[i]).isCloseTo(-20 * Math.log10(alpha), within(1e-4)); // 30.09 dB
        assertThat(r.outputPsnr()[i]).isCloseTo(-20 * Math.log10(2 * alpha), within(1e-4));
      }
    }
  }

  @Test
  void theBudgetAndTheImageRangeHold(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("twice"), SIDE, 4, 2f, 0.1f, 0f);
    try (LoadedEstimator m = load(tmp.resolve("twice"), NoiseConfig.Distribution.ZERO)) {
      double alpha = 32 / 255.0;
      float[] y = inputs(2, 0, 1, 6);
      y[0] = 0;
      y[1] = 1;
      IfgsmMeasurement.Result r = measure(m, y, 2, alpha, config(50));
      float[] x = new float[y.length];
      org.restorelab.attack.IterativeFgsm.apply(y, r.delta(), x);
      for (int i = 0; i < y.length; i++) {
        assertThat(Math.abs(r.delta()[i])).isLessThanOrEqualTo(alpha + 1e-12);
        assertThat(x[i]).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void aDenseLinearModelMatchesAFloat64Reimplementation(@TempDir Path tmp) throws IOException {
    int m = LOW * LOW * 3;
    int p = SIDE * SIDE * 3;
    SplittableRandom rnd = new SplittableRandom(11);
    float[] w = new float[m * p];
    for (int i = 0; i < w.length; i++) {
      w[i] = (float) (rnd.nextGaussian() / Math.sqrt(m));
    }
    ImageClosedFormModels.linear(tmp.resolve("dense"), SIDE, LOW, w);
    double alpha = 4 / 255.0;
    int steps = 20;
    float[] y = inputs(1, 0.3, 0.7, 7);
    IfgsmMeasurement.Result r;
    try (LoadedEstimator model = load(tmp.resolve("dense"), NoiseConfig.Distribution.ZERO)) {
      r = measure(model, y, 1, alpha, config(steps));
    }
    // float64 reference: L = |(x - y) W|^2, grad_x = 2 (x - y) W W^T; same start, same rule
    SplittableRandom init = new SplittableRandom(2);
    double step = alpha / steps;
    double[] delta = new double[m];
    for (int i = 0; i < m; i++) {
      delta[i] = (init.nextBoolean() ? 0.01 : -0.01) * step;
    }
    for (int t = 0; t < steps; t++) {
      double[] v = new double[p];
      for (int i = 0; i < m; i++) {
        for (int j = 0; j < p; j++) {
          v[j] += delta[i] * w[i * p + j];
        }
      }
      double[] g = new double[m];
      for (int i = 0; i < m; i++) {
        double sum = 0;
        for (int j = 0; j < p; j++) {
          sum += w[i * p + j] * v[j];
        }
        g[i] = 2 * sum;
      }
      for (int i = 0; i < m; i++) {
        delta[i] = Math.max(-alpha, Math.min(alpha, delta[i] + step * Math.signum(g[i])));
      }
    }
    int agree = 0;
    for (int i = 0; i < m; i++) {
      agree += Math.abs(delta[i] - r.delta()[i]) < 1e-9 ? 1 : 0;
    }
    assertThat(agree).isGreaterThanOrEqualTo(m - 2); // float32 gradients may flip a sign near 0
    double[] out = new double[p];
    for (int i = 0; i < m; i++) {
      for (int j = 0; j < p; j++) {
        out[j] += delta[i] * w[i * p + j];
      }
    }
    double mse = 0;
    for (double o : out) {
      mse += o * o / p;
    }
    assertThat(r.outputPsnr()[0]).isCloseTo(10 * Math.log10(1 / mse), within(0.05));
  }

  @Test
  void fixedLatentsOnBothSidesCancelAdditiveNoise(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("plain"), SIDE, 4, 2f, 0f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("noisy"), SIDE, 4, 2f, 0f, 0.2f);
    float[] y = inputs(2, 0.2, 0.8, 9);
    double alpha = 2 / 255.0;
    try (LoadedEstimator plain = load(tmp.resolve("plain"), NoiseConfig.Distribution.ZERO);
        LoadedEstimator noisy = load(tmp.resolve("noisy"), NoiseConfig.Distribution.NORMAL)) {
      assertThat(noisy.stochastic()).isTrue();
      IfgsmMeasurement.Result a = measure(plain, y, 2, alpha, config(10));
      IfgsmMeasurement.Result b = measure(noisy, y, 2, alpha, config(10));
      assertThat(b.delta()).containsExactly(a.delta());
      assertThat(b.outputPsnr()[0]).isCloseTo(a.outputPsnr()[0], within(1e-3));
    }
  }

  @Test
  void psnrConventionsFollowMatlabAndTheCommunity() {
    assertThat(Psnr.luma(0, 0, 0) * 255).isCloseTo(16, within(1e-12));
    assertThat(Psnr.luma(1, 1, 1) * 255).isCloseTo(235, within(1e-12));
    int h = 8;
    int w = 8;
    float[] a = new float[h * w * 3];
    float[] b = new float[h * w * 3];
    java.util.Arrays.fill(b, 0.1f);
    for (int i = 0; i < h; i++) { // a border that differs wildly, shaved away with shave 1
      for (int j = 0; j < w; j++) {
        if (i == 0 || j == 0 || i == h - 1 || j == w - 1) {
          for (int c = 0; c < 3; c++) {
            b[(i * w + j) * 3 + c] = 1f;
          }
        }
      }
    }
    PsnrConfig shaved = PsnrConfig.newBuilder().setChannel(PsnrConfig.Channel.RGB).setShave(1).setPeak(255).build();
    assertThat(new Psnr(shaved).between(a, 0, b, 0, h, w)).isCloseTo(20, within(1e-5)); // 10 log10(1 / 0.1^2)
    // Y of a grey difference of 0.1 is 0.1 * 219 / 255
    PsnrConfig y = shaved.toBuilder().setChannel(PsnrConfig.Channel.Y).build();
    assertThat(new Psnr(y).between(a, 0, b, 0, h, w)).isCloseTo(-20 * Math.log10(0.1 * 219 / 255), within(1e-4));
    // rounding to the 8-bit grid: 0.1 * 255 = 25.5 rounds to 26 (rint: to even, 26)
    PsnrConfig rounded = shaved.toBuilder().setRound(true).build();
    assertThat(new Psnr(rounded).between(a, 0, b, 0, h, w)).isCloseTo(20 * Math.log10(255 / 26.0), within(1e-4));
  }
}
