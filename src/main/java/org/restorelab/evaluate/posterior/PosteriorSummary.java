package org.restorelab.evaluate.posterior;

import java.util.List;
import org.restorelab.metric.PosteriorMetrics;

/**
 * What every model's posterior metrics are read against: the hidden factors and their posterior,
 * the classifier with its per-factor held-out accuracy, and the floor, the exact posterior
 * sampler's numbers at the same M and N through the same classifier (from a z stream of its own).
 *
 * @param examples per model (Table 1 order of evaluation), the classified codes [3][N][F] of its
 *     first inputs, for the per-factor chart
 */
public record PosteriorSummary(KnownPosterior posterior, String classifier, double[] heldOutAccuracy,
    PosteriorMetrics.Result floor, double expectedDistinct, List<Example> examples) {
  /** A model's classified codes [inputs][N][F] of its first validation inputs. */
  public record Example(String model, int[][][] codes) {}
}
