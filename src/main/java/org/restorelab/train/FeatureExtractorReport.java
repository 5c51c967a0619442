package org.restorelab.train;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.Arrays;
import java.util.Locale;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.render.MarkdownTable;
import org.restorelab.train.FeatureExtractorTrainer.FactorAccuracy;
import org.restorelab.train.FeatureExtractorTrainer.Outcome;

/**
 * The records of a feature-extractor training run: {@code results.json} (schema
 * {@value #SCHEMA}) and {@code report.md}, both with the per-factor held-out accuracy against
 * chance.
 */
public final class FeatureExtractorReport {
  public static final String SCHEMA = "restorelab.train-feature-extractor/1";

  private FeatureExtractorReport() {}

  /**
   * {@code schema, name, step, steps, seconds_per_iteration, training_seconds, input_size,
   * feature_dim, validation_images, held_out: [{factor, cardinality, accuracy, chance}],
   * mean_accuracy, mean_chance} (held_out empty when interrupted).
   */
  public static JsonObject results(FeatureExtractorConfig config, Outcome outcome) {
    JsonObject r = new JsonObject();
    r.addProperty("schema", SCHEMA);
    r.addProperty("name", config.getName());
    r.addProperty("step", outcome.step());
    r.addProperty("steps", config.getSteps());
    r.addProperty("seconds_per_iteration", outcome.secondsPerIteration());
    r.addProperty("training_seconds", outcome.trainingSeconds());
    r.addProperty("input_size", config.getData().getImageSize());
    r.addProperty("feature_dim", config.getFeatureDim());
    r.addProperty("validation_images", config.getValidationImages());
    JsonArray heldOut = new JsonArray();
    for (FactorAccuracy a : outcome.heldOut()) {
      JsonObject f = new JsonObject();
      f.addProperty("factor", a.factor());
      f.addProperty("cardinality", a.cardinality());
      f.addProperty("accuracy", a.accuracy());
      f.addProperty("chance", a.chance());
      heldOut.add(f);
    }
    r.add("held_out", heldOut);
    if (!outcome.heldOut().isEmpty()) {
      r.addProperty("mean_accuracy", outcome.heldOut().stream().mapToDouble(FactorAccuracy::accuracy).average()
          .orElseThrow());
      r.addProperty("mean_chance", outcome.heldOut().stream().mapToDouble(FactorAccuracy::chance).average()
          .orElseThrow());
    }
    return r;
  }

  public static String markdown(FeatureExtractorConfig config, Outcome outcome, String command) {
    StringBuilder sb = new StringBuilder();
    int side = config.getData().getImageSize();
    sb.append(String.format(Locale.ROOT, "# Feature extractor %s%n%nA CNN classifier of the procedural faces' %d"
        + " factors (%dx%d, width %d, %d features), trained %d of %d steps (batch %d) in %.0f s (%.1f ms per step)"
        + " by%n%n```%n%s%n```%n%nLosses: `metrics.csv` and `tensorboard/`.%n", config.getName(),
        ProceduralFaces.factorNames().size(), side, side, config.getWidth(), config.getFeatureDim(), outcome.step(),
        config.getSteps(), config.getBatchSize(), outcome.trainingSeconds(), 1e3 * outcome.secondsPerIteration(),
        command));
    if (outcome.heldOut().isEmpty()) {
      return sb.append("\nInterrupted: no held-out accuracy yet.\n").toString();
    }
    sb.append(String.format(Locale.ROOT, "%nHeld-out accuracy on the first %,d validation faces (never trained on),"
        + " against chance (1 / number of values):%n%n", config.getValidationImages()));
    MarkdownTable table = new MarkdownTable("factor", "values", "accuracy", "chance");
    for (FactorAccuracy a : outcome.heldOut()) {
      table.row(a.factor(), a.cardinality(), percent(a.accuracy()), percent(a.chance()));
    }
    table.row("mean", "", percent(outcome.heldOut().stream().mapToDouble(FactorAccuracy::accuracy).average()
        .orElseThrow()), percent(outcome.heldOut().stream().mapToDouble(FactorAccuracy::chance).average().orElseThrow()));
    return sb.append(table.render()).toString();
  }

  /** The paragraph describing the export, appended once it is written. */
  public static String savedModelNote(FeatureExtractorConfig config) {
    int side = config.getData().getImageSize();
    return String.format(Locale.ROOT, "%nSavedModel: `savedmodel/`, signature `serving_default`: `images` [n, %d, %d, 3]"
        + " float32 in [0, 1] -> `features` [n, %d] (the penultimate layer) and `logits` [n, %d];"
        + " metadata (format `restorelab.feature-extractor/1`, name `%s`) in `assets.extra/restorelab.json`.%n",
        side, side, config.getFeatureDim(), Arrays.stream(
            ProceduralFaces.factorCardinalities()).sum(), config.getName());
  }

  private static String percent(double fraction) {
    return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
  }
}
