package org.restorelab.evaluate;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.graph.Graphs;
import org.restorelab.task.RestorationTask;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;
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
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.types.TFloat32;

/**
 * An image estimator loaded from any SavedModel with a (y, z) -> x_hat signature (ours or not),
 * with what the evaluation needs built around the loaded graph:
 * <ul>
 *   <li>the attack objective for a fed target t: per row |x_hat(y_in, z) - t|^2 (Eq. 6), and its
 *       gradient w.r.t. y_in;
 *   <li>the consistency error of Section 6.1.1, per row mean (D(x_hat) - y)^2 with the task's D.
 * </ul>
 * y is [n, measurement shape], x_hat is [n, h, w, 3] in [0, 1]; the noise inputs (z of any
 * shape, e.g. [n, dz] or spatial [n, h, w, 1], and any extra noise inputs) are those of
 * {@link NoiseInputs}, fed as rows of {@link #noiseDim} floats. Every fed tensor is checked
 * against the signature, and the output's size against the task's signal, on load. A model of
 * any size ({@link SpatialSizes}) is loaded for one size, the task's: its z is as long as that
 * size needs.
 */
public final class LoadedImageEstimator implements ImageEstimator, AutoCloseable {
  private final String name;
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final ModelInput y;
  private final NoiseInputs noiseInputs;
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
    y = ModelInput.of(g, sig, config.getInputY(), dir, null);
    rawOutput = LoadedEstimator.tensor(g, sig, config.getOutput(), false, dir);
    JsonObject meta = ModelMetadata.read(dir);
    NoiseConfig fromModel = noise(config, meta, task, dir);
    noiseInputs = config.getInputZ().isEmpty() ? NoiseInputs.none() : zInputs(g, sig, config, fromModel,
        meta != null && meta.has("noise_dim") ? Integer.valueOf(fromModel.getDim())
            : config.getNoise().hasDim() ? config.getNoise().getDim() : null, dir);
    noise = noiseInputs.isEmpty() ? NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(0).build()
        : fromModel.toBuilder().setDim(noiseInputs.inputs().get(0).size()).build();
    LoadedEstimator.requireAllInputsFed(g, sig, config.getInputY(), noiseInputs.keys(), dir);
    measurementShape = task.measurementShape();
    measurementSize = (int) task.measurementSize();
    signalShape = task.signalShape();
    signalSize = (int) signalShape.size();
    checkShape(y.shape(), measurementShape, "input '" + config.getInputY() + "'", dir, task);
    checkShape(rawOutput.shape(), task.signalShape(), "output '" + config.getOutput() + "'", dir, task);
    Ops tf = Ops.create(g).withSubScope("restorelab_eval");
    Shape batchOfSignals = Shape.of(-1).append(task.signalShape());
    xHat = tf.reshape(rawOutput, tf.constant(batchOfSignals.asArray()));
    Operand<TFloat32> yIn = tf.reshape(y.output(), tf.constant(Shape.of(-1).append(measurementShape).asArray()));
    target = tf.placeholder(TFloat32.class, Placeholder.shape(batchOfSignals));
    distance = Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(xHat, target))); // Eq. 6, per row
    gradY = Graphs.gradients(tf, Graphs.sumAll(tf, distance), List.of(y.output())).get(0);
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

  /** The model's name: {@code config.name}, or the folder's name when that is empty. */
  public static String name(SavedModelConfig config) {
    return config.getName().isEmpty() ? Path.of(config.getPath()).getFileName().toString() : config.getName();
  }

  /** The noise inputs; a missing z says how to declare a model without z (input_z defaults to "z"). */
  private static NoiseInputs zInputs(Graph g, Signature sig, SavedModelConfig config, NoiseConfig noise,
      Integer explicitDim, Path dir) {
    if (!sig.getInputs().containsKey(config.getInputZ())) {
      try {
        LoadedEstimator.tensor(g, sig, config.getInputZ(), true, dir);
      } catch (ConfigException e) {
        throw new ConfigException(e.getMessage() + "; a model without a z input needs model.input_z: \"\"", e);
      }
    }
    return NoiseInputs.resolve(g, sig, config, noise.getDistribution(), explicitDim, dir);
  }

  /** Noise from the model's restorelab.json when it has one, else from the config. */
  private static NoiseConfig noise(SavedModelConfig config, JsonObject meta, RestorationTask task, Path dir) {
    if (meta != null && meta.has("task")) {
      String trained = meta.get("task").getAsString();
      if (!trained.equals(task.name())) {
        throw new ConfigException("SavedModel " + dir + " was trained for task '" + trained
            + "', the evaluation's task is '" + task.name() + "'");
      }
    }
    SpatialSizes sizes = SpatialSizes.read(meta);
    return meta != null && meta.has("noise_distribution")
        ? NoiseConfig.newBuilder()
            .setDistribution(NoiseConfig.Distribution.valueOf(meta.get("noise_distribution").getAsString()))
            .setDim(sizes != null // an any-size model's z follows the task's image size
                ? Math.toIntExact(sizes.noiseDim((int) task.signalShape().get(0), (int) task.signalShape().get(1)))
                : meta.get("noise_dim").getAsInt()).build()
        : config.getNoise();
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
    try (TFloat32 ty = y.tensor(zeros, Shape.of(1).append(measurementShape))) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(rawOutput);
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, new float[noiseInputs.floatsPerRow()], 1); Result res = r.run()) {
        Shape out = res.get(0).shape();
        if (out.size() != signalSize) {
          throw new ConfigException("SavedModel " + dir + " outputs images of shape " + out + " for one input; the data's"
              + " images are [" + dims(task.signalShape()) + "] (task " + task.name() + ")");
        }
      }
    } catch (IllegalArgumentException | IllegalStateException | TensorFlowException e) {
      throw new ConfigException("SavedModel " + dir + " fails on an input of shape [1, " + dims(measurementShape)
          + "]" + (noiseInputs.isEmpty() ? "" : " with " + noiseInputs.describe(1)) + ": "
          + LoadedEstimator.firstLine(e.getMessage()), e);
    }
  }

  private static String dims(Shape s) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < s.numDimensions(); i++) {
      b.append(i == 0 ? "" : ", ").append(s.size(i));
    }
    return b.toString();
  }

  @Override
  public String name() {
    return name;
  }

  public NoiseConfig noise() {
    return noise;
  }

  /** Whether z is drawn at random (a model with a z input fed zeros is deterministic). */
  @Override
  public boolean stochastic() {
    return noise.getDistribution() != NoiseConfig.Distribution.ZERO;
  }

  public int measurementSize() {
    return measurementSize;
  }

  @Override
  public int signalSize() {
    return signalSize;
  }

  /** Noise floats per row: z's and the extra noise inputs' (0 without a z input). */
  public int noiseDim() {
    return noiseInputs.floatsPerRow();
  }

  /** Noise for {@code rows} rows from {@code random} (see {@link NoiseInputs} for layout and streams). */
  @Override
  public float[] drawZ(int rows, SplittableRandom random) {
    return noiseInputs.draw(rows, random);
  }

  /** x_hat [n * signal] and per-row consistency MSE for y [n * measurement], z [n * dz]. */
  public Outputs run(float[] yv, float[] zv, int n) {
    try (TFloat32 ty = batchY(yv, n)) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(xHat).fetch(consistencyMse);
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        float[] images = new float[n * signalSize];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(images);
        LoadedEstimator.requireFinite(images, n, signalSize, dir, name);
        float[] mse = new float[n];
        ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(mse);
        return new Outputs(images, mse);
      }
    }
  }

  /** {@link #run}: a SavedModel sees only y and z, not which inputs they are. */
  @Override
  public Outputs sample(int first, float[] yv, float[] zv, int n) {
    return run(yv, zv, n);
  }

  /** Per-row |x_hat(y_in, z) - target|^2 [n]; its gradient w.r.t. y_in into {@code grad} when not null. */
  public float[] distanceAndGradient(float[] yIn, float[] zv, float[] targets, int n, float[] grad) {
    try (TFloat32 ty = batchY(yIn, n); TFloat32 tt = batch(targets, n, signalShape)) {
      Session.Runner r = session.runner().feed(y.output(), ty).feed(target, tt).fetch(distance);
      if (grad != null) {
        r.fetch(gradY);
      }
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        float[] d = new float[n];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(d);
        if (grad != null) {
          ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(grad);
        }
        return d;
      }
    }
  }

  /** y of n rows, checked against the signature before it is fed. */
  private TFloat32 batchY(float[] v, int n) {
    return y.tensor(v, Shape.of(n).append(measurementShape));
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
