package org.restorelab.evaluate;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.SplittableRandom;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.graph.Graphs;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;
import org.restorelab.task.RestorationTask;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.exceptions.TensorFlowException;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Any SavedModel with a (y, z) -> x_hat signature (ours or anyone's), toy or image, loaded for
 * evaluation, with what the evaluation needs built around the loaded graph:
 * <ul>
 *   <li>the attack objective for a fed target t: per row |c(x_hat(y_in, z)) - t|^2 (Eq. 6), and
 *       its gradient w.r.t. y_in, where c is what the measurement leaves to the model: a toy
 *       model's columns after its m measurement columns, an image model's whole image;
 *   <li>for a {@link RestorationTask} (images), the consistency error of Section 6.1.1, per row
 *       mean (D(x_hat) - y)^2 with the task's D.
 * </ul>
 * The noise inputs (z of any shape, e.g. [n, dz] or spatial [n, h, w, 1], and any extra noise
 * inputs) are those of {@link NoiseInputs}, fed as rows of {@link #noiseDim} floats. Two kinds of
 * model, checked on load with one probe run:
 * <ul>
 *   <li>{@link #load(SavedModelConfig)}, a toy model: y [n, d], x_hat [n, k] with k > m
 *       (m = {@code measurement_columns} of its restorelab.json, else of the config);
 *   <li>{@link #load(SavedModelConfig, RestorationTask)}, an image model: y [n, measurement
 *       shape], x_hat [n, h, w, 3] in [0, 1] of the task's size. A model trained for another
 *       task is refused; a model of any size ({@link SpatialSizes}) is loaded for the task's size,
 *       its z as long as that size needs.
 * </ul>
 * This class also holds the checks every SavedModel loader goes through ({@link #checkFolder},
 * {@link #open}).
 */
public final class LoadedEstimator implements ImageEstimator, AutoCloseable {
  /** Op types that hold variables: a graph with one of them needs variables/variables.index. */
  static final Set<String> VARIABLE_OPS = Set.of("VarHandleOp", "VariableV2", "Variable", "_VarHandlesOp",
      "TemporaryVariable");

  /**
   * What a kind of model is, as found on load: its inputs and output, its noise, the shapes of a
   * row of y and of x_hat, the measurement columns that a toy x_hat repeats (0 for images), and the
   * task (null for a toy model).
   */
  private record Contract(ModelInput y, Output<TFloat32> rawOutput, NoiseInputs noiseInputs, NoiseConfig noise,
      Shape measurementShape, Shape signalShape, int measurementColumns, RestorationTask task) {}

  private final String name;
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final ModelInput y;
  private final NoiseInputs noiseInputs;
  private final NoiseConfig noise;
  private final Shape measurementShape;
  private final Shape signalShape;
  private final Output<TFloat32> rawOutput;
  private final int measurementColumns;
  /** x_hat [n, signal shape]. */
  private final Operand<TFloat32> xHat;
  /** The attack's target: [n, signal shape after the measurement columns]. */
  private final Placeholder<TFloat32> target;
  private final Shape targetShape;
  private final Operand<TFloat32> distance;
  private final Operand<TFloat32> gradY;
  /** Per-row mean (D(x_hat) - y)^2 (null for a toy model, which has no task). */
  private final Operand<TFloat32> consistencyMse;

  private LoadedEstimator(String name, SavedModelBundle bundle, Path dir, Contract c) {
    this.name = name;
    this.dir = dir;
    this.bundle = bundle;
    this.session = bundle.session();
    y = c.y();
    noiseInputs = c.noiseInputs();
    noise = c.noise();
    measurementShape = c.measurementShape();
    signalShape = c.signalShape();
    measurementColumns = c.measurementColumns();
    rawOutput = c.rawOutput();
    Ops tf = Ops.create(bundle.graph()).withSubScope("restorelab_eval");
    Operand<TFloat32> compared;
    if (c.task() == null) { // the columns after the measurement's
      xHat = c.rawOutput();
      compared = tf.slice(xHat, tf.constant(new int[] {0, measurementColumns}), tf.constant(new int[] {-1, -1}));
      targetShape = Shape.of(signalShape.size(0) - measurementColumns);
    } else {
      xHat = tf.reshape(c.rawOutput(), tf.constant(Shape.of(-1).append(signalShape).asArray()));
      compared = xHat;
      targetShape = signalShape;
    }
    target = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1).append(targetShape)));
    distance = Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(compared, target))); // Eq. 6, per row
    gradY = Graphs.gradients(tf, Graphs.sumAll(tf, distance), List.of(y.output())).get(0);
    if (c.task() == null) {
      consistencyMse = null;
    } else {
      Operand<TFloat32> yIn = tf.reshape(y.output(), tf.constant(Shape.of(-1).append(measurementShape).asArray()));
      Operand<TFloat32> residual = tf.math.sub(c.task().degrade(tf, xHat), yIn);
      consistencyMse = tf.math.div(Graphs.sumPerRow(tf, tf.math.square(residual)),
          tf.constant((float) measurementShape.size()));
      probe(c.task());
    }
  }

  /**
   * Loads {@code config.path} as a toy model; a missing folder, a folder without saved_model.pb,
   * a broken SavedModel or one of other shapes is an error naming the folder.
   */
  public static LoadedEstimator load(SavedModelConfig config) {
    return load(config, null);
  }

  /**
   * Loads {@code config.path} for {@code task} (null: a toy model, as {@link #load(SavedModelConfig)}).
   * A missing or broken folder, a missing signature or tensor, a model trained for another task, or
   * an output of the wrong size is an error naming the folder.
   */
  public static LoadedEstimator load(SavedModelConfig config, RestorationTask task) {
    Path dir = checkFolder(config);
    SavedModelBundle bundle = open(dir);
    try {
      Signature sig = signature(bundle, config.getSignature(), dir);
      return new LoadedEstimator(name(config), bundle, dir,
          task == null ? toy(bundle, sig, config, dir) : image(bundle, sig, config, dir, task));
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /** A toy model: y [n, d], x_hat [n, k] with k > m, its noise and m from its restorelab.json, else from the config. */
  private static Contract toy(SavedModelBundle bundle, Signature sig, SavedModelConfig config, Path dir) {
    Graph g = bundle.graph();
    ModelInput y = ModelInput.of(g, sig, config.getInputY(), dir, null);
    Output<TFloat32> xHat = tensor(g, sig, config.getOutput(), false, dir);
    JsonObject meta = ModelMetadata.read(dir);
    NoiseConfig.Distribution distribution;
    Integer explicitDim;
    int measurementColumns;
    if (meta != null) {
      distribution = NoiseConfig.Distribution.valueOf(meta.get("noise_distribution").getAsString());
      explicitDim = meta.get("noise_dim").getAsInt();
      measurementColumns = meta.get("measurement_columns").getAsInt();
    } else {
      distribution = config.getNoise().getDistribution();
      explicitDim = config.getNoise().hasDim() ? config.getNoise().getDim() : null;
      measurementColumns = config.getMeasurementColumns();
    }
    NoiseInputs noiseInputs = NoiseInputs.resolve(g, sig, config, distribution, explicitDim, dir);
    NoiseConfig noise = NoiseConfig.newBuilder().setDistribution(distribution)
        .setDim(noiseInputs.isEmpty() ? (explicitDim == null ? config.getNoise().getDim() : explicitDim)
            : noiseInputs.inputs().get(0).size()).build();
    requireAllInputsFed(g, sig, config.getInputY(), noiseInputs.keys(), dir);
    Shape ys = y.shape();
    if (!ys.isUnknown() && ys.numDimensions() != 2) {
      throw new ConfigException("SavedModel " + dir + ": input '" + config.getInputY() + "' has shape " + ys
          + "; a toy model takes y [n, d]");
    }
    int yDim = !ys.isUnknown() && ys.size(1) > 0 ? (int) ys.size(1) : 1;
    String expectedOut = "; a toy model outputs " + config.getOutput() + " [n, k] with k > measurement_columns = "
        + measurementColumns;
    Shape xs = xHat.shape();
    if (!xs.isUnknown() && (xs.numDimensions() != 2 || (xs.size(1) >= 0 && xs.size(1) <= measurementColumns))) {
      throw new ConfigException("SavedModel " + dir + ": output '" + config.getOutput() + "' has shape " + xs + expectedOut);
    }
    int outDim = probeToy(bundle.session(), y, xHat, noiseInputs, yDim, measurementColumns, config.getOutput(),
        expectedOut, dir);
    return new Contract(y, xHat, noiseInputs, noise, Shape.of(yDim), Shape.of(outDim), measurementColumns, null);
  }

  /** Runs one zero row through a toy model; returns its output width, or an error naming the folder and the shape. */
  private static int probeToy(Session session, ModelInput y, Output<TFloat32> xHat, NoiseInputs noiseInputs, int yDim,
      int measurementColumns, String outputKey, String expected, Path dir) {
    float[] zeros = new float[yDim];
    try (TFloat32 ty = y.tensor(zeros, Shape.of(1, yDim))) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(xHat);
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, new float[noiseInputs.floatsPerRow()], 1); Result res = r.run()) {
        Shape out = res.get(0).shape();
        if (out.numDimensions() != 2 || out.size(1) <= measurementColumns) {
          throw new ConfigException("SavedModel " + dir + ": output '" + outputKey + "' has shape " + out
              + " for one input" + expected);
        }
        return (int) out.size(1);
      }
    } catch (IllegalArgumentException | IllegalStateException | TensorFlowException e) {
      throw new ConfigException("SavedModel " + dir + " fails on an input y of shape [1, " + yDim + "]"
          + (noiseInputs.isEmpty() ? "" : " with " + noiseInputs.describe(1)) + ": " + firstLine(e.getMessage()), e);
    }
  }

  /** An image model for {@code task}: its noise from its restorelab.json when it has one, else from the config. */
  private static Contract image(SavedModelBundle bundle, Signature sig, SavedModelConfig config, Path dir,
      RestorationTask task) {
    Graph g = bundle.graph();
    ModelInput y = ModelInput.of(g, sig, config.getInputY(), dir, null);
    Output<TFloat32> rawOutput = tensor(g, sig, config.getOutput(), false, dir);
    JsonObject meta = ModelMetadata.read(dir);
    NoiseConfig fromModel = noise(config, meta, task, dir);
    NoiseInputs noiseInputs = config.getInputZ().isEmpty() ? NoiseInputs.none() : zInputs(g, sig, config, fromModel,
        meta != null && meta.has("noise_dim") ? Integer.valueOf(fromModel.getDim())
            : config.getNoise().hasDim() ? config.getNoise().getDim() : null, dir);
    NoiseConfig noise = noiseInputs.isEmpty()
        ? NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(0).build()
        : fromModel.toBuilder().setDim(noiseInputs.inputs().get(0).size()).build();
    requireAllInputsFed(g, sig, config.getInputY(), noiseInputs.keys(), dir);
    checkShape(y.shape(), task.measurementShape(), "input '" + config.getInputY() + "'", dir, task);
    checkShape(rawOutput.shape(), task.signalShape(), "output '" + config.getOutput() + "'", dir, task);
    return new Contract(y, rawOutput, noiseInputs, noise, task.measurementShape(), task.signalShape(), 0, task);
  }

  /** Runs one zero input through an image model: an output of another size is an error naming the folder. */
  private void probe(RestorationTask task) {
    float[] zeros = new float[measurementSize()];
    try (TFloat32 ty = y.tensor(zeros, Shape.of(1).append(measurementShape))) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(rawOutput);
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, new float[noiseInputs.floatsPerRow()], 1); Result res = r.run()) {
        Shape out = res.get(0).shape();
        if (out.size() != signalSize()) {
          throw new ConfigException("SavedModel " + dir + " outputs images of shape " + out + " for one input; the data's"
              + " images are [" + dims(task.signalShape()) + "] (task " + task.name() + ")");
        }
      }
    } catch (IllegalArgumentException | IllegalStateException | TensorFlowException e) {
      throw new ConfigException("SavedModel " + dir + " fails on an input of shape [1, " + dims(measurementShape)
          + "]" + (noiseInputs.isEmpty() ? "" : " with " + noiseInputs.describe(1)) + ": "
          + firstLine(e.getMessage()), e);
    }
  }

  /** The first line of a TensorFlow message (they carry multi-line stack traces of the graph). */
  static String firstLine(String message) {
    if (message == null) {
      return "";
    }
    int nl = message.indexOf('\n');
    return nl < 0 ? message : message.substring(0, nl);
  }

  /**
   * Every signature input is fed: an input other than y and the noise inputs (a Placeholder, not a
   * PlaceholderWithDefault) would make TensorFlow fail at the first run; name it instead.
   */
  static void requireAllInputsFed(Graph g, Signature sig, String yKey, List<String> noiseKeys, Path dir) {
    List<String> unfed = new ArrayList<>();
    for (var e : sig.getInputs().entrySet()) {
      if (e.getKey().equals(yKey) || noiseKeys.contains(e.getKey())) {
        continue;
      }
      String opName = e.getValue().name.contains(":") ? e.getValue().name.substring(0, e.getValue().name.lastIndexOf(':'))
          : e.getValue().name;
      var op = g.operation(opName);
      if (op == null || op.type().equals("Placeholder")) {
        unfed.add(e.getKey());
      }
    }
    if (!unfed.isEmpty()) {
      throw new ConfigException("SavedModel " + dir + ", signature " + sig.key() + ": input(s) " + String.join(", ", unfed)
          + " would not be fed; declare a noise input in model.extra_noise { input: \"" + unfed.get(0)
          + "\" } (or as model.input_z)");
    }
  }

  /**
   * An output with NaN or infinity cannot be scored (and would poison every mean): an error naming
   * the model, its folder and how many of the batch's n rows (of {@code width} values) failed.
   */
  static void requireFinite(float[] values, int n, int width, Path dir, String name) {
    int bad = 0;
    for (int i = 0; i < n; i++) {
      for (int j = i * width; j < (i + 1) * width; j++) {
        if (!Float.isFinite(values[j])) {
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

  /** Loads the SavedModel in {@code dir} (tag serve); a broken one is an error naming the folder. */
  static SavedModelBundle open(Path dir) {
    SavedModelBundle bundle;
    try {
      bundle = TfSessions.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (RuntimeException e) {
      throw new ConfigException("SavedModel folder " + dir + " cannot be loaded: " + e.getMessage(), e);
    }
    try {
      requireVariables(bundle.graph(), dir);
      return bundle;
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  /**
   * A graph with variable ops needs their values in variables/variables.index (TensorFlow loads
   * such a folder without complaint, then fails at the first run with "uninitialized value"). A
   * SavedModel without variables legitimately has no variables/ folder.
   */
  static void requireVariables(Graph g, Path dir) {
    Path index = dir.resolve("variables").resolve("variables.index");
    if (Files.isRegularFile(index)) {
      return;
    }
    for (Iterator<GraphOperation> it = g.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (VARIABLE_OPS.contains(op.type())) {
        throw new ConfigException("SavedModel folder " + dir + " has no " + dir.relativize(index) + " but its graph has"
            + " variables (e.g. " + op.type() + " '" + op.name() + "'): the weights are missing; copy the whole"
            + " SavedModel folder, variables/ included");
      }
    }
  }

  /** The signature {@code key} of {@code bundle}, or an error listing the ones it has. */
  static Signature signature(SavedModelBundle bundle, String key, Path dir) {
    return bundle.signatures().stream().filter(s -> s.key().equals(key)).findFirst()
        .orElseThrow(() -> new ConfigException("SavedModel " + dir + " has no signature '" + key
            + "' (it has: " + String.join(", ", bundle.signatures().stream().map(Signature::key).toList()) + ")"));
  }

  /** The model's folder, if it exists and holds saved_model.pb; otherwise an error naming it. */
  public static Path checkFolder(SavedModelConfig config) {
    return checkFolder(Path.of(config.getPath()));
  }

  /** {@code dir}, if it exists and holds saved_model.pb; otherwise an error naming it. */
  public static Path checkFolder(Path dir) {
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("SavedModel folder " + dir + " does not exist");
    }
    if (!Files.isRegularFile(dir.resolve("saved_model.pb"))) {
      throw new ConfigException("SavedModel folder " + dir + " has no saved_model.pb");
    }
    return dir;
  }

  @SuppressWarnings("unchecked")
  static Output<TFloat32> tensor(Graph g, Signature sig, String key, boolean input, Path dir) {
    Signature.TensorDescription d = (input ? sig.getInputs() : sig.getOutputs()).get(key);
    if (d == null) {
      throw new ConfigException("SavedModel " + dir + ", signature " + sig.key() + ": no " + (input ? "input" : "output")
          + " named '" + key + "' (it has: " + String.join(", ", (input ? sig.getInputs() : sig.getOutputs()).keySet()) + ")");
    }
    String opName = d.name.contains(":") ? d.name.substring(0, d.name.lastIndexOf(':')) : d.name;
    int index = d.name.contains(":") ? Integer.parseInt(d.name.substring(d.name.lastIndexOf(':') + 1)) : 0;
    var op = g.operation(opName);
    if (op == null) {
      throw new ConfigException("SavedModel " + dir + ": tensor " + d.name + " of '" + key + "' is not in the graph");
    }
    Output<?> out = op.output(index);
    if (out.type() != TFloat32.class) {
      throw new ConfigException("SavedModel " + dir + ": '" + key + "' must be float32, it is " + d.dataType);
    }
    return (Output<TFloat32>) out;
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
        tensor(g, sig, config.getInputZ(), true, dir);
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

  /** The SavedModel folder. */
  public Path dir() {
    return dir;
  }

  public NoiseConfig noise() {
    return noise;
  }

  /** Whether z is drawn at random (a model with a z input fed zeros is deterministic). */
  @Override
  public boolean stochastic() {
    return noise.getDistribution() != NoiseConfig.Distribution.ZERO;
  }

  /** Floats of a row of y (a toy model's d). */
  public int measurementSize() {
    return (int) measurementShape.size();
  }

  /** Floats of a row of x_hat (a toy model's k, an image's h * w * 3). */
  @Override
  public int signalSize() {
    return (int) signalShape.size();
  }

  /** The columns of a toy x_hat that repeat y (0 for an image model). */
  public int measurementColumns() {
    return measurementColumns;
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

  /**
   * x_hat [n * signal] and, for an image model, the per-row consistency MSE (null for a toy model)
   * for y [n * measurement], z [n * noiseDim] (ignored for a model without z).
   */
  public Outputs run(float[] yv, float[] zv, int n) {
    try (TFloat32 ty = batchY(yv, n)) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(xHat);
      if (consistencyMse != null) {
        r.fetch(consistencyMse);
      }
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        Shape shape = res.get(0).shape();
        if (!shape.equals(Shape.of(n).append(signalShape))) {
          throw new ConfigException("SavedModel " + dir + " output shape " + shape + " for " + n + " inputs; expected ["
              + n + ", " + dims(signalShape) + "]");
        }
        float[] out = new float[n * signalSize()];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
        requireFinite(out, n, signalSize(), dir, name);
        float[] mse = null;
        if (consistencyMse != null) {
          mse = new float[n];
          ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(mse);
        }
        return new Outputs(out, mse);
      }
    }
  }

  /** x_hat alone, [n * signal] ({@link #run}). */
  public float[] outputs(float[] yv, float[] zv, int n) {
    return run(yv, zv, n).images();
  }

  /** {@link #run}: a SavedModel sees only y and z, not which inputs they are. */
  @Override
  public Outputs sample(int first, float[] yv, float[] zv, int n) {
    return run(yv, zv, n);
  }

  /**
   * Per-row |c(x_hat(y_in, z)) - target|^2 [n] (c: a toy model's columns after the measurement's,
   * an image model's whole image); its gradient w.r.t. y_in into {@code grad} when not null.
   */
  public float[] distanceAndGradient(float[] yIn, float[] zv, float[] targets, int n, float[] grad) {
    try (TFloat32 ty = batchY(yIn, n); TFloat32 tt = batch(targets, n, targetShape)) {
      Session.Runner r = session.runner().feed(y.output(), ty).feed(target, tt).fetch(distance);
      if (grad != null) {
        r.fetch(gradY);
      }
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        float[] d = new float[n];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(d);
        if (consistencyMse == null) { // a toy model's distances are checked, as its outputs are
          requireFinite(d, n, 1, dir, name);
        }
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
