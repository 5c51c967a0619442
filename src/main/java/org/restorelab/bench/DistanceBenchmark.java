package org.restorelab.bench;

import java.util.SplittableRandom;
import org.restorelab.config.DistanceBackend;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;

/**
 * Times the precision/recall metric and its distance tiles on each backend, on random features
 * of a given size. The FLOP count of a tile is 2 m n d (the cross term; norms are O((m + n) d)).
 */
public final class DistanceBenchmark {

  /** Timing of one backend at one (n, d). */
  public record Timing(DistanceBackend backend, int n, int dim, double tileSeconds,
      double tileGflops, double precisionRecallSeconds) {}

  private DistanceBenchmark() {}

  /** Random Gaussian features, seeded. */
  public static Features randomFeatures(int n, int dim, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[] data = new float[n * dim];
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    return new Features(data, n, dim);
  }

  /**
   * Best-of-{@code repeats} time of one tile x tile distance tile, and the time of a full
   * precision/recall (k = 3) of n vs n features.
   */
  public static Timing measure(DistanceBackend backend, int n, int dim, int tile, int repeats) {
    Features real = randomFeatures(n, dim, 11);
    Features fake = randomFeatures(n, dim, 12);
    try (PairwiseDistances distances = PairwiseDistances.create(backend, dim)) {
      int m = Math.min(tile, n);
      float[] out = new float[m * m];
      distances.squaredDistances(real, 0, m, fake, 0, m, out);
      double best = Double.POSITIVE_INFINITY;
      for (int r = 0; r < repeats; r++) {
        long t0 = System.nanoTime();
        distances.squaredDistances(real, 0, m, fake, 0, m, out);
        best = Math.min(best, (System.nanoTime() - t0) / 1e9);
      }
      PrecisionRecall metric = new PrecisionRecall(3, tile, distances);
      long t0 = System.nanoTime();
      metric.compute(real, fake);
      double prSeconds = (System.nanoTime() - t0) / 1e9;
      return new Timing(backend, n, dim, best, 2.0 * m * m * dim / best / 1e9, prSeconds);
    }
  }
}
