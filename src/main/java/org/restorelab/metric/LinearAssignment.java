package org.restorelab.metric;

import java.util.Arrays;

/**
 * Exact minimum-cost perfect matching of an n x n cost matrix: the Hungarian algorithm with
 * potentials and shortest augmenting paths (Kuhn-Munkres; Jonker-Volgenant style), O(n^3).
 * With uniform weights on two n-point sets this is exact optimal transport.
 */
public final class LinearAssignment {
  private LinearAssignment() {}

  /** The optimal assignment: {@code result[i]} is the column matched to row i. */
  public static int[] solve(double[][] cost) {
    int n = cost.length;
    for (int i = 0; i < n; i++) {
      if (cost[i].length != n) {
        throw new IllegalArgumentException("cost matrix must be square: row " + i + " has "
            + cost[i].length + " entries, expected " + n);
      }
    }
    // 1-based arrays; index 0 is the virtual source of each augmenting path.
    double[] u = new double[n + 1];
    double[] v = new double[n + 1];
    int[] matchOfColumn = new int[n + 1];
    int[] way = new int[n + 1];
    double[] minv = new double[n + 1];
    boolean[] used = new boolean[n + 1];
    for (int i = 1; i <= n; i++) {
      matchOfColumn[0] = i;
      int j0 = 0;
      Arrays.fill(minv, Double.POSITIVE_INFINITY);
      Arrays.fill(used, false);
      do {
        used[j0] = true;
        int i0 = matchOfColumn[j0];
        double delta = Double.POSITIVE_INFINITY;
        int j1 = 0;
        double[] row = cost[i0 - 1];
        double ui0 = u[i0];
        for (int j = 1; j <= n; j++) {
          if (!used[j]) {
            double cur = row[j - 1] - ui0 - v[j];
            if (cur < minv[j]) {
              minv[j] = cur;
              way[j] = j0;
            }
            if (minv[j] < delta) {
              delta = minv[j];
              j1 = j;
            }
          }
        }
        for (int j = 0; j <= n; j++) {
          if (used[j]) {
            u[matchOfColumn[j]] += delta;
            v[j] -= delta;
          } else {
            minv[j] -= delta;
          }
        }
        j0 = j1;
      } while (matchOfColumn[j0] != 0);
      do {
        int j1 = way[j0];
        matchOfColumn[j0] = matchOfColumn[j1];
        j0 = j1;
      } while (j0 != 0);
    }
    int[] assignment = new int[n];
    for (int j = 1; j <= n; j++) {
      assignment[matchOfColumn[j] - 1] = j - 1;
    }
    return assignment;
  }

  /** The total cost of {@code assignment}. */
  public static double cost(double[][] cost, int[] assignment) {
    double total = 0;
    for (int i = 0; i < assignment.length; i++) {
      total += cost[i][assignment[i]];
    }
    return total;
  }
}
