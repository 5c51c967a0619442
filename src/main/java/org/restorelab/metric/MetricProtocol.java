package org.restorelab.metric;

import com.google.gson.JsonObject;

/**
 * A metric as results.json names it, after stylegan2-ada's metric names ({@code fid50k_full},
 * {@code pr50k3_full}): the protocol ({@code fid}, {@code precision_recall_k3}) and the sample counts
 * it was computed on, which stylegan2-ada folds into the name and we keep as fields.
 *
 * @param name {@code fid} or {@code precision_recall_k<k>}
 * @param realSamples data samples (features of real images or toy data points)
 * @param generatedSamples estimator outputs
 */
public record MetricProtocol(String name, int realSamples, int generatedSamples) {

  /** Fréchet distance between Gaussians fitted to the real and generated features (Heusel et al. 2017). */
  public static MetricProtocol fid(int realSamples, int generatedSamples) {
    return new MetricProtocol("fid", realSamples, generatedSamples);
  }

  /** Improved precision and recall with k nearest neighbours (Kynkäänniemi et al. 2019). */
  public static MetricProtocol precisionRecall(int k, int realSamples, int generatedSamples) {
    if (k < 1) {
      throw new IllegalArgumentException("precision/recall k must be at least 1, got " + k);
    }
    return new MetricProtocol("precision_recall_k" + k, realSamples, generatedSamples);
  }

  /** {@code {"real_samples": .., "generated_samples": ..}}, to be put under {@link #name()}. */
  public JsonObject counts() {
    JsonObject o = new JsonObject();
    o.addProperty("real_samples", realSamples);
    o.addProperty("generated_samples", generatedSamples);
    return o;
  }

  /** Adds this protocol to a results.json {@code metrics} object. */
  public void addTo(JsonObject metrics) {
    metrics.add(name, counts());
  }
}
