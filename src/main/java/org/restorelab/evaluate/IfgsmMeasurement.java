package org.restorelab.evaluate;

import java.util.SplittableRandom;
import org.restorelab.attack.IterativeFgsm;
import org.restorelab.config.IfgsmConfig;
import org.restorelab.metric.Psnr;
import org.tensorflow.ndarray.Shape;

/**
 * Appendix G's measurement for one loaded estimator and one budget alpha: I-FGSM (Choi et al.)
 * on each input with L = mean over z draws of |G(y, z) - G(x_adv, z)|^2 (every latent held fixed,
 * the same draws on both sides), then the output PSNR (clean vs attacked outputs, averaged over
 * the z draws) and the input PSNR (y vs x_adv), each under its PSNR convention.
 */
public final class IfgsmMeasurement {
  /** Per-input output and input PSNRs (dB), and the perturbations (n * measurement floats). */
  public record Result(double[] outputPsnr, double[] inputPsnr, double[] delta) {}

  private IfgsmMeasurement() {}

  public static Result measure(LoadedEstimator model, float[] y, int n, double alpha, IfgsmConfig config,
      Shape measurement, Shape signal, SplittableRandom zRandom, SplittableRandom initRandom) {
    int s = model.stochastic() ? config.getZDraws() : 1;
    int m = model.measurementSize();
    int pixels = model.signalSize();
    int rows = n * s;
    float[] z = ImageEvaluation.drawZ(model, rows, zRandom);
    float[] clean = model.run(repeat(y, n, m, s), z, rows).images();
    float[] gradRows = new float[rows * m];
    double[] delta = IterativeFgsm.attack((x, grad) -> {
      model.distanceAndGradient(repeat(x, n, m, s), z, clean, rows, gradRows);
      java.util.Arrays.fill(grad, 0);
      for (int r = 0; r < rows; r++) { // grad of the mean over the z draws of each input
        int base = (r / s) * m;
        for (int j = 0; j < m; j++) {
          grad[base + j] += gradRows[r * m + j] / s;
        }
      }
    }, y, alpha, config.getSteps(), config.getInitScale(), initRandom);
    float[] adversarial = new float[y.length];
    IterativeFgsm.apply(y, delta, adversarial);
    float[] attacked = model.run(repeat(adversarial, n, m, s), z, rows).images();
    Psnr out = new Psnr(config.getOutputPsnr());
    Psnr in = new Psnr(config.getInputPsnr());
    int h = (int) signal.size(0);
    int w = (int) signal.size(1);
    double[] outputPsnr = new double[n];
    double[] inputPsnr = new double[n];
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int r = i * s; r < (i + 1) * s; r++) {
        sum += out.between(clean, r * pixels, attacked, r * pixels, h, w);
      }
      outputPsnr[i] = sum / s;
      inputPsnr[i] = in.between(y, i * m, adversarial, i * m, (int) measurement.size(0), (int) measurement.size(1));
    }
    return new Result(outputPsnr, inputPsnr, delta);
  }

  /** Each of n rows of length m, repeated s times in a row. */
  private static float[] repeat(float[] v, int n, int m, int s) {
    if (s == 1) {
      return v;
    }
    float[] out = new float[n * s * m];
    for (int r = 0; r < n * s; r++) {
      System.arraycopy(v, (r / s) * m, out, r * m, m);
    }
    return out;
  }
}
