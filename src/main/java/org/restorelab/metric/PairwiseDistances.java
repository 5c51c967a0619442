package org.restorelab.metric;

import org.restorelab.config.DistanceBackend;

/**
 * Computes one tile of squared Euclidean distances between rows {@code [a0, a1)} of {@code a}
 * and rows {@code [b0, b1)} of {@code b}, into {@code out} (row-major, (a1-a0) x (b1-b0)).
 */
public interface PairwiseDistances extends AutoCloseable {

  /**
   * Dimension from which AUTO uses TensorFlow. Measured by {@code restorelab bench metrics}: on
   * 4096 vs 4096 samples TensorFlow tiles are 4x faster at d = 4 and 50x at d = 2048; at d = 2
   * the whole metric takes the same time on both, and Java (float64, exact ties, parallel
   * repetitions) is kept.
   */
  int AUTO_TENSORFLOW_MIN_DIM = 4;

  void squaredDistances(Features a, int a0, int a1, Features b, int b0, int b1, float[] out);

  /** Whether tiles may be computed from several threads at once. */
  boolean threadSafe();

  @Override
  void close();

  /** The backend for {@code choice}; AUTO picks by the feature dimension ({@link #resolve}). */
  static PairwiseDistances create(DistanceBackend choice, int dim) {
    return resolve(choice, dim) == DistanceBackend.TENSORFLOW ? new TensorFlowPairwiseDistances()
        : new JavaPairwiseDistances();
  }

  /** The backend {@code choice} means at dimension {@code dim}: AUTO is TensorFlow from {@link #AUTO_TENSORFLOW_MIN_DIM}. */
  static DistanceBackend resolve(DistanceBackend choice, int dim) {
    return choice != DistanceBackend.AUTO ? choice
        : dim >= AUTO_TENSORFLOW_MIN_DIM ? DistanceBackend.TENSORFLOW : DistanceBackend.JAVA;
  }
}
