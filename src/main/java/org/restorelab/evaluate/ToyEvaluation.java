package org.restorelab.evaluate;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.restorelab.attack.AdamAscent;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.ToyEvaluationConfig;
import org.restorelab.data.Points;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.run.Seeds;

/**
 * Evaluates a toy estimator loaded from a SavedModel (section 4.2, Table 3):
 * <ul>
 *   <li>precision and recall (k = 5) of outputs, each from its own validation y with one z,
 *       against as many other validation samples;
 *   <li>the sensitivity sqrt(R~) of Eq. 7, with the attack of Eq. 6 built around the loaded graph
 *       (S z draws per y, the same on both sides);
 *   <li>beyond the paper, the exact sensitivity sqrt(R) of Eq. 4-5 for a scalar y: W2^2 between the
 *       output distributions at y and y + delta by sorting, maximised over a grid of delta in
 *       [-eps, eps]. Appendix D proves R <= R~ (for the true maximiser of Eq. 6).
 * </ul>
 * Sensitivities are reported times 1e3, as in Table 3.
 */
public final class ToyEvaluation {

  /** The numbers of one estimator, and its samples for Figure 3. */
  public record Result(String name, boolean stochastic, double precision, double recall,
      double sensitivity, double sensitivityOnExactInputs, double exactSensitivity,
      Points support, Points scatter) {}

  private ToyEvaluation() {}

  public static Result evaluate(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed) {
    if (model.yDim() != 1 || model.outDim() - model.measurementColumns() != 1) {
      throw new ConfigException("toy evaluation needs y [n, 1] and one estimated coordinate; " + model.name()
          + " (" + model.dir() + ") has y of width " + model.yDim() + " and " + (model.outDim() - model.measurementColumns())
          + " estimated coordinates");
    }
    String path = "evaluate/" + model.name();
    int n = config.getPrecisionRecall().getNumSamples();
    if (validation.size() < 2 * n) {
      throw new ConfigException("toy evaluation needs 2 x precision_recall.num_samples = " + 2 * n
          + " validation samples, the data has " + validation.size());
    }
    // precision/recall: outputs from validation y's 0..n-1, real samples n..2n-1
    double[] y = Arrays.copyOf(validation.x1(), n);
    Points outputs = run(model, y, Seeds.random(seed, path + "/pr-z"));
    Points real = new Points(Arrays.copyOfRange(validation.x1(), n, 2 * n), Arrays.copyOfRange(validation.x2(), n, 2 * n));
    PrecisionRecall.Result pr;
    try (PairwiseDistances d = PairwiseDistances.create(DistanceBackend.JAVA, 2)) {
      pr = PrecisionRecall.of(config.getPrecisionRecall(), d).compute(real.toFeatures(), outputs.toFeatures());
    }
    double[] perInput = sensitivity(model, Arrays.copyOf(validation.x1(), config.getSensitivityInputs()),
        config.getAttack(), seed, path);
    int e = Math.min(config.getExactInputs(), perInput.length);
    double[] exact = exactSensitivity(model, Arrays.copyOf(validation.x1(), e), config, seed, path);
    Points support = run(model, sampleY(validation, config.getSupportSamples(), Seeds.random(seed, path + "/support-y")),
        Seeds.random(seed, path + "/support-z"));
    Points scatter = run(model, sampleY(validation, config.getScatterSamples(), Seeds.random(seed, path + "/scatter-y")),
        Seeds.random(seed, path + "/scatter-z"));
    return new Result(model.name(), model.stochastic(), pr.precision(), pr.recall(),
        1e3 * Math.sqrt(mean(perInput)), 1e3 * Math.sqrt(mean(Arrays.copyOf(perInput, e))),
        1e3 * Math.sqrt(mean(exact)), support, scatter);
  }

  /** X_hat for each y with one z each. */
  static Points run(LoadedEstimator model, double[] y, SplittableRandom random) {
    int n = y.length;
    float[] out = model.outputs(toFloat(y), model.drawZ(n, random), n);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    int w = model.outDim();
    for (int i = 0; i < n; i++) {
      x1[i] = out[i * w];
      x2[i] = out[i * w + w - 1];
    }
    return new Points(x1, x2);
  }

