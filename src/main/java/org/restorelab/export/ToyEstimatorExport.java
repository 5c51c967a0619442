package org.restorelab.export;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.graph.Parameters;
import org.restorelab.run.TfSessions;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.GanGraph;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.train.VariableStore;
import org.restorelab.savedmodel.ModelMetadata;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Exports a trained toy estimator as a lean inference SavedModel (the estimator's weights only,
 * no critic, no optimizer slots), tag {@code serve}, with two signatures:
 * <ul>
 *   <li>{@code serving_default}: inputs {@code y} [n, 1] and {@code z} [n, dz], output {@code x_hat} [n, 2];
 *   <li>{@code sample}: inputs {@code y} [n, 1] and {@code seed} [2] int64; z is drawn inside
 *       (zeros for a deterministic estimator), output {@code x_hat}.
 * </ul>
 * {@code assets.extra/restorelab.json} records the noise distribution and the training config.
 * The folder is written beside the target and renamed into place.
 */
public final class ToyEstimatorExport {
  private ToyEstimatorExport() {}

  public static void export(ToyGanConfig config, Map<String, Checkpoint.Tensor> weights, Path target,
      JsonObject provenance) throws IOException {
    Path staging = StagedExport.staging(target);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, 0, TFloat32.class);
      ToyMlpEstimator<TFloat32> estimator = new ToyMlpEstimator<>(params,
          config.getEstimator().getHiddenList(), config.getNoise().getDim());
      VariableStore store = new VariableStore(tf, List.of(params));
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, config.getNoise().getDim())));
      Placeholder<TInt64> seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
      Operand<TFloat32> xHat = tf.withName("x_hat").identity(estimator.output(tf, y, z));
      Operand<TInt64> rows = org.restorelab.graph.Graphs.rows(tf, y);
      Operand<TFloat32> drawn = LatentNoise.sample(tf, config.getNoise(), rows, seed, TFloat32.class);
      Operand<TFloat32> sampled = tf.withName("x_hat_sample").identity(estimator.output(tf, y, drawn));
      try (Session session = TfSessions.open(g)) {
        store.assign(session, weights, "trained weights");
        StagedExport.exportEstimator(session, staging, y, z, seed, xHat, sampled);
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.TOY_ESTIMATOR);
    meta.addProperty("name", config.getName());
    meta.addProperty("noise_distribution", config.getNoise().getDistribution().name());
    meta.addProperty("noise_dim", config.getNoise().getDim());
    meta.addProperty("stochastic", LatentNoise.stochastic(config.getNoise()));
    meta.addProperty("measurement_columns", 1);
    meta.addProperty("training_config", com.google.protobuf.TextFormat.printer().printToString(config));
    meta.add("provenance", provenance);
    StagedExport.publish(staging, meta, target);
  }
}
