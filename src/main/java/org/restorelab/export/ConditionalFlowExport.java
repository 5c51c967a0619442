package org.restorelab.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.estimator.ReflectPadding;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.run.TfSessions;
import org.restorelab.task.SuperResolution;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ConditionalFlowGraph;
import org.restorelab.train.ConditionalFlowTrainer;
import org.restorelab.train.VariableStore;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SignatureNames;
import org.restorelab.savedmodel.SpatialSizes;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Exports a trained conditional flow as a lean sampling SavedModel (tag {@code serve}); images are
 * NHWC float32 in [0, 1], {@code temperature} is a float32 scalar that defaults to the config's
 * (0.9, SRFlow's heat) when not fed. y may have any size (see {@link SpatialSizes}): it is
 * reflection-padded until the levels divide the output ({@link ReflectPadding}), every latent has
 * the padded size, and x_hat is cropped back; the shapes below are at the trained size S:
 * <ul>
 *   <li>{@code serving_default}: {@code y} [n, S/s, S/s, 3] and {@code z} [n, S S 3] (every level's
 *       standard normal latent, flattened and concatenated in level order) -> {@code x_hat}: the
 *       (y, z) -> x_hat interface every RestoreLab evaluation loads;
 *   <li>{@code per_level}: {@code y}, {@code z1} ... {@code zL} (each [n, h_l, w_l, c_l]) -> {@code x_hat};
 *   <li>{@code sample}: {@code y} and {@code seed} [2] int64 (z drawn inside) -> {@code x_hat}.
 * </ul>
 * x_hat = clip(decode + 1/2, 0, 1). {@code assets.extra/restorelab.json} records the task, the
 * noise (NORMAL, dimension S S 3), the latent shapes at S, the accepted sizes ({@code sizes}), the
 * temperature and the training config.
 */
public final class ConditionalFlowExport {
  private ConditionalFlowExport() {}

  public static void export(ConditionalFlowConfig config, Map<String, Checkpoint.Tensor> weights, Path target,
      JsonObject provenance, JsonObject training) throws IOException {
    Path staging = StagedExport.staging(target);
    SuperResolution task = ConditionalFlowTrainer.task(config, "conditional_flow");
    int side = config.getData().getImageSize();
    List<Shape> latentShapes;
    long latentSize;
    SpatialSizes sizes;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, ConditionalFlowGraph.NETWORK, 0, TFloat32.class);
      Parameters<TFloat32> fixed = new Parameters<>(tf, ConditionalFlowGraph.FIXED, 0, TFloat32.class);
      ConditionalFlow<TFloat32> flow = new ConditionalFlow<>(params, fixed, config.getFlow(), side, task.scale());
      latentShapes = flow.latentShapes();
      latentSize = flow.latentSize();
      flow.decodingAnySize();
      sizes = SpatialSizes.anySize(1 << config.getFlow().getLevels(), task.scale(), noiseLevels(flow.latentChannels()));
      VariableStore store = new VariableStore(tf, List.of(params, fixed));
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      Operand<TFloat32> temperature = tf.withName("temperature").placeholderWithDefault(
          tf.constant((float) config.getTemperature()), Shape.scalar());
      Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
      List<Placeholder<TFloat32>> levels = new ArrayList<>();
      for (int l = 0; l < latentShapes.size(); l++) {
        levels.add(tf.withName("z" + (l + 1)).placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, -1, -1, latentShapes.get(l).get(2)))));
      }
      Placeholder<TInt64> seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      // any size: y padded by reflection to what the levels divide, x_hat cropped back (ReflectPadding)
      Operand<TFloat32> padded = ReflectPadding.pad(tf, y, sizes.lowResolutionMultiple());
      Operand<TInt32> scale = tf.constant(task.scale());
      Operand<TInt32> paddedH = tf.math.mul(Graphs.dim(tf, padded, 1), scale);
      Operand<TInt32> paddedW = tf.math.mul(Graphs.dim(tf, padded, 2), scale);
      Operand<TInt32> h = tf.math.mul(Graphs.dim(tf, y, 1), scale);
      Operand<TInt32> w = tf.math.mul(Graphs.dim(tf, y, 2), scale);
      Operand<TFloat32> fromFlat = tf.withName("x_hat").identity(ReflectPadding.crop(tf,
          ConditionalFlowGraph.image(tf, flow.decode(tf, flow.splitLatents(tf, z, paddedH, paddedW), padded, temperature)),
          h, w));
      Operand<TFloat32> fromLevels = tf.withName("x_hat_per_level").identity(ReflectPadding.crop(tf,
          ConditionalFlowGraph.image(tf, flow.decode(tf, new ArrayList<>(levels), padded, temperature)), h, w));
      Operand<TInt64> paddedLatentSize = tf.dtypes.cast(tf.math.mul(tf.math.mul(paddedH, paddedW), tf.constant(3)),
          TInt64.class); // a flow keeps the dimension: H W 3
      Operand<TFloat32> drawn = tf.random.statelessRandomNormal(
          tf.stack(List.of(Graphs.rows(tf, y), paddedLatentSize)), seed, TFloat32.class);
      Operand<TFloat32> sampled = tf.withName("x_hat_sample").identity(ReflectPadding.crop(tf, ConditionalFlowGraph.image(
          tf, flow.decode(tf, flow.splitLatents(tf, drawn, paddedH, paddedW), padded, temperature)), h, w));
      Signature.Builder perLevel = Signature.builder().key(SignatureNames.PER_LEVEL)
          .methodName(SignatureNames.PREDICT_METHOD).input(SignatureNames.Y, y)
          .input(SignatureNames.TEMPERATURE, temperature);
      for (int l = 0; l < levels.size(); l++) {
        perLevel.input("z" + (l + 1), levels.get(l));
      }
      try (Session session = TfSessions.open(g)) {
        store.assign(session, weights, "trained weights");
        SavedModelBundle.exporter(staging.toString()).withSession(session).withSignatures(
            Signature.builder().key(SignatureNames.SERVING_DEFAULT).methodName(SignatureNames.PREDICT_METHOD)
                .input(SignatureNames.Y, y).input(SignatureNames.Z, z).input(SignatureNames.TEMPERATURE, temperature)
                .output(SignatureNames.X_HAT, fromFlat).build(),
            perLevel.output(SignatureNames.X_HAT, fromLevels).build(),
            Signature.builder().key(SignatureNames.SAMPLE).methodName(SignatureNames.PREDICT_METHOD)
                .input(SignatureNames.Y, y).input(SignatureNames.SEED, seed).input(SignatureNames.TEMPERATURE, temperature)
                .output(SignatureNames.X_HAT, sampled).build())
            .export();
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.IMAGE_ESTIMATOR);
    meta.addProperty("kind", "conditional-flow");
    meta.addProperty("name", config.getName());
    meta.addProperty("task", task.name());
    meta.addProperty("image_size", side);
    meta.addProperty("measurement_shape", task.measurementShape().toString());
    meta.addProperty("noise_distribution", NoiseConfig.Distribution.NORMAL.name());
    meta.addProperty("noise_dim", latentSize);
    meta.addProperty("stochastic", true);
    meta.addProperty("temperature", config.getTemperature());
    JsonArray shapes = new JsonArray();
    latentShapes.forEach(s -> shapes.add(s.toString()));
    meta.add("latent_shapes", shapes);
    meta.add("sizes", sizes.toJson());
    meta.addProperty("training_config", com.google.protobuf.TextFormat.printer().printToString(withExplicitScaleBound(config)));
    if (training != null) {
      meta.add("training", training);
    }
    meta.add("provenance", provenance);
    StagedExport.publish(staging, meta, target);
  }

  /**
   * {@code config} with the scale bound it was built with written out (scale_offset, scale_eps),
   * so that a reader of training_config can tell a flow with the default bound from one exported
   * before the bound existed (no scale_eps: no eps).
   */
  static ConditionalFlowConfig withExplicitScaleBound(ConditionalFlowConfig config) {
    return config.toBuilder().setFlow(config.getFlow().toBuilder().setScaleOffset(config.getFlow().getScaleOffset())
        .setScaleEps(config.getFlow().getScaleEps())).build();
  }

  /** Level l's latent: the output's spatial size over 2^(l+1), c_l deep. */
  private static List<SpatialSizes.NoiseLevel> noiseLevels(int[] channels) {
    List<SpatialSizes.NoiseLevel> out = new ArrayList<>();
    for (int l = 0; l < channels.length; l++) {
      out.add(new SpatialSizes.NoiseLevel(2 << l, channels[l]));
    }
    return out;
  }
}
