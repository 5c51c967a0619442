package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** Eq. 9 and AI-PSNR against plain loops written from the definitions. */
class RobustnessTest {

  @Test
  void eq9IsTheMeanOverDrawsOfTheOutputPsnr() {
    int inputs = 3;
    int draws = 4;
    int pixels = 12;
    SplittableRandom r = new SplittableRandom(9);
    float[] clean = new float[inputs * draws * pixels];
    float[] attacked = new float[clean.length];
    for (int j = 0; j < clean.length; j++) {
      clean[j] = (float) r.nextDouble();
      attacked[j] = (float) (clean[j] + 0.1 * (r.nextDouble() - 0.5));
    }
    for (int i = 0; i < inputs; i++) {
      double expected = 0; // (1/S) sum_s 20 log10(peak / RMSE_s), peak 1
      for (int s = 0; s < draws; s++) {
        double sum = 0;
        for (int p = 0; p < pixels; p++) {
          int j = (i * draws + s) * pixels + p;
          sum += Math.pow((double) clean[j] - (double) attacked[j], 2);
        }
        expected += 20 * Math.log10(1 / Math.sqrt(sum / pixels)) / draws;
      }
      // the measure subtracts the float32 outputs in float32 (relative error ~6e-8 per pixel)
      assertThat(Robustness.attackedPsnr(clean, attacked, i, draws, pixels)).as("input %d", i)
          .isCloseTo(expected, within(1e-6));
    }
  }

  @Test
  void identicalOutputsScoreTheFloor() {
    float[] same = {0.25f, 0.5f, 0.75f, 1f};
    assertThat(Robustness.attackedPsnr(same, same.clone(), 0, 2, 2)).isEqualTo(100.0);
  }

  @Test
  void aiPsnrIsTheInputPsnrAndTenLog10MOverEpsilonSquaredOnTheBall() {
    int m = 48;
    double epsilon = 0.37;
    SplittableRandom r = new SplittableRandom(4);
    double[] delta = new double[2 * m];
    for (int j = 0; j < delta.length; j++) {
      delta[j] = r.nextGaussian();
    }
    double norm = 0;
    for (int j = m; j < 2 * m; j++) {
      norm += delta[j] * delta[j];
    }
    norm = Math.sqrt(norm);
    for (int j = m; j < 2 * m; j++) {
      delta[j] *= epsilon / norm; // input 1 on the sphere of radius epsilon
    }
    double mse0 = 0;
    for (int j = 0; j < m; j++) {
      mse0 += delta[j] * delta[j] / m;
    }
    assertThat(Robustness.aiPsnr(delta, 0, m)).isCloseTo(-10 * Math.log10(mse0), within(1e-9));
    assertThat(Robustness.aiPsnr(delta, 1, m)).isCloseTo(10 * Math.log10(m / (epsilon * epsilon)), within(1e-9));
    assertThat(Robustness.aiPsnrOnBall(m, epsilon)).isCloseTo(10 * Math.log10(m / (epsilon * epsilon)), within(1e-12));
    // 64x64x3 inputs at epsilon = 1 (a typical attack radius): 10 log10(12288) = 40.89 dB
    assertThat(Robustness.aiPsnrOnBall(64 * 64 * 3, 1)).isCloseTo(40.895, within(1e-3));
  }
}
