package org.restorelab.metric;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TFloat32;

/**
 * Inner products of shifted feature rows in bfloat16 on TensorFlow, with everything needed to
 * bound the true squared distance from them (the candidate pass of
 * {@link CandidatePrecisionRecall}).
 *
 * <p>A block of rows x (float32) is prepared once: x~ = fl32(x - mu), its bfloat16 rounding
 * a^ = bf16(x~) (kept as a tensor), n = fl32(sum a^2), and rho, a bound on ||(x - mu) - a^|| in
 * exact arithmetic. A tile of two prepared blocks is o = bf16(a^ b^T), the MatMul of the
 * bfloat16 rows read back as float32. {@link Bounds} turns o into a pessimistic distance and a
 * threshold beyond which a pair is provably outside a ball.
 *
 * <p>The bounds assume what oneDNN's bfloat16 GEMM does on CPUs with bfloat16 hardware
 * (AVX-512 BF16, AMX) and cuBLAS does on GPUs: products of two bfloat16 values are exact in
 * float32 and accumulated in float32; only the result is rounded to bfloat16.
 * {@link #accumulatesInFloat32} checks that on the running kernel.
 */
public final class Bfloat16Products implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> shift;
  private final Operand<TBfloat16> rounded;
  private final Operand<TFloat32> norm;
  private final Operand<TFloat32> shiftedNorm;
  private final Operand<TFloat32> roundingNorm;
  private final Placeholder<TBfloat16> a;
  private final Placeholder<TBfloat16> b;
  private final Operand<TFloat32> products;
  private final List<Block> open = new ArrayList<>();
  private long tiles;
  private long flops;
  private long nanos;

  /** A prepared block of rows: bfloat16 rows on TensorFlow, and per row n = |a^|^2 and rho. */
  public static final class Block implements AutoCloseable {
    private final Result result;
    private final TBfloat16 rows;
    final int start;
    final int end;
    final int rowsDim;
    final double[] norm;
    /** {@link #norm} rounded to float32, for the scans' float32 filter. */
    final float[] normFloat;
    final double[] rho;
    private boolean closed;

    private Block(Result result, TBfloat16 rows, int start, int end, double[] norm, double[] rho) {
      this.result = result;
      this.rows = rows;
      this.rowsDim = (int) rows.shape().get(1);
      this.start = start;
      this.end = end;
      this.norm = norm;
      this.normFloat = new float[norm.length];
      for (int i = 0; i < norm.length; i++) {
        normFloat[i] = (float) norm[i];
      }
      this.rho = rho;
    }

    public int size() {
      return end - start;
    }

    @Override
    public void close() {
      if (!closed) {
        closed = true;
        result.close();
      }
    }
  }

  public Bfloat16Products() {
    Ops tf = Ops.create(graph);
    x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    shift = tf.withName("shift").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1)));
    Operand<TFloat32> shifted = tf.math.sub(x, shift);
    rounded = tf.withName("rounded").dtypes.cast(shifted, TBfloat16.class);
    Operand<TFloat32> back = tf.dtypes.cast(rounded, TFloat32.class);
    norm = rowSquares(tf, back);
    shiftedNorm = rowSquares(tf, shifted);
    roundingNorm = rowSquares(tf, tf.math.sub(shifted, back));
    a = tf.withName("a").placeholder(TBfloat16.class, Placeholder.shape(Shape.of(-1, -1)));
    b = tf.withName("b").placeholder(TBfloat16.class, Placeholder.shape(Shape.of(-1, -1)));
    products = tf.withName("products").dtypes.cast(
        tf.linalg.matMul(a, b, MatMul.transposeB(true)), TFloat32.class);
    session = TfSessions.open(graph);
  }

  private static Operand<TFloat32> rowSquares(Ops tf, Operand<TFloat32> v) {
    return tf.reduceSum(tf.math.square(v), tf.constant(1), ReduceSum.keepDims(false));
  }

  /** Rows [start, end) of {@code f}, shifted by {@code mu} and rounded to bfloat16. */
  public Block prepare(Features f, int start, int end, float[] mu) {
    int dim = f.dim();
    Result r;
    try (TFloat32 rows = TFloat32.tensorOf(Shape.of(end - start, dim),
            DataBuffers.of(f.data(), true, false).slice((long) start * dim, (long) (end - start) * dim));
        TFloat32 m = TFloat32.tensorOf(Shape.of(dim), DataBuffers.of(mu, true, false))) {
      r = session.runner().feed(x, rows).feed(shift, m)
          .fetch(rounded).fetch(norm).fetch(shiftedNorm).fetch(roundingNorm).run();
    }
    int n = end - start;
    float[] nr = read(r.get(1), n);
    float[] sh = read(r.get(2), n);
    float[] ro = read(r.get(3), n);
    double gamma = Bounds.gamma(dim);
    double[] norms = new double[n];
    double[] rho = new double[n];
    for (int i = 0; i < n; i++) {
      norms[i] = nr[i];
      // |(x - mu) - a^| <= |x~ - a^| + |(x - mu) - x~|, each float32 sum of squares within gamma
      rho[i] = (Math.sqrt(ro[i]) + 0x1p-23 * Math.sqrt(sh[i])) * (1 + 4 * gamma) + Double.MIN_NORMAL;
    }
    Block block = new Block(r, (TBfloat16) r.get(0), start, end, norms, rho);
    open.add(block);
    return block;
  }

  /** The blocks of {@code tile} rows covering all of {@code f}. */
  public List<Block> prepareAll(Features f, int tile, float[] mu) {
    List<Block> blocks = new ArrayList<>();
    for (int s = 0; s < f.count(); s += tile) {
      blocks.add(prepare(f, s, Math.min(f.count(), s + tile), mu));
    }
    return blocks;
  }

  /** o = bf16(a^ b^T) as float32, row-major [a.size(), b.size()], into {@code out}. */
  public void products(Block ba, Block bb, float[] out) {
    long t0 = System.nanoTime();
    try (Result r = session.runner().feed(a, ba.rows).feed(b, bb.rows).fetch(products).run()) {
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(out, 0, ba.size() * bb.size());
    }
    nanos += System.nanoTime() - t0;
    tiles++;
    flops += 2L * ba.size() * bb.size() * ba.rowsDim;
  }

  /** Tiles computed, their FLOPs (2 m n d each) and the seconds spent in them, since the last reset. */
  public record Count(long tiles, long flops, double seconds) {}

  /** The work done since the last {@link #resetCount}. */
  public Count count() {
    return new Count(tiles, flops, nanos / 1e9);
  }

  public void resetCount() {
    tiles = 0;
    flops = 0;
    nanos = 0;
  }

  private static float[] read(Tensor t, int n) {
    float[] v = new float[n];
    ((TFloat32) t).asRawTensor().data().asFloats().read(v, 0, n);
    return v;
  }

  /**
   * Whether this machine's bfloat16 MatMul accumulates in float32 or better: rows of 1 and
   * 2^-8 (1 + 2047 * 2^-8 = 8.996) and of ones (2048) come out as float32 accumulation gives
   * them, where accumulation in bfloat16 stalls (at 1, and at 256).
   */
  public boolean accumulatesInFloat32() {
    int d = 2048;
    float[] data = new float[3 * d];
    for (int t = 0; t < d; t++) {
      data[t] = 1f;
      data[d + t] = t == 0 ? 1f : 0x1p-8f;
      data[2 * d + t] = 1f;
    }
    Features f = new Features(data, 3, d);
    try (Block block = prepare(f, 0, 3, new float[d])) {
      float[] o = new float[9];
      products(block, block, o);
      double mixed = 1 + (d - 1) * 0x1p-8;
      return Math.abs(o[1] - mixed) <= 0x1p-7 * mixed && o[0] == d && o[8] == d;
    }
  }

  private static volatile Boolean kernelAccumulatesInFloat32;

  /** {@link #accumulatesInFloat32} of this process's kernel, checked once. */
  public static boolean kernelAccumulatesInFloat32() {
    Boolean cached = kernelAccumulatesInFloat32;
    if (cached == null) {
      try (Bfloat16Products p = new Bfloat16Products()) {
        cached = p.accumulatesInFloat32();
      }
      kernelAccumulatesInFloat32 = cached;
    }
    return cached;
  }



  @Override
  public void close() {
    open.forEach(Block::close);
    open.clear();
    session.close();
    graph.close();
  }

  /**
   * The error bounds of the bfloat16 tile (derivation). Let a = x_i - mu, b = x_j - mu in exact
   * arithmetic, a^, b^ their bfloat16 roundings with |a - a^| <= rho_i, n_i = fl32(|a^|^2) and
   * o = bf16(s), s the float32 accumulation of the exact products a^_k b^_k. With
   * gamma = d 2^-24 / (1 - d 2^-24) (a float32 sum of d terms), beta0 = 2^-7 / (1 - 2^-7)
   * (bfloat16 rounding, any rounding mode):
   * <ul>
   *   <li>|n_i - |a^|^2| <= gamma n_i (1 + gamma), |s - a^.b^| <= gamma |a^||b^|, |o - s| <= beta0 |o|;
   *   <li>so with D' = n_i + n_j - 2 o and P = D' - 2 beta0 |o| (the pessimistic distance),
   *       |a^ - b^|^2 >= P - c_i where c_i = gamma' (n_i + N + 2 sqrt(n_i N)), N the largest n_j
   *       of the other set and gamma' = gamma (1 + gamma)^2;
   *   <li>and |a - b| >= |a^ - b^| - rho_i - rho_j. Hence P > theta = (sqrt(r) + rho_i + R)^2 + c_i
   *       (R the largest rho_j) implies |x_i - x_j|^2 > r.
   * </ul>
   * Slack of 1e-9 relative and 1e-12 of the norms covers the float64 rounding of these formulas.
   */
  public record Bounds(double gamma, double beta, double otherMaxNorm, double otherMaxRho) {
    /** Relative error bound of a float32 sum of d terms (Higham's gamma_d). */
    static double gamma(int dim) {
      double u = dim * 0x1p-24;
      return u / (1 - u);
    }

    /** The bounds against a set whose blocks are {@code other}. */
    public static Bounds against(List<Block> other, int dim) {
      double n = 0;
      double r = 0;
      for (Block b : other) {
        for (int i = 0; i < b.size(); i++) {
          n = Math.max(n, b.norm[i]);
          r = Math.max(r, b.rho[i]);
        }
      }
      double beta0 = 0x1p-7 / (1 - 0x1p-7);
      return new Bounds(gamma(dim), 2 * beta0, n, r);
    }

    /** P = n_i + n_j - 2 o - 2 beta0 |o|: a pair's pessimistic (never too large) distance. */
    public double pessimistic(double ni, double nj, float o) {
      return ni + nj - 2.0 * o - beta * Math.abs(o);
    }

    /** theta(i, r): a pair (i, j) with P > theta is provably farther than squared radius r. */
    public double threshold(double ni, double rhoI, double r) {
      double g = gamma * (1 + gamma) * (1 + gamma);
      double c = g * (ni + otherMaxNorm + 2 * Math.sqrt(ni * otherMaxNorm));
      double reach = Math.sqrt(Math.max(r, 0)) + rhoI + otherMaxRho;
      return (reach * reach + c) * (1 + 1e-9) + 1e-12 * (ni + otherMaxNorm) + Double.MIN_NORMAL;
    }
  }
}
