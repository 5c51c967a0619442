package org.restorelab.evaluate;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.export.ToyEstimatorExport;
import org.restorelab.graph.Graphs;
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
 * Any SavedModel with a (y, z) -> x_hat signature, loaded for evaluation, with the attack's
 * gradient built around the loaded graph: for a fed target t, the per-row squared distance
 * |x_hat(y_in, z)[:, m:] - t|^2 (m = measurement columns) and its gradient w.r.t. y_in.
 */
public final class LoadedEstimator implements AutoCloseable {
  private final String name;
  private final SavedModelBundle bundle;
  private final Session session;
  private final Output<TFloat32> y;
  private final Output<TFloat32> z;
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
    this.bundle = bundle;
    this.session = bundle.session();
    Signature sig = signature(bundle, config.getSignature(), dir);
    Graph g = bundle.graph();
    y = tensor(g, sig, config.getInputY(), true, dir);
    z = config.getInputZ().isEmpty() ? null : tensor(g, sig, config.getInputZ(), true, dir);
    xHat = tensor(g, sig, config.getOutput(), false, dir);
    JsonObject meta = metadata(dir);
    if (meta != null) {
      NoiseConfig.Builder nb = NoiseConfig.newBuilder()
          .setDistribution(NoiseConfig.Distribution.valueOf(meta.get("noise_distribution").getAsString()))
          .setDim(meta.get("noise_dim").getAsInt());
      noise = nb.build();
      measurementColumns = meta.get("measurement_columns").getAsInt();
    } else {
      noise = config.getNoise();
      measurementColumns = config.getMeasurementColumns();
    }
    yDim = (int) y.shape().get(1);
    outDim = (int) xHat.shape().get(1);
    if (yDim < 1 || outDim < 1) {
      throw new ConfigException("SavedModel " + dir + ": y and x_hat must have a known second dimension, got "
          + y.shape() + " and " + xHat.shape());
    }
    Ops tf = Ops.create(g);
    target = tf.withName("restorelab_eval_target").placeholder(TFloat32.class,
        Placeholder.shape(Shape.of(-1, outDim - measurementColumns)));
    Operand<TFloat32> estimate = tf.slice(xHat, tf.constant(new int[] {0, measurementColumns}), tf.constant(new int[] {-1, -1}));
    perRow = Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(estimate, target)));
    gradY = Graphs.gradients(tf, Graphs.sumAll(tf, perRow), List.of(y)).get(0);
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
    try {
      return SavedModelBundle.load(dir.toString(), SavedModelBundle.DEFAULT_TAG);
    } catch (RuntimeException e) {
      throw new ConfigException("SavedModel folder " + dir + " cannot be loaded: " + e.getMessage(), e);
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

  static JsonObject metadata(Path dir) {
    Path file = dir.resolve(ToyEstimatorExport.METADATA);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("SavedModel " + dir + ": unreadable " + ToyEstimatorExport.METADATA + ": " + e.getMessage());
    }
  }

  public String name() {
    return name;
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

  /** x_hat for n rows of y [n * yDim] and z [n * zDim] (z ignored for a model without z). */
  public float[] outputs(float[] yv, float[] zv, int n) {
    try (TFloat32 ty = tensor(yv, n, yDim); TFloat32 tz = z == null ? null : tensor(zv, n, zv.length / Math.max(1, n))) {
      Session.Runner r = session.runner().feed(y, ty).fetch(xHat);
      if (z != null) {
        r.feed(z, tz);
      }
      try (Result res = r.run()) {
        float[] out = new float[n * outDim];
        ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(out);
        return out;
      }
    }
  }

  /** Per-row |x_hat(y_in, z)[:, m:] - target|^2 [n], and its gradient w.r.t. y_in into {@code grad}. */
  public float[] distanceAndGradient(float[] yIn, float[] zv, float[] targetValues, int n, float[] grad) {
    try (TFloat32 ty = tensor(yIn, n, yDim);
        TFloat32 tz = z == null ? null : tensor(zv, n, zv.length / Math.max(1, n));
        TFloat32 tt = tensor(targetValues, n, outDim - measurementColumns)) {
      Session.Runner r = session.runner().feed(y, ty).feed(target, tt).fetch(perRow);
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

  private static TFloat32 tensor(float[] v, int rows, int cols) {
    return TFloat32.tensorOf(Shape.of(rows, cols), DataBuffers.of(v, true, false));
  }

  @Override
  public void close() {
    bundle.close();
  }
}
