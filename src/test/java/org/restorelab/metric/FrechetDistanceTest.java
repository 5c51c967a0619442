package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * FID against values derived by hand or by an independent float64 route (a Denman-Beavers
 * square root of S1 S2 coded here), never against our own earlier output.
 */
class FrechetDistanceTest {

  // ---- small dense float64 linear algebra, independent of the class under test ----

  static double[][] mul(double[][] a, double[][] b) {
    int n = a.length;
    int m = b[0].length;
    double[][] c = new double[n][m];
    for (int i = 0; i < n; i++) {
      for (int k = 0; k < b.length; k++) {
        for (int j = 0; j < m; j++) {
          c[i][j] += a[i][k] * b[k][j];
        }
      }
    }
    return c;
  }

  static double[][] transpose(double[][] a) {
    double[][] t = new double[a[0].length][a.length];
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[0].length; j++) {
        t[j][i] = a[i][j];
      }
    }
    return t;
  }

  static double trace(double[][] a) {
    double t = 0;
    for (int i = 0; i < a.length; i++) {
      t += a[i][i];
    }
    return t;
  }

  /** Gauss-Jordan inverse with partial pivoting. */
  static double[][] inverse(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][2 * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(a[i], 0, m[i], 0, n);
      m[i][n + i] = 1;
    }
    for (int c = 0; c < n; c++) {
      int p = c;
      for (int r = c + 1; r < n; r++) {
        if (Math.abs(m[r][c]) > Math.abs(m[p][c])) {
          p = r;
        }
      }
      double[] tmp = m[c];
      m[c] = m[p];
      m[p] = tmp;
      double pivot = m[c][c];
      for (int j = 0; j < 2 * n; j++) {
        m[c][j] /= pivot;
      }
      for (int r = 0; r < n; r++) {
        if (r != c && m[r][c] != 0) {
          double f = m[r][c];
          for (int j = 0; j < 2 * n; j++) {
            m[r][j] -= f * m[c][j];
          }
        }
      }
    }
    double[][] inv = new double[n][n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(m[i], n, inv[i], 0, n);
    }
    return inv;
  }

  /**
   * tr sqrtm(M) by the Denman-Beavers iteration Y <- (Y + Z^-1)/2, Z <- (Z + Y^-1)/2 from
   * Y = M, Z = I, which converges quadratically to (M^{1/2}, M^{-1/2}) when M has no eigenvalue
   * on the closed negative real axis (S1 S2 with S1, S2 SPD has positive eigenvalues).
   */
  static double denmanBeaversTraceSqrt(double[][] m) {
    int n = m.length;
    double[][] y = m;
    double[][] z = new double[n][n];
    for (int i = 0; i < n; i++) {
      z[i][i] = 1;
    }
    for (int it = 0; it < 100; it++) {
      double[][] yInv = inverse(y);
      double[][] zInv = inverse(z);
      double[][] y1 = new double[n][n];
      double[][] z1 = new double[n][n];
      double change = 0;
      for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j++) {
          y1[i][j] = 0.5 * (y[i][j] + zInv[i][j]);
          z1[i][j] = 0.5 * (z[i][j] + yInv[i][j]);
          change = Math.max(change, Math.abs(y1[i][j] - y[i][j]));
        }
      }
      y = y1;
      z = z1;
      if (change < 1e-15 * trace(y)) {
        break;
      }
    }
    return trace(y);
  }

  /** A random orthogonal matrix: modified Gram-Schmidt on a Gaussian matrix. */
  static double[][] randomOrthogonal(int d, SplittableRandom r) {
    double[][] q = new double[d][d];
    for (double[] row : q) {
      for (int j = 0; j < d; j++) {
        row[j] = r.nextGaussian();
      }
    }
    for (int i = 0; i < d; i++) {
      for (int k = 0; k < i; k++) {
        double dot = 0;
        for (int j = 0; j < d; j++) {
          dot += q[i][j] * q[k][j];
        }
        for (int j = 0; j < d; j++) {
          q[i][j] -= dot * q[k][j];
        }
      }
      double norm = 0;
      for (int j = 0; j < d; j++) {
        norm += q[i][j] * q[i][j];
      }
      norm = Math.sqrt(norm);
      for (int j = 0; j < d; j++) {
        q[i][j] /= norm;
      }
    }
    return q;
  }

  /** Q diag(eigenvalues) Q^T. */
  static double[][] rotated(double[][] q, double[] eigenvalues) {
    int d = eigenvalues.length;
    double[][] qd = new double[d][d];
    for (int i = 0; i < d; i++) {
      for (int j = 0; j < d; j++) {
        qd[i][j] = q[i][j] * eigenvalues[j];
      }
    }
    return mul(qd, transpose(q));
  }

  static double[][] diagonal(double[] v) {
    double[][] m = new double[v.length][v.length];
    for (int i = 0; i < v.length; i++) {
      m[i][i] = v[i];
    }
    return m;
  }

  static double[] uniform(int d, double lo, double hi, SplittableRandom r) {
    double[] v = new double[d];
    for (int i = 0; i < d; i++) {
      v[i] = lo + (hi - lo) * r.nextDouble();
    }
    return v;
  }

  static double squaredDistance(double[] a, double[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += (a[i] - b[i]) * (a[i] - b[i]);
    }
    return s;
  }

  /** sum_i (sqrt a_i - sqrt b_i)^2 + |m1 - m2|^2: FID of N(m1, Q diag(a) Q^T) and N(m2, Q diag(b) Q^T). */
  static double commutingClosedForm(double[] m1, double[] a, double[] m2, double[] b) {
    double s = squaredDistance(m1, m2);
    for (int i = 0; i < a.length; i++) {
      double diff = Math.sqrt(a[i]) - Math.sqrt(b[i]);
      s += diff * diff;
    }
    return s;
  }

  static double fid(double[] m1, double[][] s1, double[] m2, double[][] s2) {
    return FrechetDistance.compute(GaussianStatistics.ofParameters(m1, s1), GaussianStatistics.ofParameters(m2, s2))
        .distance();
  }

  // ---- tests ----

  @ParameterizedTest(name = "n = {0}, d = {1}")
  @CsvSource({"50, 3", "400, 12", "300, 64"})
  void aSetIsAtDistanceZeroFromItself(int n, int dim) {
    GaussianStatistics s = GaussianStatistics.of(GaussianStatisticsTest.features(n, dim, 5, n + dim));
    FrechetDistance.Result r = FrechetDistance.compute(s, s);
    assertThat(Math.abs(r.distance())).isLessThan(1e-9 * s.trace());
    assertThat(r.meanTerm()).isZero();
    assertThat(r.traceSqrt()).isCloseTo(s.trace(), within(1e-9 * s.trace()));
  }

  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {1, 2, 3})
  void diagonalCovariancesGiveTheClosedForm(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    int d = 6;
    double[] m1 = uniform(d, -2, 2, r);
    double[] m2 = uniform(d, -2, 2, r);
    double[] a = uniform(d, 0.1, 5, r);
    double[] b = uniform(d, 0.1, 5, r);
    double expected = commutingClosedForm(m1, a, m2, b);
    assertThat(fid(m1, diagonal(a), m2, diagonal(b))).isCloseTo(expected, within(1e-12 * (expected + 30)));
    // the same in a random common eigenbasis: S1 and S2 still commute, the closed form still holds
    double[][] q = randomOrthogonal(d, r);
    assertThat(fid(m1, rotated(q, a), m2, rotated(q, b))).isCloseTo(expected, within(1e-10 * (expected + 30)));
  }

  /**
   * 2 x 2: for M = S1 S2 with eigenvalues mu1, mu2 > 0, (sqrt mu1 + sqrt mu2)^2 = tr M + 2 sqrt(det M),
   * so tr sqrt(M) = sqrt(tr M + 2 sqrt(det M)).
   */
  @ParameterizedTest(name = "seed {0}")
  @ValueSource(longs = {4, 5, 6, 7})
  void twoByTwoMatchesTheTraceDeterminantFormula(long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] s1 = rotated(randomOrthogonal(2, r), uniform(2, 0.2, 3, r));
    double[][] s2 = rotated(randomOrthogonal(2, r), uniform(2, 0.2, 3, r));
    double[] m1 = uniform(2, -1, 1, r);
    double[] m2 = uniform(2, -1, 1, r);
    double[][] m = mul(s1, s2);
    double det = m[0][0] * m[1][1] - m[0][1] * m[1][0];
    double traceSqrt = Math.sqrt(trace(m) + 2 * Math.sqrt(det));
    double expected = squaredDistance(m1, m2) + trace(s1) + trace(s2) - 2 * traceSqrt;
    FrechetDistance.Result got = FrechetDistance.compute(
        GaussianStatistics.ofParameters(m1, s1), GaussianStatistics.ofParameters(m2, s2));
    assertThat(got.traceSqrt()).isCloseTo(traceSqrt, within(1e-12 * traceSqrt));
    assertThat(got.distance()).isCloseTo(expected, within(1e-12 * (trace(s1) + trace(s2))));
  }

  @ParameterizedTest(name = "d = {0}, seed {1}")
  @CsvSource({"3, 8", "8, 9", "40, 10", "40, 11"})
  void randomSpdPairsMatchADenmanBeaversSquareRoot(int d, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[][] s1 = rotated(randomOrthogonal(d, r), uniform(d, 0.05, 10, r));
    double[][] s2 = rotated(randomOrthogonal(d, r), uniform(d, 0.05, 10, r));
    double[] m1 = uniform(d, -1, 1, r);
    double[] m2 = uniform(d, -1, 1, r);
    double traceSqrt = denmanBeaversTraceSqrt(mul(s1, s2));
    double expected = squaredDistance(m1, m2) + trace(s1) + trace(s2) - 2 * traceSqrt;
    FrechetDistance.Result got = FrechetDistance.compute(
        GaussianStatistics.ofParameters(m1, s1), GaussianStatistics.ofParameters(m2, s2));
    assertThat(got.traceSqrt()).isCloseTo(traceSqrt, within(1e-10 * traceSqrt));
    assertThat(got.distance()).isCloseTo(expected, within(1e-10 * (trace(s1) + trace(s2))));
    // symmetric in its arguments
    assertThat(fid(m2, s2, m1, s1)).isCloseTo(got.distance(), within(1e-10 * (trace(s1) + trace(s2))));
  }

  /**
   * Samples of N(m1, diag a) and N(m2, diag b), n each, against the closed form F. Tolerance:
   * to first order the estimate's error is 2 dm.(e1 - e2) + sum_i 2 (sqrt a_i - sqrt b_i)(u_i - v_i)
   * with e ~ N(0, diag/n) and sqrt(a_hat_i) - sqrt(a_i) = u_i ~ N(0, a_i / 2n), so its standard
   * deviation is sigma = sqrt(4 sum dm_i^2 (a_i + b_i)/n + 4 sum (sqrt a_i - sqrt b_i)^2 (a_i + b_i)/2n).
   * The second-order bias is positive and at most sum(a + b)/n (mean term) plus about
   * d (d + 1) max(a, b) / 2n (covariance noise). We allow 5 sigma plus both biases.
   */
  @Test
  void samplesOfTwoGaussiansGiveTheClosedFormWithinTheStatisticalError() {
    SplittableRandom r = new SplittableRandom(12);
    int d = 4;
    int n = 100_000;
    double[] m1 = {0, 1, -1, 0.5};
    double[] m2 = {0.5, 1, 0, 0};
    double[] a = {1, 2, 0.5, 4};
    double[] b = {2, 1, 0.5, 1};
    double[][] x1 = new double[n][d];
    double[][] x2 = new double[n][d];
    for (int i = 0; i < n; i++) {
      for (int t = 0; t < d; t++) {
        x1[i][t] = m1[t] + Math.sqrt(a[t]) * r.nextGaussian();
        x2[i][t] = m2[t] + Math.sqrt(b[t]) * r.nextGaussian();
      }
    }
    double expected = commutingClosedForm(m1, a, m2, b);
    double variance = 0;
    double bias = 0;
    double max = 0;
    for (int t = 0; t < d; t++) {
      double sd = Math.sqrt(a[t]) - Math.sqrt(b[t]);
      variance += 4 * (m1[t] - m2[t]) * (m1[t] - m2[t]) * (a[t] + b[t]) / n + 4 * sd * sd * (a[t] + b[t]) / (2.0 * n);
      bias += (a[t] + b[t]) / n;
      max = Math.max(max, Math.max(a[t], b[t]));
    }
    bias += d * (d + 1) * max / (2.0 * n);
    double tolerance = 5 * Math.sqrt(variance) + bias;
    double got = FrechetDistance.compute(GaussianStatistics.of(Features.of(x1)), GaussianStatistics.of(Features.of(x2)))
        .distance();
    // closed form 2.843, tolerance 0.078 (sigma 0.015); this seed gives 2.855
    assertThat(tolerance).isLessThan(0.03 * expected);
    assertThat(got).isCloseTo(expected, within(tolerance));
  }

  @Test
  void singularCovariancesGiveFiniteDistances() {
    // exact zeros on the diagonal, and the same zeros hidden by a rotation (round-off makes them +-1e-16)
    double[] m1 = {1, 0, 0, 2, 0};
    double[] m2 = {0, 0, 1, 2, 0};
    double[] a = {1, 0, 4, 0, 2};
    double[] b = {0, 0, 9, 2, 2};
    double expected = commutingClosedForm(m1, a, m2, b);
    assertThat(fid(m1, diagonal(a), m2, diagonal(b))).isCloseTo(expected, within(1e-12));
    double[][] q = randomOrthogonal(5, new SplittableRandom(13));
    FrechetDistance.Result rotatedResult = FrechetDistance.compute(
        GaussianStatistics.ofParameters(m1, rotated(q, a)), GaussianStatistics.ofParameters(m2, rotated(q, b)));
    assertThat(rotatedResult.distance()).isCloseTo(expected, within(1e-7));
    assertThat(rotatedResult.mostNegativeProductEigenvalue()).isBetween(-1e-12, 0.0);
    assertThat(rotatedResult.mostNegativeCovarianceEigenvalue()).isBetween(-1e-12, 0.0);
    // a point mass: FID = |dm|^2 + tr S2
    assertThat(fid(m1, new double[5][5], m2, diagonal(b))).isCloseTo(squaredDistance(m1, m2) + 13, within(1e-12));
  }

  @Test
  void rankDeficientSampleCovariancesHaveNoNaN() {
    // 200 samples in a 3-dimensional subspace of R^10, and 5 samples in R^10 (rank 4)
    SplittableRandom r = new SplittableRandom(14);
    double[][] w = new double[3][10];
    for (double[] row : w) {
      for (int j = 0; j < 10; j++) {
        row[j] = r.nextGaussian();
      }
    }
    double[][] z = new double[200][3];
    for (double[] row : z) {
      for (int j = 0; j < 3; j++) {
        row[j] = r.nextGaussian();
      }
    }
    GaussianStatistics subspace = GaussianStatistics.of(Features.of(mul(z, w)));
    GaussianStatistics few = GaussianStatistics.of(GaussianStatisticsTest.features(5, 10, 0, 15));
    FrechetDistance.Result self = FrechetDistance.compute(subspace, subspace);
    assertThat(self.distance()).isNotNaN();
    assertThat(Math.abs(self.distance())).isLessThan(1e-6 * subspace.trace());
    for (FrechetDistance.Result res : new FrechetDistance.Result[] {
        FrechetDistance.compute(subspace, few), FrechetDistance.compute(few, subspace)}) {
      assertThat(res.distance()).isFinite().isGreaterThan(0);
      assertThat(res.traceSqrt()).isFinite();
      assertThat(res.mostNegativeProductEigenvalue()).isLessThanOrEqualTo(0);
    }
    assertThat(FrechetDistance.compute(subspace, few).distance())
        .isCloseTo(FrechetDistance.compute(few, subspace).distance(), within(1e-6 * (subspace.trace() + few.trace())));
  }

  @Test
  void mismatchedDimensionsAreRefused() {
    GaussianStatistics two = GaussianStatistics.ofParameters(new double[2], diagonal(new double[] {1, 1}));
    GaussianStatistics three = GaussianStatistics.ofParameters(new double[3], diagonal(new double[] {1, 1, 1}));
    assertThatThrownBy(() -> FrechetDistance.compute(two, three))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("dimension 2 and 3");
  }
}
