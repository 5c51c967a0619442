package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class AssignmentAndWassersteinTest {

  /** Minimum cost over all n! permutations. */
  private static double bruteForce(double[][] cost) {
    int n = cost.length;
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    double best = Double.POSITIVE_INFINITY;
    do {
      best = Math.min(best, LinearAssignment.cost(cost, p));
    } while (nextPermutation(p));
    return best;
  }

  private static boolean nextPermutation(int[] p) {
    int i = p.length - 2;
    while (i >= 0 && p[i] >= p[i + 1]) {
      i--;
    }
    if (i < 0) {
      return false;
    }
    int j = p.length - 1;
    while (p[j] <= p[i]) {
      j--;
    }
    int t = p[i];
    p[i] = p[j];
    p[j] = t;
    for (int a = i + 1, b = p.length - 1; a < b; a++, b--) {
      t = p[a];
      p[a] = p[b];
      p[b] = t;
    }
    return true;
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 2, 3, 5, 7, 8})
  void hungarianMatchesBruteForceOverPermutations(int n) {
    SplittableRandom r = new SplittableRandom(n);
    for (int trial = 0; trial < 20; trial++) {
      double[][] cost = new double[n][n];
      for (double[] row : cost) {
        for (int j = 0; j < n; j++) {
          row[j] = trial % 2 == 0 ? r.nextDouble() : r.nextInt(4); // integer costs have ties
        }
      }
      int[] sigma = LinearAssignment.solve(cost);
      assertThat(Arrays.stream(sigma).sorted().toArray()).containsExactly(
          java.util.stream.IntStream.range(0, n).toArray());
      assertThat(LinearAssignment.cost(cost, sigma)).isCloseTo(bruteForce(cost), within(1e-12));
    }
  }

  @Test
  void identicalPointSetsHaveZeroDistance() {
    double[][] a = new double[300][];
    SplittableRandom r = new SplittableRandom(1);
    for (int i = 0; i < a.length; i++) {
      a[i] = new double[] {r.nextDouble(), r.nextDouble()};
    }
    double[][] shuffled = a.clone();
    java.util.Collections.shuffle(Arrays.asList(shuffled), new java.util.Random(2));
    assertThat(Wasserstein2.distance(a, shuffled)).isZero();
  }

  @Test
  void inOneDimensionTheOptimalPlanMatchesSortedSamples() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 200;
    double[] x = new double[n];
    double[] y = new double[n];
    for (int i = 0; i < n; i++) {
      x[i] = r.nextGaussian();
      y[i] = 2 * r.nextDouble() - 0.5;
    }
    double[] xs = x.clone();
    double[] ys = y.clone();
    Arrays.sort(xs);
    Arrays.sort(ys);
    double sum = 0;
    for (int i = 0; i < n; i++) {
      sum += (xs[i] - ys[i]) * (xs[i] - ys[i]);
    }
    double[][] a = new double[n][];
    double[][] b = new double[n][];
    for (int i = 0; i < n; i++) {
      a[i] = new double[] {x[i]};
      b[i] = new double[] {y[i]};
    }
    assertThat(Wasserstein2.distance(a, b)).isCloseTo(Math.sqrt(sum / n), within(1e-12));
  }

  @Test
  void aTranslatedSetIsAtTheLengthOfTheTranslation() {
    SplittableRandom r = new SplittableRandom(4);
    double[][] a = new double[100][];
    double[][] b = new double[100][];
    for (int i = 0; i < a.length; i++) {
      a[i] = new double[] {r.nextDouble(), r.nextDouble()};
      b[i] = new double[] {a[i][0] + 0.3, a[i][1] - 0.4};
    }
    assertThat(Wasserstein2.distance(a, b)).isCloseTo(0.5, within(1e-12));
  }

  @Test
  void badShapesAreRejected() {
    assertThatThrownBy(() -> LinearAssignment.solve(new double[][] {{1, 2}, {3}}))
        .hasMessageContaining("square");
    assertThatThrownBy(() -> Wasserstein2.distance(new double[2][1], new double[3][1]))
        .hasMessageContaining("equal sample sizes");
  }
}
