package org.restorelab.metric;

/**
 * The 2-Wasserstein distance between two empirical distributions of the same size n with
 * uniform weights: W2^2 = min over permutations sigma of (1/n) sum_i |a_i - b_sigma(i)|^2,
 * solved exactly by {@link LinearAssignment} (for equal-size uniform empirical measures an
 * optimal transport plan can be taken to be a permutation, by Birkhoff's theorem).
 */
public final class Wasserstein2 {
  private Wasserstein2() {}

  /** W2 between the rows of {@code a} and of {@code b} ([n][d] each). */
  public static double distance(double[][] a, double[][] b) {
    int n = a.length;
    if (b.length != n) {
      throw new IllegalArgumentException("W2 needs equal sample sizes, got " + n + " and " + b.length);
    }
    if (n == 0) {
      throw new IllegalArgumentException("W2 of empty sample sets");
    }
    double[][] cost = new double[n][n];
    for (int i = 0; i < n; i++) {
      for (int j = 0; j < n; j++) {
        cost[i][j] = squaredDistance(a[i], b[j]);
      }
    }
    int[] sigma = LinearAssignment.solve(cost);
    return Math.sqrt(LinearAssignment.cost(cost, sigma) / n);
  }

  private static double squaredDistance(double[] u, double[] v) {
    if (u.length != v.length) {
      throw new IllegalArgumentException("points of dimension " + u.length + " and " + v.length);
    }
    double s = 0;
    for (int t = 0; t < u.length; t++) {
      double d = u[t] - v[t];
      s += d * d;
    }
    return s;
  }
}
