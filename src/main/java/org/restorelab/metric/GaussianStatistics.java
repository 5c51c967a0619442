package org.restorelab.metric;

import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/**
 * The Gaussian fitted to a feature set, in float64 (SPEC section 4): the sample mean and the
 * unbiased sample covariance (n - 1 in the denominator, as {@code np.cov(x, rowvar=False)} in
 * the reference FID code: TTUR {@code fid.py} and pytorch-fid {@code fid_score.py}).
 *
 * <p>{@code covariance} is d x d, row-major. {@code count} is the number of samples the
 * statistics were estimated from, or 0 for a Gaussian given by its parameters
 * ({@link #ofParameters}).
 *
 * <p>Computation: the rows are read in chunks; each chunk is cast to float64 and centred on its
 * own mean, and its scatter matrix (x - m)^T (x - m) is one float64 TensorFlow MatMul
 * (2 b d^2 FLOPs for b rows). Chunks are combined exactly with the pairwise update of Chan,
 * Golub and LeVeque (1979), M2 = M2_a + M2_b + (n_a n_b / n) delta delta^T with delta = m_b - m_a,
 * which never forms the cancellation-prone sum(x x^T) - n m m^T. The same update merges two
 * statistics ({@link #combine}), so statistics can be streamed and cached by parts.
 */
public record GaussianStatistics(long count, double[] mean, double[] covariance) {

  /** Rows per float64 MatMul chunk when not given: 4096 x 2048 float64 is 64 MB. */
  public static final int DEFAULT_CHUNK_ROWS = 4096;

  public GaussianStatistics {
    int d = mean.length;
    if (d == 0 || covariance.length != (long) d * d) {
      throw new IllegalArgumentException("statistics: a mean of dimension " + d + " needs a "
          + d + " x " + d + " covariance, got " + covariance.length + " values");
    }
    if (count < 0) {
      throw new IllegalArgumentException("statistics: negative sample count " + count);
    }
  }

  /** The feature dimension d. */
  public int dim() {
    return mean.length;
  }

  /** Entry (i, j) of the covariance. */
  public double covariance(int i, int j) {
    return covariance[i * mean.length + j];
  }

  /** tr S. */
  public double trace() {
    int d = mean.length;
    double t = 0;
    for (int i = 0; i < d; i++) {
      t += covariance[i * d + i];
    }
    return t;
  }

  /** A Gaussian given by its parameters (count 0), e.g. for closed-form checks; arrays copied. */
  public static GaussianStatistics ofParameters(double[] mean, double[][] covariance) {
    int d = mean.length;
    double[] c = new double[d * d];
    for (int i = 0; i < d; i++) {
      if (covariance[i].length != d) {
        throw new IllegalArgumentException("covariance row " + i + " has " + covariance[i].length
            + " entries, expected " + d);
      }
      System.arraycopy(covariance[i], 0, c, i * d, d);
    }
    if (covariance.length != d) {
      throw new IllegalArgumentException("covariance has " + covariance.length + " rows, expected " + d);
    }
    return new GaussianStatistics(0, mean.clone(), c);
  }

  /** Statistics of {@code features}, in chunks of {@link #DEFAULT_CHUNK_ROWS} rows. */
  public static GaussianStatistics of(Features features) {
    return of(features, DEFAULT_CHUNK_ROWS);
  }

  /** Statistics of {@code features} (at least 2 rows), in chunks of {@code chunkRows} rows. */
  public static GaussianStatistics of(Features features, int chunkRows) {
    int n = features.count();
    int d = features.dim();
    if (n < 2) {
      throw new IllegalArgumentException("a covariance needs at least 2 samples, got " + n);
    }
    if (chunkRows < 1) {
      throw new IllegalArgumentException("chunk rows must be >= 1, got " + chunkRows);
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, d)));
      Operand<TFloat64> x64 = tf.dtypes.cast(x, TFloat64.class);
      Operand<TFloat64> chunkMean = tf.withName("chunk_mean").math.mean(x64, tf.constant(0));
      Operand<TFloat64> centred = tf.math.sub(x64, chunkMean);
      Operand<TFloat64> scatter = tf.withName("chunk_scatter").linalg.matMul(centred, centred, MatMul.transposeA(true));
      long total = 0;
      double[] m = new double[d];
      double[] m2 = new double[d * d];
      double[] chunkM = new double[d];
      double[] chunkM2 = new double[d * d];
      try (Session s = TfSessions.open(g)) {
        for (int r0 = 0; r0 < n; r0 += chunkRows) {
          int rows = Math.min(chunkRows, n - r0);
          try (TFloat32 chunk = TFloat32.tensorOf(Shape.of(rows, d),
                  DataBuffers.of(features.data(), true, false).slice((long) r0 * d, (long) rows * d));
              Result out = s.runner().feed(x, chunk).fetch(chunkMean).fetch(scatter).run()) {
            ((TFloat64) out.get(0)).asRawTensor().data().asDoubles().read(chunkM);
            ((TFloat64) out.get(1)).asRawTensor().data().asDoubles().read(chunkM2);
          }
          total = merge(total, m, m2, rows, chunkM, chunkM2);
        }
      }
      return fromScatter(total, m, m2);
    }
  }

  /** The statistics of the union of the two sample sets behind {@code a} and {@code b}. */
  public static GaussianStatistics combine(GaussianStatistics a, GaussianStatistics b) {
    if (a.count == 0 || b.count == 0) {
      throw new IllegalArgumentException("only estimated statistics (count > 0) can be combined");
    }
    if (a.dim() != b.dim()) {
      throw new IllegalArgumentException("statistics of dimension " + a.dim() + " and " + b.dim());
    }
    double[] m = a.mean.clone();
    double[] m2 = scaled(a.covariance, a.count - 1);
    long n = merge(a.count, m, m2, b.count, b.mean, scaled(b.covariance, b.count - 1));
    return fromScatter(n, m, m2);
  }

  /**
   * Folds (nb, mb, m2b) into the running (na, ma, m2a) in place (Chan et al.); returns na + nb.
   */
  private static long merge(long na, double[] ma, double[] m2a, long nb, double[] mb, double[] m2b) {
    int d = ma.length;
    long n = na + nb;
    double[] delta = new double[d];
    for (int i = 0; i < d; i++) {
      delta[i] = mb[i] - ma[i];
      ma[i] += delta[i] * nb / n;
    }
    double w = na * (double) nb / n;
    for (int i = 0; i < d; i++) {
      double wi = w * delta[i];
      int row = i * d;
      for (int j = 0; j < d; j++) {
        m2a[row + j] += m2b[row + j] + wi * delta[j];
      }
    }
    return n;
  }

  private static GaussianStatistics fromScatter(long n, double[] mean, double[] m2) {
    return new GaussianStatistics(n, mean, n > 1 ? scaled(m2, 1.0 / (n - 1)) : new double[m2.length]);
  }

  private static double[] scaled(double[] v, double factor) {
    double[] r = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      r[i] = v[i] * factor;
    }
    return r;
  }
}
