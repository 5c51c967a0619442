package org.restorelab.export;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.graph.Parameters;
import org.restorelab.metric.FactorClassifier;
import org.restorelab.run.TfSessions;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.FeatureExtractorTrainer.FactorAccuracy;
import org.restorelab.train.VariableStore;
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
 * Exports a trained feature extractor as a lean inference SavedModel (the classifier's weights
 * only), tag {@code serve}, signature {@code serving_default}:
 * {@code images} [n, S, S, 3] float32 in [0, 1] -> {@code features} [n, feature_dim] (the
 * penultimate layer, what FID and precision/recall use) and {@code logits}
 * [n, sum of cardinalities] (factor j at columns offset_j .. offset_j + K_j, offsets in the
 * metadata). {@code assets.extra/restorelab.json} (format {@value ModelMetadata#FEATURE_EXTRACTOR}) records the name,
 * input size, feature dimension, factors with their cardinalities and held-out accuracies, the
 * training config and the provenance, so every report can name the extractor it used.
 */
public final class FeatureExtractorExport {
  private FeatureExtractorExport() {}

  public static void export(FeatureExtractorConfig config, Map<String, Checkpoint.Tensor> weights,
      List<FactorAccuracy> heldOut, Path target, JsonObject provenance) throws IOException {
    Path staging = StagedExport.staging(target);
    int side = config.getData().getImageSize();
    int[] cardinalities = ProceduralFaces.factorCardinalities();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, FactorClassifier.NETWORK, 0, TFloat32.class);
      FactorClassifier<TFloat32> classifier = new FactorClassifier<>(params, side, config.getWidth(),
          config.getFeatureDim(), cardinalities);
      VariableStore store = new VariableStore(tf, List.of(params));
      Placeholder<TFloat32> images = tf.withName("images").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, side, side, 3)));
      Operand<TFloat32> features = tf.withName("features").identity(classifier.features(tf, images));
      Operand<TFloat32> logits = tf.withName("logits").identity(
          classifier.concatenated(tf, classifier.logits(tf, features)));
      try (Session session = TfSessions.open(g)) {
        store.assign(session, weights, "trained weights");
        SavedModelBundle.exporter(staging.toString()).withSession(session).withSignature(
            Signature.builder().key(SignatureNames.SERVING_DEFAULT).methodName(SignatureNames.PREDICT_METHOD)
                .input(SignatureNames.IMAGES, images).output(SignatureNames.FEATURES, features)
                .output(SignatureNames.LOGITS, logits).build())
            .export();
      }
    }
    StagedExport.publish(staging, metadata(config, heldOut, provenance), target);
  }

  static JsonObject metadata(FeatureExtractorConfig config, List<FactorAccuracy> heldOut, JsonObject provenance) {
    int side = config.getData().getImageSize();
    int[] cardinalities = ProceduralFaces.factorCardinalities();
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.FEATURE_EXTRACTOR);
    meta.addProperty("name", config.getName());
    meta.addProperty("input_size", side);
    meta.addProperty("input", "images [n, " + side + ", " + side + ", 3] float32 in [0, 1], NHWC RGB");
    meta.addProperty("feature_dim", config.getFeatureDim());
    meta.addProperty("logits_dim", java.util.Arrays.stream(cardinalities).sum());
    meta.addProperty("architecture", "FactorClassifier: 3 stages of 2 conv3x3 + ReLU + avgpool2 (width "
        + config.getWidth() + ", x2 per stage), flatten, dense " + config.getFeatureDim()
        + " + ReLU (features), one linear head per factor (logits)");
    meta.addProperty("data", "procedural faces, " + side + "x" + side);
    JsonArray factors = new JsonArray();
    int offset = 0;
    for (int j = 0; j < cardinalities.length; j++) {
      JsonObject f = new JsonObject();
      f.addProperty("name", ProceduralFaces.factorNames().get(j));
      f.addProperty("cardinality", cardinalities[j]);
      f.addProperty("logits_offset", offset);
      f.addProperty("chance", 1.0 / cardinalities[j]);
      if (j < heldOut.size()) {
        f.addProperty("held_out_accuracy", heldOut.get(j).accuracy());
      }
      factors.add(f);
      offset += cardinalities[j];
    }
    meta.add("factors", factors);
    meta.addProperty("validation_images", config.getValidationImages());
    meta.addProperty("training_config", com.google.protobuf.TextFormat.printer().printToString(config));
    meta.add("provenance", provenance);
    return meta;
  }
}
