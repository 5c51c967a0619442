package org.restorelab.evaluate;

import java.util.SplittableRandom;

/**
 * What the image harness evaluates: an estimator G(y, z) of the validation images, either a
 * SavedModel ({@link LoadedEstimator}, ours or anyone's) or a reference that is not a network
 * (the exact posterior sampler of {@code evaluate.posterior}, which reads the data's factors).
 * Rows of a batch are the validation inputs {@code first .. first + n - 1}, in order.
 */
public interface ImageEstimator {
  /** Outputs [n * signal] in [0, 1] and their per-row consistency errors mean (D(x_hat) - y)^2. */
  record Outputs(float[] images, float[] consistencyMse) {}

  String name();

  /** Whether z is drawn at random (one output per input otherwise). */
  boolean stochastic();

  /** Floats of one output image (h * w * 3). */
  int signalSize();

  /** The noise of {@code rows} rows from {@code random}. */
  float[] drawZ(int rows, SplittableRandom random);

  /**
   * x_hat for the measurements y [n * measurement] of the validation inputs {@code first .. first +
   * n - 1} and noise z [n * noise floats per row].
   */
  Outputs sample(int first, float[] y, float[] z, int n);

  /**
   * Whether the output is a function of the pixels of y, so an attack on y (robustness, Eq. 9)
   * is defined.
   */
  default boolean readsPixels() {
    return true;
  }
}
