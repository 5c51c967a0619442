package org.restorelab.evaluate;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.restorelab.attack.AdamAscent;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.ToyEvaluationConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.metric.UniformPosteriorDistance;
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
 *   <li>beyond the paper, the distance to the exact posterior p(x2 | y) = U[-c, c], c = sqrt(1 - y^2)
 *       of the unit disk ({@link UniformPosteriorDistance}): W2 (root mean square over inputs of the
 *       per-input W2) and the mean share of [-c, c] that the outputs never reach at its ends, from S
 *       z draws per y. Recall only says that real samples are missed; this says where.
 * </ul>
 * Sensitivities are reported times 1e3, as in Table 3.
 */
public final class ToyEvaluation {

  /** The numbers of one estimator, and its samples for Figure 3. */
  public record Result(String name, boolean stochastic, double precision, double recall,
      double sensitivity, double sensitivityOnExactInputs, double exactSensitivity,
      double posteriorW2, double posteriorUncovered, Points support, Points scatter) {}

  private ToyEvaluation() {}

  public static Result evaluate(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed) {
    return evaluate(model, config, validation, seed, null);
  }

  /**
   * {@link #evaluate(LoadedEstimator, ToyEvaluationConfig, Points, long)}; with {@code merged} (a
   * file that exists, written by {@link #mergeShards}) the per-input work (the precision/recall
   * outputs, sensitivity and exact sensitivity per input) is taken from the shards of a sharded
   * run instead of computed here: the numbers are the same.
   */
  public static Result evaluate(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed,
      Path merged) {
    check(model, config, validation);
    String path = "evaluate/" + model.name();
    int n = config.getPrecisionRecall().getNumSamples();
    PerInput work = merged != null && Files.exists(merged) ? PerInput.load(merged, config)
        : perInput(model, config, validation, seed, 0, 1);
    // precision/recall: outputs from validation y's 0..n-1, real samples n..2n-1
    Points outputs = new Points(work.prX1, work.prX2);
    Points real = new Points(Arrays.copyOfRange(validation.x1(), n, 2 * n), Arrays.copyOfRange(validation.x2(), n, 2 * n));
    PrecisionRecall.Result pr;
    try (PairwiseDistances d = PairwiseDistances.create(DistanceBackend.JAVA, 2)) {
      pr = PrecisionRecall.of(config.getPrecisionRecall(), d).compute(real.toFeatures(), outputs.toFeatures());
    }
    double[] perInput = work.sensitivity;
    double[] exact = work.exact;
    int e = exact.length;
    Points support = run(model, sampleY(validation, config.getSupportSamples(), Seeds.random(seed, path + "/support-y")),
        Seeds.random(seed, path + "/support-z"));
    Points scatter = run(model, sampleY(validation, config.getScatterSamples(), Seeds.random(seed, path + "/scatter-y")),
        Seeds.random(seed, path + "/scatter-z"));
    double[] posterior = posteriorDistance(model, config, validation, seed, path);
    return new Result(model.name(), model.stochastic(), pr.precision(), pr.recall(),
        1e3 * Math.sqrt(mean(perInput)), 1e3 * Math.sqrt(mean(Arrays.copyOf(perInput, e))),
        1e3 * Math.sqrt(mean(exact)), posterior[0], posterior[1], support, scatter);
  }

  private static void check(LoadedEstimator model, ToyEvaluationConfig config, Points validation) {
    if (model.measurementSize() != 1 || model.signalSize() - model.measurementColumns() != 1) {
      throw new ConfigException("toy evaluation needs y [n, 1] and one estimated coordinate; " + model.name()
          + " (" + model.dir() + ") has y of width " + model.measurementSize() + " and " + (model.signalSize() - model.measurementColumns())
          + " estimated coordinates");
    }
    int n = config.getPrecisionRecall().getNumSamples();
    if (validation.size() < 2 * n) {
      throw new ConfigException("toy evaluation needs 2 x precision_recall.num_samples = " + 2 * n
          + " validation samples, the data has " + validation.size());
    }
    if (config.hasPosteriorInputs() && config.getPosteriorInputs() > validation.size()) {
      throw new ConfigException("toy evaluation: posterior_inputs = " + config.getPosteriorInputs()
          + " is more than the " + validation.size() + " validation samples");
    }
  }

