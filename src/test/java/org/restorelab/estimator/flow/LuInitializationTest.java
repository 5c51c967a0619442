package org.restorelab.estimator.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** Glow's LU initialization: W0 is a rotation and P L U reproduces it with the factors' shapes. */
class LuInitializationTest {
  @Test
  void permutationTimesLowerTimesUpperIsTheRandomRotation() {
    for (int c : new int[] {1, 2, 6, 12, 48}) {
      double[] w = LuInitialization.rotation(c, new java.util.SplittableRandom(c));
      LuInitialization lu = LuInitialization.decompose(w, c);
      double[] l = lu.lower().clone();
      double[] u = lu.upper().clone();
      double logDet = 0;
      for (int i = 0; i < c; i++) {
        l[i * c + i] = 1;
        u[i * c + i] = lu.sign()[i] * Math.exp(lu.logAbsDiagonal()[i]);
        logDet += lu.logAbsDiagonal()[i];
        for (int j = 0; j < c; j++) {
          if (j >= i) {
            assertEquals(0, lu.lower()[i * c + j], "L is strictly lower (its unit diagonal is added in the graph)");
          }
          if (j <= i) {
            assertEquals(0, lu.upper()[i * c + j], "U is strictly upper (its diagonal is sign exp(s))");
          }
        }
      }
      double[] plu = multiply(lu.permutation(), multiply(l, u, c), c);
      double[] wwt = multiply(w, transpose(w, c), c);
      for (int i = 0; i < c * c; i++) {
        assertEquals(w[i], plu[i], 1e-12, "P L U = W at " + i + " (c = " + c + ")");
        assertEquals(i / c == i % c ? 1 : 0, wwt[i], 1e-12, "W W^T = I");
      }
      assertEquals(0, logDet, 1e-10, "a rotation has |det| = 1: sum(s) = 0");
      for (int i = 0; i < c; i++) {
        double rowSum = 0;
        for (int j = 0; j < c; j++) {
          double p = lu.permutation()[i * c + j];
          assertEquals(true, p == 0 || p == 1);
          rowSum += p;
        }
        assertEquals(1, rowSum);
      }
    }
  }

  static double[] multiply(double[] a, double[] b, int c) {
    double[] out = new double[c * c];
    for (int i = 0; i < c; i++) {
      for (int k = 0; k < c; k++) {
        for (int j = 0; j < c; j++) {
          out[i * c + j] += a[i * c + k] * b[k * c + j];
        }
      }
    }
    return out;
  }

  static double[] transpose(double[] a, int c) {
    double[] out = new double[c * c];
    for (int i = 0; i < c; i++) {
      for (int j = 0; j < c; j++) {
        out[j * c + i] = a[i * c + j];
      }
    }
    return out;
  }
}
