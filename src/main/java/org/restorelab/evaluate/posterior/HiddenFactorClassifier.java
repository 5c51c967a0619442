package org.restorelab.evaluate.posterior;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.evaluate.FeatureExtractor;
import org.restorelab.metric.Features;
import org.restorelab.savedmodel.ModelMetadata;

/**
 * The factor classifier read as a classifier of the hidden factors: a SavedModel images
 * [n, s, s, 3] in [0, 1] -> logits [n, sum_j K_j] (savedmodels/cpu/faces-features), factor j at
 * columns offset_j .. offset_j + K_j. A hidden factor's value is the argmax of its logits (ties
 * to the lowest code, as tf.argmax). Columns and each factor's held-out accuracy come from the
 * model's restorelab.json (format restorelab.feature-extractor/1); without one, the columns
 * follow ProceduralFaces' factor order and the accuracies are unknown (NaN).
 */
public final class HiddenFactorClassifier implements AutoCloseable {
  private final FeatureExtractor logits;
  private final Path dir;
  private final String tensor;
  private final int width;
  private final int[] offsets;
  private final int[] cardinalities;
  private final double[] heldOutAccuracy;

  private HiddenFactorClassifier(FeatureExtractor logits, FeatureExtractorModelConfig config, KnownPosterior posterior) {
    this.logits = logits;
    this.dir = Path.of(config.getPath());
    this.tensor = config.getOutput();
    this.cardinalities = posterior.cardinalities();
    int[] allCard = ProceduralFaces.factorCardinalities();
    List<String> all = ProceduralFaces.factorNames();
    JsonObject meta = ModelMetadata.read(dir);
    int f = posterior.names().size();
    offsets = new int[f];
    heldOutAccuracy = new double[f];
    Arrays.fill(heldOutAccuracy, Double.NaN);
    if (meta != null && meta.has("factors")) {
      width = meta.has("logits_dim") ? meta.get("logits_dim").getAsInt() : -1;
      for (int h = 0; h < f; h++) {
        String name = posterior.names().get(h);
        JsonObject entry = null;
        for (JsonElement e : meta.getAsJsonArray("factors")) {
          if (e.getAsJsonObject().get("name").getAsString().equals(name)) {
            entry = e.getAsJsonObject();
          }
        }
        if (entry == null || entry.get("cardinality").getAsInt() != cardinalities[h]) {
          throw new ConfigException("classifier SavedModel " + dir + ": its restorelab.json has "
              + (entry == null ? "no factor '" + name + "'" : "factor '" + name + "' with "
                  + entry.get("cardinality").getAsInt() + " values, the faces have " + cardinalities[h]));
        }
        offsets[h] = entry.get("logits_offset").getAsInt();
        if (entry.has("held_out_accuracy")) {
          heldOutAccuracy[h] = entry.get("held_out_accuracy").getAsDouble();
        }
      }
    } else {
      width = Arrays.stream(allCard).sum();
      for (int h = 0; h < f; h++) {
        int j = all.indexOf(posterior.names().get(h));
        offsets[h] = Arrays.stream(allCard, 0, j).sum();
      }
    }
  }

  /**
   * Loads {@code config} (its output defaults to "logits") and classifies one blank image of
   * {@code side}: a missing folder or tensor, or logits of the wrong width, is an error naming it.
   */
  public static HiddenFactorClassifier load(FeatureExtractorModelConfig config, KnownPosterior posterior, int side) {
    FeatureExtractorModelConfig c = config.hasOutput() ? config : config.toBuilder().setOutput("logits").build();
    FeatureExtractor extractor;
    try {
      extractor = FeatureExtractor.load(c);
    } catch (ConfigException e) {
      throw new ConfigException("image_evaluation.posterior.classifier: " + e.getMessage(), e);
    }
    try {
      HiddenFactorClassifier classifier = new HiddenFactorClassifier(extractor, c, posterior);
      classifier.classify(new float[side * side * 3], 1, side, side);
      return classifier;
    } catch (RuntimeException e) {
      extractor.close();
      throw e;
    }
  }

  /** The hidden factors' codes [n][F] of n images [n * h * w * 3] in [0, 1]. */
  public int[][] classify(float[] images, int n, int h, int w) {
    Features l = logits.extract(images, n, h, w);
    if (width > 0 && l.dim() != width) {
      throw new ConfigException("classifier SavedModel " + dir + ": '" + tensor + "' has " + l.dim()
          + " columns, the factors need " + width + " (logits of every factor side by side)");
    }
    for (int f = 0; f < offsets.length; f++) {
      if (offsets[f] + cardinalities[f] > l.dim()) {
        throw new ConfigException("classifier SavedModel " + dir + ": '" + tensor + "' has " + l.dim()
            + " columns, too few for the factors' logits");
      }
    }
    int[][] codes = new int[n][offsets.length];
    float[] v = l.data();
    for (int i = 0; i < n; i++) {
      for (int f = 0; f < offsets.length; f++) {
        int base = i * l.dim() + offsets[f];
        int best = 0;
        for (int k = 1; k < cardinalities[f]; k++) {
          if (v[base + k] > v[base + best]) {
            best = k;
          }
        }
        codes[i][f] = best;
      }
    }
    return codes;
  }

  /** Each hidden factor's held-out accuracy (from the model's metadata; NaN when unknown). */
  public double[] heldOutAccuracy() {
    return heldOutAccuracy.clone();
  }

  public String name() {
    return logits.name();
  }

  @Override
  public void close() {
    logits.close();
  }
}
