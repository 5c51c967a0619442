package org.restorelab.metric;

import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.op.linalg.SelfAdjointEig;
import org.tensorflow.types.TFloat64;

/**
 * The Frechet distance between two Gaussians, the FID when they are fitted to Inception
 * features (Heusel et al., NeurIPS 2017), all in float64:
 *
 * <pre>
 *   FID = |m1 - m2|^2 + tr S1 + tr S2 - 2 tr sqrt(S1 S2),
 *   tr sqrt(S1 S2) = sum_i sqrt(lambda_i(S1 S2)).
 * </pre>
 *
 * <p>Stable form (SPEC section 4): S1 S2 is not symmetric, but with A = S1^{1/2} (symmetric
 * PSD) it has the eigenvalues of the symmetric PSD matrix A S2 A, because XY and YX share
 * their eigenvalues (X = A, Y = A S2), also when S1 is singular. So both steps are symmetric
 * eigendecompositions ({@code SelfAdjointEigV2}, float64): S1 = V diag(e) V^T gives
 * A = V diag(sqrt(max(e, 0))) V^T, then the eigenvalues lambda_i of A S2 A (symmetrised). Round-off
 * makes zero eigenvalues of a rank-deficient S1 or A S2 A come out slightly negative; they are
 * clamped to 0 and the most negative value clamped is recorded in the {@link Result}.
 *
 * <p>Reference: TTUR {@code fid.py} {@code calculate_frechet_distance} and pytorch-fid
 * {@code fid_score.py} compute {@code scipy.linalg.sqrtm(sigma1.dot(sigma2))}, retry with
 * eps I added to both covariances when the result is not finite, and keep its real part. Their
 * FID is the same quantity; the eigenvalue route has no complex parts or eps offset to explain,
 * and matches a Denman-Beavers square root to ~1e-10 relative in the tests.
 */
public final class FrechetDistance {

  /**
   * The distance and its terms: {@code distance = meanTerm + trace1 + trace2 - 2 traceSqrt}.
   * {@code mostNegativeProductEigenvalue} is the most negative eigenvalue of A S2 A clamped to 0,
   * {@code mostNegativeCovarianceEigenvalue} the most negative eigenvalue of S1 clamped to 0
   * (both 0 when none was negative).
   */
  public record Result(double distance, double meanTerm, double trace1, double trace2, double traceSqrt,
      double mostNegativeProductEigenvalue, double mostNegativeCovarianceEigenvalue) {}

  private FrechetDistance() {}

  /** The Frechet distance between the Gaussians {@code a} and {@code b}. */
  public static Result compute(GaussianStatistics a, GaussianStatistics b) {
    int d = a.dim();
    if (b.dim() != d) {
      throw new IllegalArgumentException("statistics of dimension " + d + " and " + b.dim());
    }
    double meanTerm = 0;
    for (int i = 0; i < d; i++) {
      double diff = a.mean()[i] - b.mean()[i];
      meanTerm += diff * diff;
    }
    double[][] eigenvalues = eigenvalues(a.covariance(), b.covariance(), d);
    double[] e1 = eigenvalues[0];
    double[] lambda = eigenvalues[1];
    double traceSqrt = 0;
    for (double l : lambda) {
      traceSqrt += Math.sqrt(Math.max(l, 0));
    }
    double trace1 = a.trace();
    double trace2 = b.trace();
    return new Result(meanTerm + trace1 + trace2 - 2 * traceSqrt, meanTerm, trace1, trace2, traceSqrt,
        Math.min(0, min(lambda)), Math.min(0, min(e1)));
  }

  /** {eigenvalues of S1, eigenvalues of A S2 A}, A = S1^{1/2}, from one float64 graph. */
  private static double[][] eigenvalues(double[] s1, double[] s2, int d) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat64> p1 = tf.withName("s1").placeholder(TFloat64.class, Placeholder.shape(Shape.of(d, d)));
      Placeholder<TFloat64> p2 = tf.withName("s2").placeholder(TFloat64.class, Placeholder.shape(Shape.of(d, d)));
      SelfAdjointEig<TFloat64> eig1 = tf.linalg.selfAdjointEig(symmetrised(tf, p1), SelfAdjointEig.computeV(true));
      Operand<TFloat64> sqrtE1 = tf.math.sqrt(tf.math.maximum(eig1.e(), tf.constant(0.0)));
      // A = V diag(sqrt e) V^T: scale the columns of V, then multiply by V^T
      Operand<TFloat64> sqrt1 = tf.linalg.matMul(tf.math.mul(eig1.v(), sqrtE1), eig1.v(), MatMul.transposeB(true));
      Operand<TFloat64> product = tf.linalg.matMul(tf.linalg.matMul(sqrt1, p2), sqrt1);
      SelfAdjointEig<TFloat64> eig = tf.linalg.selfAdjointEig(symmetrised(tf, product), SelfAdjointEig.computeV(false));
      double[] e1 = new double[d];
      double[] lambda = new double[d];
      try (Session s = TfSessions.open(g);
          TFloat64 t1 = TFloat64.tensorOf(Shape.of(d, d), DataBuffers.of(s1, true, false));
          TFloat64 t2 = TFloat64.tensorOf(Shape.of(d, d), DataBuffers.of(s2, true, false));
          org.tensorflow.Result out = s.runner().feed(p1, t1).feed(p2, t2).fetch(eig1.e()).fetch(eig.e()).run()) {
        ((TFloat64) out.get(0)).asRawTensor().data().asDoubles().read(e1);
        ((TFloat64) out.get(1)).asRawTensor().data().asDoubles().read(lambda);
      }
      return new double[][] {e1, lambda};
    }
  }

  private static Operand<TFloat64> symmetrised(Ops tf, Operand<TFloat64> m) {
    return tf.math.mul(tf.constant(0.5), tf.math.add(m, tf.linalg.transpose(m, tf.constant(new int[] {1, 0}))));
  }

  private static double min(double[] v) {
    double m = Double.POSITIVE_INFINITY;
    for (double x : v) {
      m = Math.min(m, x);
    }
    return m;
  }
}
