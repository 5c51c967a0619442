package org.restorelab.evaluate;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.graph.Graphs;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
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
 * Any SavedModel with a (y, z) -> x_hat signature, loaded for evaluation, with the attack's
 * gradient built around the loaded graph: for a fed target t, the per-row squared distance
 * |x_hat(y_in, z)[:, m:] - t|^2 (m = measurement columns) and its gradient w.r.t. y_in.
 * y is [n, d], x_hat [n, k] with k > m (checked on load, with one probe run); the noise inputs
 * are those of {@link NoiseInputs}. This class also holds the checks every SavedModel loader
 * goes through ({@link #checkFolder}, {@link #open}).
 */
public final class LoadedEstimator implements AutoCloseable {
  /** Op types that hold variables: a graph with one of them needs variables/variables.index. */
  static final Set<String> VARIABLE_OPS = Set.of("VarHandleOp", "VariableV2", "Variable", "_VarHandlesOp",
      "TemporaryVariable");

  private final String name;
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final ModelInput y;
  private final NoiseInputs noiseInputs;
  private final Output<TFloat32> xHat;
  private final Placeholder<TFloat32> target;
  private final Operand<TFloat32> perRow;
  private final Operand<TFloat32> gradY;
  private final NoiseConfig noise;
  private final int measurementColumns;
  private final int yDim;
  private final int outDim;

  private LoadedEstimator(String name, SavedModelBundle bundle, SavedModelConfig config, Path dir) {
    this.name = name;
    this.dir = dir;
    this.bundle = bundle;
    this.session = bundle.session();
    Signature sig = signature(bundle, config.getSignature(), dir);
    Graph g = bundle.graph();
    y = ModelInput.of(g, sig, config.getInputY(), dir, null);
    xHat = tensor(g, sig, config.getOutput(), false, dir);
    JsonObject meta = ModelMetadata.read(dir);
    NoiseConfig.Distribution distribution;
    Integer explicitDim;
    if (meta != null) {
      distribution = NoiseConfig.Distribution.valueOf(meta.get("noise_distribution").getAsString());
      explicitDim = meta.get("noise_dim").getAsInt();
      measurementColumns = meta.get("measurement_columns").getAsInt();
    } else {
      distribution = config.getNoise().getDistribution();
      explicitDim = config.getNoise().hasDim() ? config.getNoise().getDim() : null;
      measurementColumns = config.getMeasurementColumns();
    }
    noiseInputs = NoiseInputs.resolve(g, sig, config, distribution, explicitDim, dir);
    noise = NoiseConfig.newBuilder().setDistribution(distribution)
        .setDim(noiseInputs.isEmpty() ? (explicitDim == null ? config.getNoise().getDim() : explicitDim)
            : noiseInputs.inputs().get(0).size()).build();
    requireAllInputsFed(g, sig, config.getInputY(), noiseInputs.keys(), dir);
    Shape ys = y.shape();
    if (!ys.isUnknown() && ys.numDimensions() != 2) {
      throw new ConfigException("SavedModel " + dir + ": input '" + config.getInputY() + "' has shape " + ys
          + "; a toy model takes y [n, d]");
    }
    yDim = !ys.isUnknown() && ys.size(1) > 0 ? (int) ys.size(1) : 1;
    String expectedOut = "; a toy model outputs " + config.getOutput() + " [n, k] with k > measurement_columns = "
        + measurementColumns;
    Shape xs = xHat.shape();
    if (!xs.isUnknown() && (xs.numDimensions() != 2 || (xs.size(1) >= 0 && xs.size(1) <= measurementColumns))) {
      throw new ConfigException("SavedModel " + dir + ": output '" + config.getOutput() + "' has shape " + xs + expectedOut);
    }
    outDim = probe(config.getOutput(), expectedOut);
    Ops tf = Ops.create(g);
    target = tf.withName("restorelab_eval_target").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, outDim - measurementColumns)));
    Operand<TFloat32> estimate = tf.slice(xHat, tf.constant(new int[] {0, measurementColumns}), tf.constant(new int[] {-1, -1}));
    perRow = Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(estimate, target)));
    gradY = Graphs.gradients(tf, Graphs.sumAll(tf, perRow), List.of(y.output())).get(0);
  }

  /** Runs one zero row through the model; returns its output width, or an error naming the folder and the shape. */
  private int probe(String outputKey, String expected) {
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

  /**
   * Loads {@code config.path}; a missing folder, a folder without saved_model.pb or a broken
   * SavedModel is an error naming the folder.
   */
  public static LoadedEstimator load(SavedModelConfig config) {
    Path dir = checkFolder(config);
    SavedModelBundle bundle = open(dir);
    try {
      return new LoadedEstimator(config.getName().isEmpty() ? dir.getFileName().toString() : config.getName(),
          bundle, config, dir);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
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

  public boolean stochastic() {
    return noise.getDistribution() != NoiseConfig.Distribution.ZERO;
  }

  public int yDim() {
    return yDim;
  }

  public int outDim() {
    return outDim;
  }

  public int measurementColumns() {
    return measurementColumns;
  }

  /** Noise floats per row: the z input's and the extra noise inputs' (0 for a model without z). */
  public int noiseDim() {
    return noiseInputs.floatsPerRow();
  }

  /** Noise for {@code rows} rows from {@code random} (see {@link NoiseInputs} for layout and streams). */
  public float[] drawZ(int rows, SplittableRandom random) {
    return noiseInputs.draw(rows, random);
  }

  /** x_hat for n rows of y [n * yDim] and noise z [n * noiseDim] (ignored for a model without z). */
  public float[] outputs(float[] yv, float[] zv, int n) {
    try (TFloat32 ty = y.tensor(yv, Shape.of(n, yDim))) {
      Session.Runner r = session.runner().feed(y.output(), ty).fetch(xHat);
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        Shape shape = res.get(0).shape();
        if (shape.numDimensions() != 2 || shape.size(0) != n || shape.size(1) != outDim) {
          throw new ConfigException("SavedModel " + dir + " output shape " + shape + " for " + n + " inputs; expected ["
              + n + ", " + outDim + "]");
        }
        float[] out = new float[n * outDim];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
        requireFinite(out, n, outDim, dir, name);
        return out;
      }
    }
  }

  /** Per-row |x_hat(y_in, z)[:, m:] - target|^2 [n], and its gradient w.r.t. y_in into {@code grad}. */
  public float[] distanceAndGradient(float[] yIn, float[] zv, float[] targetValues, int n, float[] grad) {
    try (TFloat32 ty = y.tensor(yIn, Shape.of(n, yDim));
        TFloat32 tt = tensor(targetValues, n, outDim - measurementColumns)) {
      Session.Runner r = session.runner().feed(y.output(), ty).feed(target, tt).fetch(perRow);
      if (grad != null) {
        r.fetch(gradY);
      }
      try (NoiseInputs.Fed fed = noiseInputs.feed(r, zv, n); Result res = r.run()) {
        float[] d = new float[n];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(d);
        requireFinite(d, n, 1, dir, name);
        if (grad != null) {
          ((TFloat32) res.get(1)).asRawTensor().data().asFloats().read(grad);
        }
        return d;
      }
    }
  }

  private static TFloat32 tensor(float[] v, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(v, true, false));
  }

  @Override
  public void close() {
    bundle.close();
  }
}
