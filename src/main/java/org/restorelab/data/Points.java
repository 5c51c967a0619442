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

  /** The points ordered by X(1), e.g. to draw a deterministic estimator's output as a curve. */
  public Points sortedByX1() {
    Integer[] order = new Integer[size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    java.util.Arrays.sort(order, (a, b) -> Double.compare(x1[a], x1[b]));
    double[] s1 = new double[order.length];
    double[] s2 = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      s1[i] = x1[order[i]];
      s2[i] = x2[order[i]];
    }
    return new Points(s1, s2);
  }

  /** The first {@code n} points. */
  public Points head(int n) {
    return new Points(java.util.Arrays.copyOf(x1, n), java.util.Arrays.copyOf(x2, n));
  }
}
