package org.restorelab.job;

import com.google.gson.JsonObject;
import java.util.Locale;
import java.util.Map;

/** The parts of results.json and report.md that every training job shares. */
final class TrainingResults {
  /** Version of the layout of a training job's results.json. */
  static final String RESULTS_SCHEMA = "restorelab.train/1";
  /** The subfolder of the run folder that holds the exported SavedModel. */
  static final String SAVEDMODEL = "savedmodel";

  private TrainingResults() {}

  /** The fields every training job's results.json starts with. */
  static JsonObject results(String estimator, long step, long steps, double secondsPerIteration) {
    JsonObject results = new JsonObject();
    results.addProperty("schema", RESULTS_SCHEMA);
    results.addProperty("estimator", estimator);
    results.addProperty("step", step);
    results.addProperty("steps", steps);
    results.addProperty("seconds_per_iteration", secondsPerIteration);
    return results;
  }

  /** "loss_l1 0.0412, psnr 24.61, ..." (4 significant digits). */
  static String lastMetricsText(Map<String, Double> metrics) {
    return metrics.isEmpty() ? "none (no step run)" : String.join(", ", metrics.entrySet().stream()
        .map(e -> String.format(Locale.ROOT, "%s %.4g", e.getKey(), e.getValue())).toList());
  }
}
