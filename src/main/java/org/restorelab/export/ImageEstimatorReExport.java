package org.restorelab.export;

import com.google.gson.JsonObject;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SignatureNames;
import org.restorelab.train.Checkpoint;
import org.tensorflow.GraphOperation;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.SessionFunction;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * One of our image estimator SavedModels (a U-Net, or a conditional flow) written again by today's
 * {@link EstimatorExport} or {@link ConditionalFlowExport} from its own weights and training
 * config (both inside it), so that an export made before super-resolution models took any size
 * gains the any-size signatures. The copy is checked
 * against the original: {@code serving_default} on the same y and z at the trained size.
 */
public final class ImageEstimatorReExport {
  /** What was written and how far the copy's output is from the original's at the trained size. */
  public record Outcome(String name, String task, int variables, int inputs, double maxAbsDifference) {}

  /** Inputs of the equality check. */
  static final int CHECK_INPUTS = 8;
  /** The largest |difference| a copy may show on the check inputs. */
  public static final double TOLERANCE = 1e-5;
  private static final long CHECK_SEED = 2023;
  /** A flow's temperature in the check (its serving signature takes one). */
  private static final float CHECK_TEMPERATURE = 0.9f;

  private ImageEstimatorReExport() {}

  /**
   * Re-exports {@code model} into {@code target}; the metadata's provenance is {@code provenance}
   * with the original's under {@code reexported_from}.
   */
  public static Outcome reexport(Path model, Path target, JsonObject provenance) throws IOException {
    JsonObject meta = ModelMetadata.read(model);
    String what = model + "/" + ModelMetadata.FILE;
    boolean flow = "conditional-flow".equals(string(meta, "kind"));
    if (!ModelMetadata.IMAGE_ESTIMATOR.equals(string(meta, "format")) || meta.has("kind") && !flow) {
      throw new ConfigException(what + ": format " + string(meta, "format") + (meta.has("kind") ? ", kind "
          + string(meta, "kind") : "") + "; only our image estimators (" + ModelMetadata.IMAGE_ESTIMATOR
          + ": U-Nets and conditional flows) can be re-exported");
    }
    if (!meta.has("training_config")) {
      throw new ConfigException(what + ": no training_config to rebuild the graph from");
    }
    if (flow) {
      return reexportFlow(model, target, provenance, meta, what);
    }
    ImageGanConfig config = trainingConfig(meta, ImageGanConfig.class, "image_gan", what);
    Map<String, Checkpoint.Tensor> weights = weights(model);
    EstimatorExport.export(config, weights, target, stamp(provenance, model, meta));
    double diff = maxDifference(model, target, meta.get("measurement_shape").getAsString(),
        meta.get("noise_dim").getAsLong(), CHECK_SEED);
    return new Outcome(config.getName(), string(meta, "task"), weights.size(), CHECK_INPUTS, diff);
  }

  /**
   * A conditional flow. Its training config names its scale bound (exports since the bound write
   * it out). One without scale_eps was exported either before the bound existed (scales
   * sigmoid(h + 2), no eps) or, between a051ef6 and the explicit bound, with the default eps 1e-4
   * left unwritten: the copy is made with eps 0 first and, if that does not reproduce the
   * original's output, again with the default.
   */
  private static Outcome reexportFlow(Path model, Path target, JsonObject provenance, JsonObject meta, String what)
      throws IOException {
    ConditionalFlowConfig config = trainingConfig(meta, ConditionalFlowConfig.class, "conditional_flow", what);
    Map<String, Checkpoint.Tensor> weights = weights(model);
    List<ConditionalFlowConfig> candidates = config.getFlow().hasScaleEps() ? List.of(config)
        : List.of(config.toBuilder().setFlow(config.getFlow().toBuilder().setScaleEps(0)).build(), config);
    double diff = Double.NaN;
    for (ConditionalFlowConfig candidate : candidates) {
      ConditionalFlowExport.export(candidate, weights, target, stamp(provenance, model, meta),
          meta.has("training") ? meta.getAsJsonObject("training") : null);
      diff = maxDifference(model, target, meta.get("measurement_shape").getAsString(),
          meta.get("noise_dim").getAsLong(), CHECK_SEED);
      if (diff <= TOLERANCE) {
        break;
      }
    }
    return new Outcome(config.getName(), string(meta, "task"), weights.size(), CHECK_INPUTS, diff);
  }

