package org.restorelab.evaluate;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.graph.Graphs;
import org.restorelab.task.RestorationTask;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * An image estimator loaded from any SavedModel with a (y, z) -> x_hat signature (ours or not),
 * with what the evaluation needs built around the loaded graph:
 * <ul>
 *   <li>the attack objective for a fed target t: per row |x_hat(y_in, z) - t|^2 (Eq. 6), and its
 *       gradient w.r.t. y_in;
 *   <li>the consistency error of Section 6.1.1, per row mean (D(x_hat) - y)^2 with the task's D.
 * </ul>
 * y is [n, measurement shape], z is [n, dz] (absent for a model without z input), x_hat is
 * [n, h, w, 3] in [0, 1]; the output's size is checked against the task's signal on load.
 */
public final class LoadedImageEstimator implements AutoCloseable {
  private final String name;
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final Output<TFloat32> y;
  private final Output<TFloat32> z;
  private final Output<TFloat32> rawOutput;
  private final Operand<TFloat32> xHat;
  private final Placeholder<TFloat32> target;
  private final Operand<TFloat32> distance;
  private final Operand<TFloat32> gradY;
  private final Operand<TFloat32> consistencyMse;
  private final NoiseConfig noise;
  private final int measurementSize;
  private final int signalSize;
  private final Shape measurementShape;
  private final Shape signalShape;

