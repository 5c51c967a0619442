package org.restorelab.data;

import org.restorelab.metric.Features;

/**
 * A set of 2-D points X = (X(1), X(2)), stored as two columns. In the toy problems the
 * measurement is Y = X(1) and the estimator's job is X(2).
 */
public record Points(double[] x1, double[] x2) {
  public Points {
    if (x1.length != x2.length) {
      throw new IllegalArgumentException("x1 has " + x1.length + " values, x2 has " + x2.length);
    }
  }

  public int size() {
    return x1.length;
  }

  /** The points as float32 feature rows (dimension 2), for the precision/recall metric. */
  public Features toFeatures() {
    float[] data = new float[2 * size()];
    for (int i = 0; i < size(); i++) {
      data[2 * i] = (float) x1[i];
      data[2 * i + 1] = (float) x2[i];
    }
    return new Features(data, size(), 2);
  }

  /** The points as float64 rows {@code [n][2]}. */
  public double[][] rows() {
    double[][] rows = new double[size()][];
    for (int i = 0; i < size(); i++) {
      rows[i] = new double[] {x1[i], x2[i]};
    }
    return rows;
  }

  /** The first {@code n} points. */
  public Points head(int n) {
    return new Points(java.util.Arrays.copyOf(x1, n), java.util.Arrays.copyOf(x2, n));
  }
}
