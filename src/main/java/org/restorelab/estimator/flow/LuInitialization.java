package org.restorelab.estimator.flow;

import java.util.SplittableRandom;

/**
 * The initial weight of an invertible 1 x 1 convolution in Glow's LU form: a random rotation
 * W0 (Gram-Schmidt on a Gaussian matrix) decomposed as W0 = P L U with partial pivoting, P a
 * permutation, L unit lower triangular, U upper triangular (Kingma and Dhariwal 2018, section 3.2).
 * Row-major c x c arrays, float64.
 */
record LuInitialization(double[] permutation, double[] lower, double[] upper, double[] sign, double[] logAbsDiagonal) {

  static LuInitialization random(int c, long seed) {
    return decompose(rotation(c, new SplittableRandom(seed)), c);
  }

  /** An orthogonal matrix: the Gram-Schmidt orthonormalization of a standard normal matrix's rows. */
  static double[] rotation(int c, SplittableRandom random) {
    double[][] rows = new double[c][c];
    for (int i = 0; i < c; i++) {
      while (true) {
        for (int j = 0; j < c; j++) {
          rows[i][j] = gaussian(random);
        }
        for (int k = 0; k < i; k++) {
          double dot = 0;
          for (int j = 0; j < c; j++) {
            dot += rows[i][j] * rows[k][j];
          }
          for (int j = 0; j < c; j++) {
            rows[i][j] -= dot * rows[k][j];
          }
        }
        double norm = 0;
        for (int j = 0; j < c; j++) {
          norm += rows[i][j] * rows[i][j];
        }
        norm = Math.sqrt(norm);
        if (norm > 1e-6) {
          for (int j = 0; j < c; j++) {
            rows[i][j] /= norm;
          }
          break;
        }
      }
    }
    double[] out = new double[c * c];
    for (int i = 0; i < c; i++) {
      System.arraycopy(rows[i], 0, out, i * c, c);
    }
    return out;
  }

  /** W = P L U by Gaussian elimination with partial pivoting (Doolittle). */
  static LuInitialization decompose(double[] w, int c) {
    double[] a = w.clone();
    int[] rowOf = new int[c]; // row i of the eliminated matrix is row rowOf[i] of w
    for (int i = 0; i < c; i++) {
      rowOf[i] = i;
    }
    double[] l = new double[c * c];
    for (int k = 0; k < c; k++) {
      int pivot = k;
      for (int i = k + 1; i < c; i++) {
        if (Math.abs(a[i * c + k]) > Math.abs(a[pivot * c + k])) {
          pivot = i;
        }
      }
      if (pivot != k) {
        swapRows(a, k, pivot, c);
        swapRows(l, k, pivot, c);
        int t = rowOf[k];
        rowOf[k] = rowOf[pivot];
        rowOf[pivot] = t;
      }
      for (int i = k + 1; i < c; i++) {
        double f = a[i * c + k] / a[k * c + k];
        l[i * c + k] = f;
        for (int j = k; j < c; j++) {
          a[i * c + j] -= f * a[k * c + j];
        }
      }
    }
    // rows(w)[rowOf[i]] = (L U)[i]  =>  w = P L U with P[rowOf[i]][i] = 1
    double[] p = new double[c * c];
    double[] upper = new double[c * c];
    double[] sign = new double[c];
    double[] logAbs = new double[c];
    for (int i = 0; i < c; i++) {
      p[rowOf[i] * c + i] = 1;
      for (int j = i + 1; j < c; j++) {
        upper[i * c + j] = a[i * c + j];
      }
      double d = a[i * c + i];
      sign[i] = Math.signum(d);
      logAbs[i] = Math.log(Math.abs(d));
    }
    return new LuInitialization(p, l, upper, sign, logAbs);
  }

  private static void swapRows(double[] m, int i, int j, int c) {
    for (int k = 0; k < c; k++) {
      double t = m[i * c + k];
      m[i * c + k] = m[j * c + k];
      m[j * c + k] = t;
    }
  }

  private static double gaussian(SplittableRandom r) {
    double u1 = r.nextDouble();
    double u2 = r.nextDouble();
    return Math.sqrt(-2 * Math.log(1 - u1)) * Math.cos(2 * Math.PI * u2);
  }
}
