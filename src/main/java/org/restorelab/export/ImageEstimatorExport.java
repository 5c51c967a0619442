package org.restorelab.export;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ImageGanConfig.ComputePrecision;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.ReflectPadding;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.SpatialSizes;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.SuperResolution;
import org.restorelab.task.Tasks;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.GanGraph;
import org.restorelab.train.VariableStore;
import org.restorelab.savedmodel.ModelMetadata;
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
 * Exports a trained image estimator as a lean inference SavedModel (weights and batch-norm moving
 * averages; no critic, no optimizer), tag {@code serve}. Images are NHWC float32 in [0, 1]:
 * <ul>
 *   <li>{@code serving_default}: {@code y} [n, measurement shape] (the masked image, or the
 *       low-resolution image) and {@code z} [n, dz] -> {@code x_hat} [n, h, w, 3];
 *   <li>{@code sample}: {@code y} and {@code seed} [2] int64; z drawn inside (zeros for a
 *       deterministic estimator) -> {@code x_hat}.
 * </ul>
 * Batch norm runs in inference mode. A super-resolution export takes y of any size
 * ([-1, -1, -1, 3]; z's length follows it, see {@link SpatialSizes}): y is reflection-padded to
 * what the U-Net divides ({@link ReflectPadding}) and x_hat cropped back; at the trained size
 * nothing is padded. {@code assets.extra/restorelab.json} records the task, shapes, accepted
 * sizes ({@code sizes}), noise (noise_dim at the trained size) and training config.
 */
public final class ImageEstimatorExport {
  /** The metadata format shared by every image estimator export (U-Net and flow). */
  private ImageEstimatorExport() {}

  public static void export(ImageGanConfig config, Map<String, Checkpoint.Tensor> weights, Path target,
      JsonObject provenance) throws IOException {
    Path staging = StagedExport.staging(target);
    RestorationTask task = Tasks.create(config.getTask(), config.getData().getImageSize(), "image_gan.task");
    // super-resolution exports take any size (see SpatialSizes); inpainting's mask is fixed by its rows
    RestorationTask graphTask = task instanceof SuperResolution sr ? SuperResolution.anySize(sr.scale()) : task;
    SpatialSizes sizes = task instanceof SuperResolution sr ? SpatialSizes.anySize(UNetEstimator.SPATIAL_MULTIPLE,
        sr.scale(), noiseLevels(config.getEstimator().getNoiseChannels())) : null;
    long noiseSize;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, 0, TFloat32.class);
      Parameters<TFloat32> statistics = new Parameters<>(tf, GanGraph.ESTIMATOR_STATISTICS, 0, TFloat32.class);
      UNetEstimator<TFloat32> estimator = new UNetEstimator<>(params, statistics, config.getEstimator(), graphTask,
          config.getPrecision() == ComputePrecision.BFLOAT16_CONV);
      VariableStore store = new VariableStore(tf, List.of(params, statistics));
      Placeholder<TInt64> seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> xHat;
      Operand<TFloat32> sampled;
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1).append(graphTask.measurementShape())));
      Placeholder<TFloat32> z;
      if (sizes != null) { // pad y, run, crop back (ReflectPadding); z follows the padded size
        noiseSize = -1;
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
        Operand<TFloat32> padded = ReflectPadding.pad(tf, y, sizes.lowResolutionMultiple());
        Operand<TInt32> scale = tf.constant(sizes.scale());
        Operand<TInt32> h = tf.math.mul(Graphs.dim(tf, y, 1), scale);
        Operand<TInt32> w = tf.math.mul(Graphs.dim(tf, y, 2), scale);
        xHat = tf.withName("x_hat").identity(
            ReflectPadding.crop(tf, estimator.apply(tf, padded, z, BatchNorm.Mode.INFERENCE).output(), h, w));
        Operand<TFloat32> drawn = LatentNoise.sample(tf, config.getNoise().getDistribution(),
            estimator.noiseSize(tf, graphTask.networkInput(tf, padded)), Graphs.rows(tf, y), seed, TFloat32.class);
        sampled = tf.withName("x_hat_sample").identity(
            ReflectPadding.crop(tf, estimator.apply(tf, padded, drawn, BatchNorm.Mode.INFERENCE).output(), h, w));
      } else {
        noiseSize = estimator.noiseSize();
        z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, noiseSize)));
        xHat = tf.withName("x_hat").identity(estimator.apply(tf, y, z, BatchNorm.Mode.INFERENCE).output());
        Operand<TFloat32> drawn = LatentNoise.sample(tf, config.getNoise().getDistribution(), noiseSize,
            Graphs.rows(tf, y), seed, TFloat32.class);
        sampled = tf.withName("x_hat_sample")
            .identity(estimator.apply(tf, y, drawn, BatchNorm.Mode.INFERENCE).output());
      }
      try (Session session = TfSessions.open(g)) {
        store.assign(session, weights, "trained weights");
        StagedExport.exportEstimator(session, staging, y, z, seed, xHat, sampled);
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.IMAGE_ESTIMATOR);
    meta.addProperty("name", config.getName());
    meta.addProperty("task", task.name());
    meta.addProperty("image_size", config.getData().getImageSize());
    meta.addProperty("measurement_shape", task.measurementShape().toString());
    meta.addProperty("noise_distribution", config.getNoise().getDistribution().name());
    meta.addProperty("noise_dim", sizes != null ? sizes.noiseDim((int) task.signalShape().get(0),
        (int) task.signalShape().get(1)) : noiseSize);
    meta.add("sizes", sizes != null ? sizes.toJson() : SpatialSizes.fixed(task.signalShape().get(0), task.signalShape().get(1)));
    meta.addProperty("stochastic", LatentNoise.stochastic(config.getNoise()));
    meta.addProperty("objective", config.getObjective().name());
    meta.addProperty("training_config", com.google.protobuf.TextFormat.printer().printToString(config));
    meta.add("provenance", provenance);
    StagedExport.publish(staging, meta, target);
  }

  /** The U-Net's z levels: the input's spatial size over 1, 2, 4, 8, noise_channels deep. */
  private static List<SpatialSizes.NoiseLevel> noiseLevels(int channels) {
    return java.util.Arrays.stream(UNetEstimator.NOISE_DIVISORS).mapToObj(d -> new SpatialSizes.NoiseLevel(d, channels))
        .toList();
  }
}