  /** r~(y) of Eq. 6 for each y, with the attack driven around the loaded graph. */
  public static double[] sensitivity(LoadedEstimator model, double[] y, AttackConfig attack, long seed, String path) {
    int b = y.length;
    int s = model.stochastic() ? attack.getSeeds() : 1;
    int rows = b * s;
    float[] yRep = new float[rows];
    for (int i = 0; i < b; i++) {
      Arrays.fill(yRep, i * s, (i + 1) * s, (float) y[i]);
    }
    float[] z = model.drawZ(rows, Seeds.random(seed, path + "/attack-z"));
    float[] clean = estimates(model, yRep, z, rows);
    SplittableRandom random = Seeds.random(seed, path + "/attack-start");
    double[] delta0 = new double[b];
    for (int i = 0; i < b; i++) {
      delta0[i] = random.nextGaussian() * attack.getInitScale() * attack.getEpsilon();
    }
    AdamAscent.project(delta0, 1, attack.getEpsilon());
    float[] yIn = new float[rows];
    float[] grad = new float[rows];
    double[] delta = AdamAscent.maximise((d, g) -> {
      shift(yRep, d, s, yIn);
      model.distanceAndGradient(yIn, z, clean, rows, grad);
      for (int i = 0; i < b; i++) {
        double sum = 0;
        for (int j = i * s; j < (i + 1) * s; j++) {
          sum += grad[j];
        }
        g[i] = sum / s;
      }
    }, delta0, 1, attack);
    shift(yRep, delta, s, yIn);
    float[] dist = model.distanceAndGradient(yIn, z, clean, rows, null);
    double[] perInput = new double[b];
    for (int i = 0; i < b; i++) {
      double sum = 0;
      for (int j = i * s; j < (i + 1) * s; j++) {
        sum += dist[j];
      }
      perInput[i] = sum / s;
    }
    return perInput;
  }

  /**
   * r(y) of Eq. 4 for each y: max over delta on a grid of [-eps, eps] of W2^2 between the 1-D
   * output distributions at y and at y + delta, each from the same z draws (sorted matching is
   * the exact 1-D optimal transport).
   */
  public static double[] exactSensitivity(LoadedEstimator model, double[] y, ToyEvaluationConfig config, long seed,
      String path) {
    int grid = config.getExactGrid(); // >= 2, the schema's range
    double eps = config.getAttack().getEpsilon();
    int nz = model.stochastic() ? config.getExactZDraws() : 1;
    float[] z = model.drawZ(nz, Seeds.random(seed, path + "/exact-z"));
    double[] r = new double[y.length];
    int rowsPerY = (grid + 1) * nz;
    float[] yIn = new float[rowsPerY];
    float[] zIn = new float[rowsPerY * model.noiseDim()];
    for (int k = 0; k <= grid; k++) {
      System.arraycopy(z, 0, zIn, k * z.length, z.length);
    }
    for (int i = 0; i < y.length; i++) {
      for (int k = 0; k <= grid; k++) {
        // k = 0 is y itself; k = 1..grid are the grid points -eps .. eps
        float shifted = (float) (k == 0 ? y[i] : y[i] + eps * (-1 + 2.0 * (k - 1) / (grid - 1)));
        Arrays.fill(yIn, k * nz, (k + 1) * nz, shifted);
      }
      float[] out = estimates(model, yIn, zIn, rowsPerY);
      double[] base = sorted(out, 0, nz);
      double best = 0;
      for (int k = 1; k <= grid; k++) {
        double[] other = sorted(out, k * nz, nz);
        double w2 = 0;
        for (int j = 0; j < nz; j++) {
          w2 += (base[j] - other[j]) * (base[j] - other[j]);
        }
        best = Math.max(best, w2 / nz);
      }
      r[i] = best;
    }
    return r;
  }

  private static double[] sorted(float[] v, int from, int n) {
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      out[i] = v[from + i];
    }
    Arrays.sort(out);
    return out;
  }

  /** G's estimated coordinates (after the measurement columns), [rows]. */
  private static float[] estimates(LoadedEstimator model, float[] y, float[] z, int rows) {
    float[] out = model.outputs(y, z, rows);
    float[] est = new float[rows];
    int w = model.outDim();
    for (int i = 0; i < rows; i++) {
      est[i] = out[i * w + w - 1];
    }
    return est;
  }

  private static void shift(float[] yRep, double[] delta, int s, float[] into) {
    for (int j = 0; j < yRep.length; j++) {
      into[j] = (float) (yRep[j] + delta[j / s]);
    }
  }

  /** z [n * dz]: zeros, U[0, 1) or N(0, 1) per the model's noise. */
  public static float[] drawZ(NoiseConfig noise, int n, SplittableRandom random) {
    float[] z = new float[n * noise.getDim()];
    for (int i = 0; i < z.length; i++) {
      z[i] = switch (noise.getDistribution()) {
        case ZERO -> 0f;
        case UNIFORM -> (float) random.nextDouble();
        case NORMAL -> (float) random.nextGaussian();
      };
    }
    return z;
  }

  private static double[] sampleY(Points validation, int n, SplittableRandom random) {
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      y[i] = validation.x1()[random.nextInt(validation.size())];
    }
    return y;
  }

  private static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  private static double mean(double[] v) {
    return Arrays.stream(v).average().orElse(Double.NaN);
  }
}
