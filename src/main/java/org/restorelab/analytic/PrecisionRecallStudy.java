package org.restorelab.analytic;

import java.util.stream.IntStream;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.data.Points;
import org.restorelab.data.ToyDistribution;
import org.restorelab.estimator.ToyEstimator;
import org.restorelab.metric.MeanStd;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.run.Seeds;

/**
 * Precision and recall of a hand-crafted toy estimator, repeated on fresh samples (section 4.1):
 * each repetition draws {@code num_samples} data points and {@code num_samples} outputs, each
 * output from its own measurement Y, and compares them without feature projection.
 */
public final class PrecisionRecallStudy {

  /** Mean and std over repetitions. */
  public record Summary(MeanStd precision, MeanStd recall) {
    /** "P = 0.99 ± 0.00, R = 0.52 ± 0.02". */
    public String title() {
      return "P = " + precision.format(3) + ", R = " + recall.format(3);
    }
  }

  private PrecisionRecallStudy() {}

  /** Runs {@code repetitions} independent estimates; repetition r uses streams under {@code path/r}. */
  public static Summary repeat(ToyDistribution data, ToyEstimator estimator,
      PrecisionRecallConfig config, int repetitions, long seed, String path) {
    if (repetitions < 1) {
      throw new IllegalArgumentException(path + ": repetitions must be >= 1, got " + repetitions);
    }
    int n = config.getNumSamples();
    double[] precision = new double[repetitions];
    double[] recall = new double[repetitions];
    try (PairwiseDistances distances = PairwiseDistances.create(config.getBackend(), 2)) {
      PrecisionRecall metric = PrecisionRecall.of(config, distances);
      IntStream reps = IntStream.range(0, repetitions);
      if (distances.threadSafe()) {
        reps = reps.parallel();
      }
      reps.forEach(r -> {
        Points real = data.sample(n, Seeds.random(seed, path + "/" + r + "/real"));
        double[] y = data.sampleMeasurements(n, Seeds.random(seed, path + "/" + r + "/y"));
        Points generated = estimator.apply(y);
        PrecisionRecall.Result result = metric.compute(real.toFeatures(), generated.toFeatures());
        precision[r] = result.precision();
        recall[r] = result.recall();
      });
    }
    return new Summary(MeanStd.of(precision), MeanStd.of(recall));
  }
}