  /**
   * The W2 to the exact posterior U[-c, c] (root mean square over inputs) and the mean uncovered
   * share of [-c, c], over the first posterior_inputs validation y's (by default at most all of
   * them), with posterior_z_draws outputs per y (one for a deterministic model).
   */
  static double[] posteriorDistance(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed,
      String path) {
    int m = config.hasPosteriorInputs() ? config.getPosteriorInputs()
        : Math.min(config.getPosteriorInputs(), validation.size());
    int s = model.stochastic() ? config.getPosteriorZDraws() : 1;
    int chunk = Math.max(1, (1 << 15) / s); // y's per session call
    SplittableRandom random = Seeds.random(seed, path + "/posterior-z");
    double w2 = 0;
    double uncovered = 0;
    int counted = 0;
    for (int from = 0; from < m; from += chunk) {
      int ys = Math.min(chunk, m - from);
      float[] y = new float[ys * s];
      for (int i = 0; i < ys; i++) {
        Arrays.fill(y, i * s, (i + 1) * s, (float) validation.x1()[from + i]);
      }
      float[] out = estimates(model, y, model.drawZ(ys * s, random), ys * s);
      for (int i = 0; i < ys; i++) {
        double c = UnitDisk.halfChord(y[i * s]);
        if (c == 0) {
          continue; // y = +-1 in float: a posterior of one point, no interval to compare with
        }
        counted++;
        double[] x = new double[s];
        for (int j = 0; j < s; j++) {
          x[j] = out[i * s + j];
        }
        w2 += UniformPosteriorDistance.w2Squared(x, -c, c);
        uncovered += UniformPosteriorDistance.uncoveredShare(x, -c, c);
      }
    }
    return new double[] {Math.sqrt(w2 / counted), uncovered / counted};
  }

  /**
   * Shard {@code shard} of {@code shards} of the per-input work of {@link #evaluate} (its share of
   * the precision/recall outputs, of the sensitivity inputs and of the exact inputs; every random
   * stream drawn whole and sliced, so each number is the whole evaluation's), written to
   * {@code file}.
   */
  public static void evaluateShard(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed,
      int shard, int shards, Path file) throws IOException {
    check(model, config, validation);
    perInput(model, config, validation, seed, shard, shards).save(file);
  }

  /** Joins the shards' files (in order) into the one file {@link #evaluate} takes as {@code merged}. */
  public static void mergeShards(List<Path> shards, ToyEvaluationConfig config, Path merged) throws IOException {
    List<PerInput> parts = new ArrayList<>();
    for (Path f : shards) {
      parts.add(PerInput.read(f));
    }
    PerInput all = new PerInput(0, concat(parts, p -> p.prX1), concat(parts, p -> p.prX2), 0,
        concat(parts, p -> p.sensitivity), 0, concat(parts, p -> p.exact));
    int at = 0;
    int sAt = 0;
    int eAt = 0;
    for (PerInput p : parts) {
      if (p.prFrom != at || p.sensitivityFrom != sAt || p.exactFrom != eAt) {
        throw new IllegalArgumentException("the toy shards are not in order: one starts at " + p.prFrom + ", "
            + p.sensitivityFrom + ", " + p.exactFrom + ", expected " + at + ", " + sAt + ", " + eAt);
      }
      at += p.prX1.length;
      sAt += p.sensitivity.length;
      eAt += p.exact.length;
    }
    all.check(config, merged);
    all.save(merged);
  }

  private static double[] concat(List<PerInput> parts, java.util.function.Function<PerInput, double[]> field) {
    return parts.stream().flatMapToDouble(p -> Arrays.stream(field.apply(p))).toArray();
  }

  /**
   * The per-input work of shard {@code shard} of {@code shards} (0 of 1: the whole): the
   * precision/recall outputs of validation y's [a, b) of num_samples, r~ of the sensitivity inputs
   * [c, d), r of the exact inputs [e, f).
   */
  private static PerInput perInput(LoadedEstimator model, ToyEvaluationConfig config, Points validation, long seed,
      int shard, int shards) {
    String path = "evaluate/" + model.name();
    int n = config.getPrecisionRecall().getNumSamples();
    int[] pr = Shards.range(n, 1, shard, shards);
    Points outputs = run(model, Arrays.copyOf(validation.x1(), n), Seeds.random(seed, path + "/pr-z"), pr[0], pr[1]);
    int inputs = config.getSensitivityInputs();
    int[] sens = Shards.range(inputs, 1, shard, shards);
    double[] perInput = sensitivity(model, Arrays.copyOf(validation.x1(), inputs), config.getAttack(), seed, path,
        sens[0], sens[1]);
    int e = Math.min(config.getExactInputs(), inputs);
    int[] ex = Shards.range(e, 1, shard, shards);
    double[] exact = exactSensitivity(model, Arrays.copyOfRange(validation.x1(), ex[0], ex[1]), config, seed, path);
    return new PerInput(pr[0], outputs.x1(), outputs.x2(), sens[0], perInput, ex[0], exact);
  }