  /** The metadata's training_config parsed as {@code type}, or a one-line error naming the model and the config kind. */
  private static <M extends com.google.protobuf.Message> M trainingConfig(JsonObject meta, Class<M> type, String kind,
      String what) {
    try {
      return TextFormat.parse(meta.get("training_config").getAsString(), type);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException(what + ": training_config is not a " + kind + " config: " + e.getMessage());
    }
  }

  private static JsonObject stamp(JsonObject provenance, Path model, JsonObject meta) {
    JsonObject stamped = provenance.deepCopy();
    JsonObject from = new JsonObject();
    from.addProperty("path", model.toString());
    if (meta.has("provenance")) {
      from.add("provenance", meta.get("provenance"));
    }
    stamped.add("reexported_from", from);
    return stamped;
  }

  /** Every variable of the SavedModel, by name (our exports hold reference variables named as in training). */
  static Map<String, Checkpoint.Tensor> weights(Path model) {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    try (SavedModelBundle bundle = TfSessions.load(model.toString(), SavedModelBundle.DEFAULT_TAG)) {
      List<String> names = new ArrayList<>();
      Iterator<GraphOperation> ops = bundle.graph().operations();
      while (ops.hasNext()) {
        GraphOperation op = ops.next();
        if (op.type().equals("VariableV2")) {
          names.add(op.name());
        }
      }
      org.tensorflow.Session.Runner r = bundle.session().runner();
      names.forEach(r::fetch);
      try (Result result = r.run()) {
        for (int i = 0; i < names.size(); i++) {
          out.put(names.get(i), Checkpoint.Tensor.of((TFloat32) result.get(i)));
        }
      }
    }
    return out;
  }

  /** max |x_hat - x_hat'| of serving_default on the same random y and z at the trained size. */
  static double maxDifference(Path original, Path copy, String measurementShape, long noiseDim, long seed) {
    long[] m = java.util.Arrays.stream(measurementShape.replaceAll("[\\[\\] ]", "").split(","))
        .mapToLong(Long::parseLong).toArray();
    SplittableRandom random = new SplittableRandom(seed);
    float[] y = new float[(int) (CHECK_INPUTS * m[0] * m[1] * m[2])];
    for (int i = 0; i < y.length; i++) {
      y[i] = (float) random.nextDouble();
    }
    float[] z = new float[(int) (CHECK_INPUTS * noiseDim)];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) random.nextGaussian();
    }
    float[] a = output(original, y, Shape.of(CHECK_INPUTS, m[0], m[1], m[2]), z, Shape.of(CHECK_INPUTS, noiseDim));
    float[] b = output(copy, y, Shape.of(CHECK_INPUTS, m[0], m[1], m[2]), z, Shape.of(CHECK_INPUTS, noiseDim));
    if (a.length != b.length) {
      throw new IllegalStateException("the re-export's x_hat has " + b.length + " values, the original's " + a.length);
    }
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs((double) a[i] - b[i]));
    }
    return max;
  }

  private static float[] output(Path model, float[] y, Shape yShape, float[] z, Shape zShape) {
    try (SavedModelBundle bundle = TfSessions.load(model.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 ty = TFloat32.tensorOf(yShape, DataBuffers.of(y, true, false));
        TFloat32 tz = TFloat32.tensorOf(zShape, DataBuffers.of(z, true, false))) {
      SessionFunction f = bundle.function(SignatureNames.SERVING_DEFAULT);
      Map<String, Tensor> inputs = new java.util.HashMap<>(Map.of(SignatureNames.Y, ty, SignatureNames.Z, tz));
      try (TFloat32 temperature = TFloat32.scalarOf(CHECK_TEMPERATURE)) {
        if (f.signature().inputNames().contains(SignatureNames.TEMPERATURE)) { // a flow: the same temperature for both
          inputs.put(SignatureNames.TEMPERATURE, temperature);
        }
        return call(f, inputs);
      }
    }
  }

  private static float[] call(SessionFunction f, Map<String, Tensor> inputs) {
    try (Result r = f.call(inputs)) {
      Tensor t = r.get(SignatureNames.X_HAT).orElseThrow();
      float[] out = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(out);
      return out;
    }
  }

  private static String string(JsonObject o, String key) {
    return o.has(key) ? o.get(key).getAsString() : "(none)";
  }
}
