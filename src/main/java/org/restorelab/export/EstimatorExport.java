package org.restorelab.export;

import com.google.gson.JsonObject;
import com.google.protobuf.Message;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.LongFunction;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.ImageGanConfig.ComputePrecision;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.ReflectPadding;
import org.restorelab.estimator.TrainableEstimator;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.SuperResolution;
import org.restorelab.task.Tasks;
import org.restorelab.task.ToyProjection;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.GanGraph;
import org.restorelab.train.VariableStore;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;

/**
 * Exports a trained GAN estimator, toy or image, as a lean inference SavedModel (the estimator's
 * weights and batch-norm moving averages; no critic, no optimizer slots), tag {@code serve}, with
 * two signatures:
 * <ul>
 *   <li>{@code serving_default}: {@code y} [n, measurement shape] (the toy's x1 [n, 1], the masked
 *       image, the low-resolution image) and {@code z} [n, dz] -> {@code x_hat} [n, signal shape]
 *       (the toy's [n, 2], images' NHWC float32 in [0, 1]);
 *   <li>{@code sample}: {@code y} and {@code seed} [2] int64; z drawn inside (zeros for a
 *       deterministic estimator) -> {@code x_hat}.
 * </ul>
 * Batch norm runs in inference mode. A super-resolution export takes y of any size
 * ([-1, -1, -1, 3]; z's length follows it, see {@link SpatialSizes}): y is reflection-padded to
 * what the U-Net divides ({@link ReflectPadding}) and x_hat cropped back; at the trained size
 * nothing is padded. {@code assets.extra/restorelab.json} records the format, the noise and the
 * training config, and for images the task, shapes and accepted sizes ({@code sizes}; noise_dim at
 * the trained size). The folder is written beside the target and renamed into place.
 */
public final class EstimatorExport {
  private EstimatorExport() {}

  /**
   * What differs between kinds: the metadata format, G for the export's task (of any size for
   * super-resolution: {@code sizes} non-null), and the kind's metadata fields, written between
   * {@code name} and {@code training_config} from the export's noise size (-1 for any size).
   */
  private record Kind(String format, String name, Message trainingConfig, NoiseConfig.Distribution noise,
      GanGraph.EstimatorFactory estimator, RestorationTask graphTask, SpatialSizes sizes,
      LongFunction<JsonObject> fields) {}

  /** A toy estimator ({@link ModelMetadata#TOY_ESTIMATOR}). */
  public static void export(ToyGanConfig config, Map<String, Checkpoint.Tensor> weights, Path target,
      JsonObject provenance) throws IOException {
    export(new Kind(ModelMetadata.TOY_ESTIMATOR, config.getName(), config, config.getNoise().getDistribution(),
        GanGraph.Spec.toyEstimator(config), ToyProjection.INSTANCE, null, noiseSize -> {
          JsonObject meta = new JsonObject();
          meta.addProperty("noise_distribution", config.getNoise().getDistribution().name());
          meta.addProperty("noise_dim", config.getNoise().getDim());
          meta.addProperty("stochastic", LatentNoise.stochastic(config.getNoise()));
          meta.addProperty("measurement_columns", 1);
          return meta;
        }), weights, target, provenance);
  }

  /** An image estimator ({@link ModelMetadata#IMAGE_ESTIMATOR}, the U-Net's; the flow's is {@link ConditionalFlowExport}). */
  public static void export(ImageGanConfig config, Map<String, Checkpoint.Tensor> weights, Path target,
      JsonObject provenance) throws IOException {
    RestorationTask task = Tasks.create(config.getTask(), config.getData().getImageSize(), "image_gan.task");
    // super-resolution exports take any size (see SpatialSizes); inpainting's mask is fixed by its rows
    RestorationTask graphTask = task instanceof SuperResolution sr ? SuperResolution.anySize(sr.scale()) : task;
    SpatialSizes sizes = task instanceof SuperResolution sr ? SpatialSizes.anySize(UNetEstimator.SPATIAL_MULTIPLE,
        sr.scale(), noiseLevels(config.getEstimator().getNoiseChannels())) : null;
    export(new Kind(ModelMetadata.IMAGE_ESTIMATOR, config.getName(), config, config.getNoise().getDistribution(),
        GanGraph.Spec.imageEstimator(config, config.getPrecision() == ComputePrecision.BFLOAT16_CONV), graphTask,
        sizes, noiseSize -> {
          JsonObject meta = new JsonObject();
          meta.addProperty("task", task.name());
          meta.addProperty("image_size", config.getData().getImageSize());
          meta.addProperty("measurement_shape", task.measurementShape().toString());
          meta.addProperty("noise_distribution", config.getNoise().getDistribution().name());
          meta.addProperty("noise_dim", sizes != null ? sizes.noiseDim((int) task.signalShape().get(0),
              (int) task.signalShape().get(1)) : noiseSize);
          meta.add("sizes", sizes != null ? sizes.toJson()
              : SpatialSizes.fixed(task.signalShape().get(0), task.signalShape().get(1)));
          meta.addProperty("stochastic", LatentNoise.stochastic(config.getNoise()));
          meta.addProperty("objective", config.getObjective().name());
          return meta;
        }), weights, target, provenance);
  }

