package org.restorelab.estimator;

/**
 * A consistent, deterministic, hand-crafted estimator of a toy problem:
 * X_hat = (Y, g(Y)). Consistency holds by construction since X_hat(1) = Y.
 */
public interface ToyEstimator {
  /** The report name, e.g. "X_hat_Erratic". */
  String name();

  /** g(y), the estimate of X(2). */
  double estimate(double y);

  /** X_hat for each measurement. */
  default org.restorelab.data.Points apply(double[] y) {
    double[] x2 = new double[y.length];
    for (int i = 0; i < y.length; i++) {
      x2[i] = estimate(y[i]);
    }
    return new org.restorelab.data.Points(y.clone(), x2);
  }
}
