package org.restorelab.estimator;

/**
 * G_f(y) = arccos(cos(2 pi f y)) / pi (Appendix C): a triangle wave in [0, 1] with f periods on
 * [0, 1]. X_hat = (Y, G_f(Y)) has W2(p_X, p_X_hat) -> 0 as f grows (Eq. 10).
 */
public record ZigzagEstimator(int frequency) implements ToyEstimator {
  @Override
  public String name() {
    return "G_" + frequency;
  }

  @Override
  public double estimate(double y) {
    return Math.acos(Math.cos(2 * Math.PI * frequency * y)) / Math.PI;
  }
}