  private static void export(Kind kind, Map<String, Checkpoint.Tensor> weights, Path target, JsonObject provenance)
      throws IOException {
    Path staging = StagedExport.staging(target);
    RestorationTask graphTask = kind.graphTask();
    long noiseSize;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, 0, TFloat32.class);
      Parameters<TFloat32> statistics = new Parameters<>(tf, GanGraph.ESTIMATOR_STATISTICS, 0, TFloat32.class);
      TrainableEstimator<TFloat32> estimator = kind.estimator().build(params, statistics, graphTask);
      VariableStore store = new VariableStore(tf, List.of(params, statistics));
      Placeholder<TInt64> seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> xHat;
      Operand<TFloat32> sampled;
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1).append(graphTask.measurementShape())));
      Placeholder<TFloat32> z;
      if (kind.sizes() != null) { // pad y, run, crop back (ReflectPadding); z follows the padded size
        UNetEstimator<TFloat32> unet = (UNetEstimator<TFloat32>) estimator;
        noiseSize = -1;
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
        Operand<TFloat32> padded = ReflectPadding.pad(tf, y, kind.sizes().lowResolutionMultiple());
        Operand<TInt32> scale = tf.constant(kind.sizes().scale());
        Operand<TInt32> h = tf.math.mul(Graphs.dim(tf, y, 1), scale);
        Operand<TInt32> w = tf.math.mul(Graphs.dim(tf, y, 2), scale);
        xHat = tf.withName("x_hat").identity(
            ReflectPadding.crop(tf, unet.apply(tf, padded, z, BatchNorm.Mode.INFERENCE).output(), h, w));
        Operand<TFloat32> drawn = LatentNoise.sample(tf, kind.noise(),
            unet.noiseSize(tf, graphTask.networkInput(tf, padded)), Graphs.rows(tf, y), seed, TFloat32.class);
        sampled = tf.withName("x_hat_sample").identity(
            ReflectPadding.crop(tf, unet.apply(tf, padded, drawn, BatchNorm.Mode.INFERENCE).output(), h, w));
      } else {
        noiseSize = estimator.noiseSize();
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, noiseSize)));
        xHat = tf.withName("x_hat").identity(estimator.apply(tf, y, z, BatchNorm.Mode.INFERENCE).output());
        Operand<TFloat32> drawn = LatentNoise.sample(tf, kind.noise(), noiseSize, Graphs.rows(tf, y), seed,
            TFloat32.class);
        sampled = tf.withName("x_hat_sample")
            .identity(estimator.apply(tf, y, drawn, BatchNorm.Mode.INFERENCE).output());
      }
      try (Session session = TfSessions.open(g)) {
        store.assign(session, weights, "trained weights");
        StagedExport.exportEstimator(session, staging, y, z, seed, xHat, sampled);
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", kind.format());
    meta.addProperty("name", kind.name());
    kind.fields().apply(noiseSize).entrySet().forEach(e -> meta.add(e.getKey(), e.getValue()));
    meta.addProperty("training_config", com.google.protobuf.TextFormat.printer().printToString(kind.trainingConfig()));
    meta.add("provenance", provenance);
    StagedExport.publish(staging, meta, target);
  }

  /** The U-Net's z levels: the input's spatial size over 1, 2, 4, 8, noise_channels deep. */
  private static List<SpatialSizes.NoiseLevel> noiseLevels(int channels) {
    return java.util.Arrays.stream(UNetEstimator.NOISE_DIVISORS).mapToObj(d -> new SpatialSizes.NoiseLevel(d, channels))
        .toList();
  }
}
