package org.restorelab.estimator;

/**
 * X_hat_alpha = (Y, sqrt(1 - Y^2) sin(alpha Y)) on the unit disk (paper section 4): alpha = 1 is
 * "X_hat_Robust", alpha = 50 "X_hat_Erratic". Larger alpha zigzags faster, fills more of the
 * disk (higher recall) and is more sensitive to perturbations of Y.
 */
public record SineEstimator(String name, double alpha) implements ToyEstimator {
  @Override
  public double estimate(double y) {
    return Math.sqrt(Math.max(0, 1 - y * y)) * Math.sin(alpha * y);
  }
}
