package org.restorelab.analytic;

import org.restorelab.config.ConfigException;
import org.restorelab.config.PrecisionRecallConfig;

/** Range checks of analytic config fields, each naming the field. */
final class AnalyticChecks {
  private AnalyticChecks() {}

  static void positive(String field, int value) {
    if (value < 1) {
      throw new ConfigException(field + " must be >= 1, got " + value);
    }
  }

  static void positive(String field, double value) {
    if (!(value > 0)) {
      throw new ConfigException(field + " must be > 0, got " + value);
    }
  }

  static void precisionRecall(String field, PrecisionRecallConfig config) {
    if (config.getK() < 1 || config.getK() >= config.getNumSamples()) {
      throw new ConfigException(field + ".k must be in [1, num_samples - 1] = [1, "
          + (config.getNumSamples() - 1) + "], got " + config.getK());
    }
    positive(field + ".tile_size", config.getTileSize());
  }
}