  /** A shard's (or the whole) per-input work: each array starts at its {@code from}. */
  private record PerInput(int prFrom, double[] prX1, double[] prX2, int sensitivityFrom, double[] sensitivity,
      int exactFrom, double[] exact) {
    void save(Path file) throws IOException {
      com.google.gson.JsonObject o = new com.google.gson.JsonObject();
      com.google.gson.Gson gson = new com.google.gson.Gson();
      o.addProperty("schema", "restorelab.partial-toy-evaluation/1");
      o.addProperty("pr_from", prFrom);
      o.add("pr_x1", gson.toJsonTree(prX1));
      o.add("pr_x2", gson.toJsonTree(prX2));
      o.addProperty("sensitivity_from", sensitivityFrom);
      o.add("sensitivity", gson.toJsonTree(sensitivity));
      o.addProperty("exact_from", exactFrom);
      o.add("exact", gson.toJsonTree(exact));
      Files.createDirectories(file.toAbsolutePath().getParent());
      org.restorelab.run.AtomicFiles.writeString(file, o.toString());
    }

    static PerInput read(Path file) throws IOException {
      com.google.gson.JsonObject o = com.google.gson.JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      com.google.gson.Gson gson = new com.google.gson.Gson();
      return new PerInput(o.get("pr_from").getAsInt(), gson.fromJson(o.get("pr_x1"), double[].class),
          gson.fromJson(o.get("pr_x2"), double[].class), o.get("sensitivity_from").getAsInt(),
          gson.fromJson(o.get("sensitivity"), double[].class), o.get("exact_from").getAsInt(),
          gson.fromJson(o.get("exact"), double[].class));
    }

    /** The merged work of the whole evaluation from {@code file}, refused when it does not fit {@code config}. */
    static PerInput load(Path file, ToyEvaluationConfig config) {
      PerInput p;
      try {
        p = read(file);
      } catch (IOException | RuntimeException e) {
        throw new ConfigException("cannot read " + file + ": " + e.getMessage() + "; delete it to evaluate again");
      }
      p.check(config, file);
      return p;
    }

    void check(ToyEvaluationConfig config, Path file) {
      int n = config.getPrecisionRecall().getNumSamples();
      int inputs = config.getSensitivityInputs();
      int e = Math.min(config.getExactInputs(), inputs);
      if (prFrom != 0 || prX1.length != n || prX2.length != n || sensitivityFrom != 0 || sensitivity.length != inputs
          || exactFrom != 0 || exact.length != e) {
        throw new ConfigException(file + " holds " + prX1.length + " precision/recall outputs, " + sensitivity.length
            + " sensitivities and " + exact.length + " exact ones; the config asks " + n + ", " + inputs + " and " + e
            + ": delete it to evaluate again");
      }
    }
  }

  /** X_hat for each y with one z each. */
  static Points run(LoadedEstimator model, double[] y, SplittableRandom random) {
    return run(model, y, random, 0, y.length);
  }

  /**
   * X_hat for y's [from, to), with the z rows [from, to) of the draw for every y (drawn whole, so
   * the rows are those of the whole run).
   */
  static Points run(LoadedEstimator model, double[] yAll, SplittableRandom random, int from, int to) {
    int n = to - from;
    float[] zAll = model.drawZ(yAll.length, random);
    if (n == 0) {
      return new Points(new double[0], new double[0]);
    }
    int perRow = zAll.length / Math.max(1, yAll.length);
    float[] z = Arrays.copyOfRange(zAll, from * perRow, to * perRow);
    double[] y = Arrays.copyOfRange(yAll, from, to);
    float[] out = model.outputs(toFloat(y), z, n);
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    int w = model.signalSize();
    for (int i = 0; i < n; i++) {
      x1[i] = out[i * w];
      x2[i] = out[i * w + w - 1];
    }
    return new Points(x1, x2);
  }

  /** r~(y) of Eq. 6 for each y, with the attack driven around the loaded graph. */
  public static double[] sensitivity(LoadedEstimator model, double[] y, AttackConfig attack, long seed, String path) {
    return sensitivity(model, y, attack, seed, path, 0, y.length);
  }

  /**
   * r~ of the inputs [from, to) of {@code yAll}: the attack's z and start drawn for all of them and
   * sliced, so each input's r~ is the whole run's (the attack is per input: Adam per coordinate,
   * projection per row, distances summed per row).
   */
  static double[] sensitivity(LoadedEstimator model, double[] yAll, AttackConfig attack, long seed, String path,
      int from, int to) {
    int b = to - from;
    int s = model.stochastic() ? attack.getSeeds() : 1;
    int rows = b * s;
    float[] zAll = model.drawZ(yAll.length * s, Seeds.random(seed, path + "/attack-z"));
    SplittableRandom random = Seeds.random(seed, path + "/attack-start");
    double[] startAll = new double[yAll.length];
    for (int i = 0; i < yAll.length; i++) {
      startAll[i] = random.nextGaussian();
    }
    if (b == 0) {
      return new double[0];
    }
    double[] y = Arrays.copyOfRange(yAll, from, to);
    float[] yRep = new float[rows];
    for (int i = 0; i < b; i++) {
      Arrays.fill(yRep, i * s, (i + 1) * s, (float) y[i]);
    }
    int perRow = zAll.length / Math.max(1, yAll.length * s);
    float[] z = Arrays.copyOfRange(zAll, from * s * perRow, to * s * perRow);
    float[] clean = estimates(model, yRep, z, rows);
    double[] delta0 = new double[b];
    for (int i = 0; i < b; i++) {
      delta0[i] = startAll[from + i] * attack.getInitScale() * attack.getEpsilon();
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
    int w = model.signalSize();
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
