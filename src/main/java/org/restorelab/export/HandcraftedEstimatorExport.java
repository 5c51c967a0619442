package org.restorelab.export;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.restorelab.estimator.SineEstimator;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SignatureNames;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The hand-crafted X_hat_alpha = (y, sqrt(1 - y^2) sin(alpha y)) as a SavedModel with the same
 * (y, z) -> x_hat signature as the trained estimators (z is accepted and unused), so Figure 3 and
 * Table 3 evaluate all six estimators through one harness.
 */
public final class HandcraftedEstimatorExport {
  private HandcraftedEstimatorExport() {}

  public static void export(SineEstimator estimator, Path target) throws IOException {
    if (Files.exists(target.resolve("saved_model.pb"))) {
      return; // closed form: an existing export is identical
    }
    Path staging = StagedExport.staging(target);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Operand<TFloat32> height = tf.math.sqrt(tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.square(y)), tf.constant(0f)));
      Operand<TFloat32> x2 = tf.math.add(tf.math.mul(height, tf.math.sin(tf.math.mul(y, tf.constant((float) estimator.alpha())))),
          tf.math.mul(z, tf.constant(0f)));
      Operand<TFloat32> xHat = tf.withName("x_hat").concat(List.of(y, x2), tf.constant(1));
      try (Session s = TfSessions.open(g)) {
        SavedModelBundle.exporter(staging.toString()).withSession(s).withSignature(Signature.builder()
            .key(SignatureNames.SERVING_DEFAULT).methodName(SignatureNames.PREDICT_METHOD)
            .input(SignatureNames.Y, y).input(SignatureNames.Z, z).output(SignatureNames.X_HAT, xHat).build()).export();
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.TOY_ESTIMATOR);
    meta.addProperty("name", estimator.name());
    meta.addProperty("noise_distribution", "ZERO");
    meta.addProperty("noise_dim", 1);
    meta.addProperty("stochastic", false);
    meta.addProperty("measurement_columns", 1);
    meta.addProperty("closed_form", "x_hat = (y, sqrt(1 - y^2) sin(" + estimator.alpha() + " y))");
    StagedExport.publish(staging, meta, target);
  }
}
