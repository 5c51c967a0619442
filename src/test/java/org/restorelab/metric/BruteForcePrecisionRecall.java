package org.restorelab.metric;

import java.util.Arrays;

/**
 * An independent, obviously-correct precision/recall (Kynkaanniemi et al. 2019) in float64:
 * all pairwise distances, a full sort per sample for its k-th neighbour, then ball membership.
 */
final class BruteForcePrecisionRecall {
  private BruteForcePrecisionRecall() {}

  static double[] radii(double[][] set, int k) {
    double[] r = new double[set.length];
    for (int i = 0; i < set.length; i++) {
      double[] d = new double[set.length - 1];
      int t = 0;
      for (int j = 0; j < set.length; j++) {
        if (j != i) {
          d[t++] = dist2(set[i], set[j]);
        }
      }
      Arrays.sort(d);
      r[i] = d[k - 1];
    }
    return r;
  }

  static double coverage(double[][] queries, double[][] centres, double[] radii2) {
    int inside = 0;
    for (double[] q : queries) {
      for (int j = 0; j < centres.length; j++) {
        if (dist2(q, centres[j]) <= radii2[j]) {
          inside++;
          break;
        }
      }
    }
    return inside / (double) queries.length;
  }

  static double[] precisionRecall(double[][] real, double[][] fake, int k) {
    return new double[] {
      coverage(fake, real, radii(real, k)), coverage(real, fake, radii(fake, k))
    };
  }

  static double dist2(double[] a, double[] b) {
    double s = 0;
    for (int t = 0; t < a.length; t++) {
      s += (a[t] - b[t]) * (a[t] - b[t]);
    }
    return s;
  }
}