  private LoadedImageEstimator(String name, SavedModelBundle bundle, SavedModelConfig config, Path dir,
      RestorationTask task) {
    this.name = name;
    this.dir = dir;
    this.bundle = bundle;
    this.session = bundle.session();
    Signature sig = LoadedEstimator.signature(bundle, config.getSignature(), dir);
    Graph g = bundle.graph();
    y = LoadedEstimator.tensor(g, sig, config.getInputY(), true, dir);
    z = config.getInputZ().isEmpty() ? null : zInput(g, sig, config, dir);
    rawOutput = LoadedEstimator.tensor(g, sig, config.getOutput(), false, dir);
    noise = noise(config, LoadedEstimator.metadata(dir), task, dir, z != null);
    measurementShape = task.measurementShape();
    measurementSize = (int) task.measurementSize();
    signalShape = task.signalShape();
    signalSize = (int) signalShape.size();
    checkShape(y.shape(), measurementShape, "input '" + config.getInputY() + "'", dir, task);
    checkShape(rawOutput.shape(), task.signalShape(), "output '" + config.getOutput() + "'", dir, task);
    Ops tf = Ops.create(g).withSubScope("restorelab_eval");
    Shape batchOfSignals = Shape.of(-1).append(task.signalShape());
    xHat = tf.reshape(rawOutput, tf.constant(batchOfSignals.asArray()));
    Operand<TFloat32> yIn = tf.reshape(y, tf.constant(Shape.of(-1).append(measurementShape).asArray()));
    target = tf.placeholder(TFloat32.class, Placeholder.shape(batchOfSignals));
    distance = Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(xHat, target))); // Eq. 6, per row
    gradY = Graphs.gradients(tf, Graphs.sumAll(tf, distance), List.of(y)).get(0);
    Operand<TFloat32> residual = tf.math.sub(task.degrade(tf, xHat), yIn);
    consistencyMse = tf.math.div(Graphs.sumPerRow(tf, tf.math.square(residual)),
        tf.constant((float) measurementSize));
    probe(dir, task);
  }

  /**
   * Loads {@code config.path} for {@code task}. A missing or broken folder, a missing signature or
   * tensor, a model trained for another task, or an output of the wrong size is an error naming
   * the folder.
   */
  public static LoadedImageEstimator load(SavedModelConfig config, RestorationTask task) {
    Path dir = LoadedEstimator.checkFolder(config);
    SavedModelBundle bundle = LoadedEstimator.open(dir);
    try {
      return new LoadedImageEstimator(config.getName().isEmpty() ? dir.getFileName().toString() : config.getName(),
          bundle, config, dir, task);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** The z input; a missing one says how to declare a model without z (input_z defaults to "z"). */
  private static Output<TFloat32> zInput(Graph g, Signature sig, SavedModelConfig config, Path dir) {
    try {
      return LoadedEstimator.tensor(g, sig, config.getInputZ(), true, dir);
    } catch (ConfigException e) {
      throw new ConfigException(e.getMessage() + "; a model without a z input needs model.input_z: \"\"", e);
    }
  }

  /** Noise from the model's restorelab.json when it has one, else from the config. */
  private static NoiseConfig noise(SavedModelConfig config, JsonObject meta, RestorationTask task, Path dir,
      boolean hasZ) {
    if (meta != null && meta.has("task")) {
      String trained = meta.get("task").getAsString();
      if (!trained.equals(task.name())) {
        throw new ConfigException("SavedModel " + dir + " was trained for task '" + trained
            + "', the evaluation's task is '" + task.name() + "'");
      }
    }
    NoiseConfig n = meta != null && meta.has("noise_distribution")
        ? NoiseConfig.newBuilder()
            .setDistribution(NoiseConfig.Distribution.valueOf(meta.get("noise_distribution").getAsString()))
            .setDim(meta.get("noise_dim").getAsInt()).build()
        : config.getNoise();
    if (!hasZ) {
      return NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(0).build();
    }
    if (n.getDim() < 1) {
      throw new ConfigException("SavedModel " + dir + " has a z input: give model.noise.dim (and distribution)");
    }
    return n;
  }

  private static void checkShape(Shape actual, Shape expected, String what, Path dir, RestorationTask task) {
    if (actual.isUnknown()) {
      return;
    }
    boolean ok = actual.numDimensions() == expected.numDimensions() + 1;
    for (int i = 0; ok && i < expected.numDimensions(); i++) {
      long d = actual.size(i + 1);
      ok = d < 0 || d == expected.size(i);
    }
    if (!ok) {
      throw new ConfigException("SavedModel " + dir + ": " + what + " has shape " + actual + "; task "
          + task.name() + " needs [n, " + dims(expected) + "]");
    }
  }

  /** Runs one zero input through the model: an output of another size is an error naming the folder. */
  private void probe(Path dir, RestorationTask task) {
    float[] zeros = new float[measurementSize];
    try (TFloat32 ty = TFloat32.tensorOf(Shape.of(1).append(measurementShape), DataBuffers.of(zeros, true, false));
        TFloat32 tz = z == null ? null : TFloat32.tensorOf(Shape.of(1, noise.getDim()))) {
      Session.Runner r = session.runner().feed(y, ty).fetch(rawOutput);
      if (z != null) {
        r.feed(z, tz);
      }
      try (Result res = r.run()) {
        Shape out = res.get(0).shape();
        if (out.size() != signalSize) {
          throw new ConfigException("SavedModel " + dir + " outputs images of shape " + out + " for one input; the data's"
              + " images are [" + dims(task.signalShape()) + "] (task " + task.name() + ")");
        }
      }
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("SavedModel " + dir + " fails on an input of shape [1, " + dims(measurementShape)
          + "]" + (z == null ? "" : " with z [1, " + noise.getDim() + "]") + ": " + e.getMessage(), e);
    }
  }

  private static String dims(Shape s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.numDimensions(); i++) {
      b.append(i == 0 ? "" : ", ").append(s.size(i));
    }
    return b.toString();
  }

  public String name() {
    return name;
  }

  public NoiseConfig noise() {
    return noise;
  }

  /** Whether z is drawn at random (a model with a z input fed zeros is deterministic). */
  public boolean stochastic() {
    return noise.getDistribution() != NoiseConfig.Distribution.ZERO;
  }

  public int measurementSize() {
    return measurementSize;
  }

  public int signalSize() {
    return signalSize;
  }

  /** Floats of z per row (0 without a z input). */
  public int noiseDim() {
    return z == null ? 0 : noise.getDim();
  }

  /** Outputs and their consistency errors. */
  public record Outputs(float[] images, float[] consistencyMse) {}

  /** x_hat [n * signal] and per-row consistency MSE for y [n * measurement], z [n * dz]. */
  public Outputs run(float[] yv, float[] zv, int n) {
    try (TFloat32 ty = batch(yv, n, measurementShape); TFloat32 tz = z == null ? null : batch(zv, n, Shape.of(noise.getDim()))) {
      Session.Runner r = session.runner().feed(y, ty).fetch(xHat).fetch(consistencyMse);
      if (z != null) {
        r.feed(z, tz);
      }
      try (Result res = r.run()) {
        float[] images = new float[n * signalSize];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(images);
        requireFinite(images, n);
        float[] mse = new float[n];
        ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(mse);
        return new Outputs(images, mse);
      }
    }
  }

  /**
   * An output with NaN or infinity cannot be scored (and would poison every mean): an error naming
   * the model, its folder and how many of the batch's rows failed, rather than a NaN in a report.
   */
  private void requireFinite(float[] images, int n) {
    int bad = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i * signalSize; j < (i + 1) * signalSize; j++) {
        if (!Float.isFinite(images[j])) {
          bad++;
          break;
        }
      }
    }
    if (bad > 0) {
      throw new ConfigException("SavedModel " + dir + " (model '" + name + "') output NaN or infinity for " + bad
          + " of " + n + " inputs of a batch; a model whose outputs are not finite cannot be scored");
    }
  }

  /** Per-row |x_hat(y_in, z) - target|^2 [n]; its gradient w.r.t. y_in into {@code grad} when not null. */
  public float[] distanceAndGradient(float[] yIn, float[] zv, float[] targets, int n, float[] grad) {
    try (TFloat32 ty = batch(yIn, n, measurementShape);
        TFloat32 tz = z == null ? null : batch(zv, n, Shape.of(noise.getDim()));
        TFloat32 tt = batch(targets, n, signalShape)) {
      Session.Runner r = session.runner().feed(y, ty).feed(target, tt).fetch(distance);
      if (grad != null) {
        r.fetch(gradY);
      }
      if (z != null) {
        r.feed(z, tz);
      }
      try (Result res = r.run()) {
        float[] d = new float[n];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(d);
        if (grad != null) {
          ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(grad);
        }
        return d;
      }
    }
  }

  private static TFloat32 batch(float[] v, int n, Shape row) {
    Shape shape = Shape.of(n).append(row);
    if (v.length != shape.size()) {
      throw new IllegalArgumentException(String.format(Locale.ROOT, "%d values cannot fill %s", v.length, shape));
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(v, true, false));
  }

  @Override
  public void close() {
    bundle.close();
  }
}
