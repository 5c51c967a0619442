package org.restorelab.metric;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.stream.IntStream;
import org.restorelab.metric.Bfloat16Products.Block;
import org.restorelab.metric.Bfloat16Products.Bounds;

/**
 * Exact improved precision and recall (the protocol of {@link PrecisionRecall}) from a
 * bfloat16 candidate pass: distances are proved in or out of each ball from bfloat16 tiles with
 * rigorous error bounds ({@link Bfloat16Products.Bounds}), and only the pairs the bounds cannot
 * decide are computed exactly, in float64 from the float32 features.
 *
 * <ul>
 *   <li><b>Radii</b> (symmetric tiles, half a pass per set): each point keeps the {@code candidates}
 *       smallest pessimistic distances P of the tiles (a float32 filter with a margin skips the
 *       pairs that cannot enter). The float64 distances to its first k candidates bound its
 *       radius by r'; of the rest, only candidates with P <= theta(r') can be nearer, and get
 *       their float64 distance too. The k-th smallest, r~, is the radius when the largest kept P
 *       exceeds theta(r~): every other point is then provably farther than r~. Points where
 *       it does not (their fallback) get a second bfloat16 pass over all points, keeping every
 *       pair with P <= theta(r~), and the k-th smallest float64 distance among them.
 *   <li><b>Coverage</b> (one fused pass over the real-generated tiles): a pair is checked in float64
 *       only where P <= theta of the ball in question; every other pair is provably outside it.
 * </ul>
 * The distances are float64 sums over float32 features ({@link #squaredDistance}), so the result
 * can differ from the float32 tile path only for a point whose distance to a ball's boundary is
 * below float32 rounding. {@code bench metrics --full-scale} compares both on the same features.
 */
public final class CandidatePrecisionRecall {
  private final int k;
  private final int tile;
  private final int candidates;
  private long exactDistances;
  private int fallbackPoints;

  public CandidatePrecisionRecall(int k, int tileSize, int candidates) {
    if (candidates < k) {
      throw new IllegalArgumentException("precision_recall.candidates must be >= k = " + k + ", got "
          + candidates);
    }
    this.k = k;
    this.tile = tileSize;
    this.candidates = candidates;
  }

  /** Precision and recall of {@code generated} against {@code real}. */
  public PrecisionRecall.Result compute(Features real, Features generated) {
    try (Bfloat16Products products = new Bfloat16Products()) {
      float[] mu = mean(real);
      List<Block> realBlocks = products.prepareAll(real, tile, mu);
      List<Block> generatedBlocks = products.prepareAll(generated, tile, mu);
      double[] realRadii = squaredRadii(products, real, realBlocks, mu, "real");
      double[] generatedRadii = squaredRadii(products, generated, generatedBlocks, mu, "generated");
      return coverage(products, real, realBlocks, realRadii, generated, generatedBlocks, generatedRadii);
    }
  }

  /** Float64 distances computed so far (candidates, fallback pairs and undecided coverage pairs). */
  public long exactDistances() {
    return exactDistances;
  }

  /** Points whose candidates did not prove their radius, over all radii computed so far. */
  public int fallbackPoints() {
    return fallbackPoints;
  }

  /** The per-dimension mean of {@code f}, the shift that keeps the bfloat16 products small. */
  public static float[] mean(Features f) {
    int d = f.dim();
    double[] s = new double[d];
    float[] data = f.data();
    for (int i = 0; i < f.count(); i++) {
      for (int t = 0; t < d; t++) {
        s[t] += data[i * d + t];
      }
    }
    float[] mu = new float[d];
    for (int t = 0; t < d; t++) {
      mu[t] = (float) (s[t] / Math.max(1, f.count()));
    }
    return mu;
  }

  /** |a_i - b_j|^2 summed in float64 over the float32 coordinates. */
  public static double squaredDistance(Features a, int i, Features b, int j) {
    int d = a.dim();
    float[] ad = a.data();
    float[] bd = b.data();
    int ai = i * d;
    int bj = j * d;
    double s0 = 0;
    double s1 = 0;
    int t = 0;
    for (; t + 1 < d; t += 2) {
      double d0 = (double) ad[ai + t] - bd[bj + t];
      double d1 = (double) ad[ai + t + 1] - bd[bj + t + 1];
      s0 += d0 * d0;
      s1 += d1 * d1;
    }
    if (t < d) {
      double d0 = (double) ad[ai + t] - bd[bj + t];
      s0 += d0 * d0;
    }
    return s0 + s1;
  }

  /** The k smallest pessimistic distances seen per point, with the points they belong to. */
  private static final class Candidates {
    final int size;
    final float[] value;
    final int[] index;

    Candidates(int points, int size) {
      this.size = size;
      value = new float[points * size];
      index = new int[points * size];
      Arrays.fill(value, Float.POSITIVE_INFINITY);
      Arrays.fill(index, -1);
    }

    float worst(int p) {
      return value[p * size + size - 1];
    }

    void offer(int p, float v, int j) {
      int o = p * size;
      int q = o + size - 1;
      while (q > o && value[q - 1] > v) {
        value[q] = value[q - 1];
        index[q] = index[q - 1];
        q--;
      }
      value[q] = v;
      index[q] = j;
    }
  }

  /**
   * Exact squared k-nearest-neighbour radii of {@code set} (itself excluded), from its blocks
   * prepared with the shift {@code mu}.
   */
  public double[] squaredRadii(Bfloat16Products products, Features set, List<Block> blocks, float[] mu,
      String name) {
    int n = set.count();
    if (k > n - 1) {
      throw new IllegalArgumentException("precision_recall.k = " + k + " needs at least k + 1 = "
          + (k + 1) + " " + name + " samples, got " + n);
    }
    Bounds bounds = Bounds.against(blocks, set.dim());
    Candidates kept = new Candidates(n, Math.min(candidates, n - 1));
    float[] o = new float[tile * tile];
    for (int a = 0; a < blocks.size(); a++) {
      Block ba = blocks.get(a);
      for (int b = a; b < blocks.size(); b++) {
        Block bb = blocks.get(b);
        products.products(ba, bb, o);
        scanSymmetric(ba, bb, a == b, o, bounds, kept);
      }
    }
    double[] radii = new double[n];
    double[] theta = new double[n];
    boolean[] proved = new boolean[n];
    int[] computed = new int[n];
    IntStream.range(0, n).parallel().forEach(p -> {
      // the candidates are sorted by P: the first k give an upper bound r' of the radius, and
      // only candidates with P <= theta(r') can be nearer than r'
      Block own = blocks.get(p / tile);
      double np = own.norm[p - own.start];
      double rhoP = own.rho[p - own.start];
      int base = p * kept.size;
      double[] d = new double[kept.size];
      double upper = 0;
      for (int c = 0; c < k; c++) {
        d[c] = squaredDistance(set, p, set, kept.index[base + c]);
        upper = Math.max(upper, d[c]);
      }
      double reach = bounds.threshold(np, rhoP, upper);
      int count = k;
      while (count < kept.size && kept.value[base + count] <= reach) {
        d[count] = squaredDistance(set, p, set, kept.index[base + count]);
        count++;
      }
      Arrays.sort(d, 0, count);
      radii[p] = d[k - 1];
      computed[p] = count;
      theta[p] = bounds.threshold(np, rhoP, radii[p]);
      // every candidate left out has P > theta(r') >= theta(r~); every point not kept, P >= worst
      proved[p] = kept.size == n - 1 || kept.worst(p) > theta[p];
    });
    exactDistances += Arrays.stream(computed).asLongStream().sum();
    int[] fallback = IntStream.range(0, n).filter(p -> !proved[p]).toArray();
    fallbackPoints += fallback.length;
    if (fallback.length > 0) {
      refine(products, set, blocks, mu, bounds, fallback, radii, theta);
    }
    return radii;
  }

  /**
   * u_j = -2 o_j - beta |o_j| for one row of a tile, in float32: the part of P = n_i + n_j + u_j
   * that depends on the pair. A plain loop the JIT vectorizes; its rounding (a few ulps of
   * n_i + N) is what {@link #slack} covers.
   */
  private static void crossTerm(float[] o, int row, int width, float beta, float[] u) {
    for (int j = 0; j < width; j++) {
      float v = o[row + j];
      u[j] = -2f * v - beta * Math.abs(v);
    }
  }

  /** A float32 filter's margin: 1e-5 of n_i + N, far above its few ulps of rounding. */
  private static float slack(double ni, double otherMaxNorm) {
    return (float) (1e-5 * (ni + otherMaxNorm));
  }

  /**
   * Row and column candidates from one tile of a set against itself. A float32 filter with a
   * margin lets through every pair that can matter; such a pair is offered when its P (float64)
   * is below the point's worst kept value, and stored rounded down, so every pair left out has P
   * at or above the final worst kept value.
   */
  private static void scanSymmetric(Block ba, Block bb, boolean diagonal, float[] o, Bounds bounds,
      Candidates kept) {
    int width = bb.size();
    double[] nb = bb.norm;
    float[] nbF = bb.normFloat;
    float beta = (float) bounds.beta();
    int size = kept.size;
    float[] value = kept.value;
    float[] u = new float[width];
    float[] colKey = new float[width]; // worst_j - n_j, the column test's limit before n_i
    for (int j = bb.start; j < bb.end; j++) {
      colKey[j - bb.start] = (float) (value[j * size + size - 1] - nb[j - bb.start]);
    }
    for (int i = ba.start; i < ba.end; i++) {
      double ni = ba.norm[i - ba.start];
      int row = (i - ba.start) * width;
      crossTerm(o, row, width, beta, u);
      float margin = slack(ni, bounds.otherMaxNorm());
      float niF = (float) ni;
      float worstI = kept.worst(i);
      float rowLimit = (float) (worstI - ni) + margin;
      int from = diagonal ? i + 1 - bb.start : 0; // the diagonal tile holds both orders of each pair: take each once
      for (int jj = from; jj < width; jj++) {
        float uj = u[jj];
        boolean rowMay = nbF[jj] + uj < rowLimit;
        boolean colMay = uj < colKey[jj] - niF + margin;
        if (!rowMay && !colMay) {
          continue;
        }
        int j = bb.start + jj;
        float oij = o[row + jj];
        double p = ni + nb[jj] - 2.0 * oij - bounds.beta() * Math.abs(oij);
        if (p < worstI) {
          kept.offer(i, roundedDown(p), j);
          worstI = kept.worst(i);
          rowLimit = (float) (worstI - ni) + margin;
        }
        if (p < value[j * size + size - 1]) {
          kept.offer(j, roundedDown(p), i);
          colKey[jj] = (float) (value[j * size + size - 1] - nb[jj]);
        }
      }
      // this row's own column entry (in a diagonal tile) may have changed through the row offers
      if (diagonal) {
        colKey[i - bb.start] = (float) (value[i * size + size - 1] - nb[i - bb.start]);
      }
    }
  }

  /** The largest float not above {@code v}: a kept P never exceeds the pair's pessimistic distance. */
  static float roundedDown(double v) {
    float f = (float) v;
    return f > v ? Math.nextDown(f) : f;
  }

  /**
   * The radii of the points whose candidates did not prove them: every pair with P <= theta(r~)
   * from a second bfloat16 pass, the k-th smallest float64 distance among them.
   */
  private void refine(Bfloat16Products products, Features set, List<Block> blocks, float[] mu,
      Bounds bounds, int[] points, double[] radii, double[] theta) {
    int d = set.dim();
    float[] rows = new float[Math.multiplyExact(points.length, d)];
    for (int q = 0; q < points.length; q++) {
      System.arraycopy(set.data(), points[q] * d, rows, q * d, d);
    }
    Features subset = new Features(rows, points.length, d);
    float[] o = new float[tile * tile];
    List<List<Double>> near = new ArrayList<>();
    for (int q = 0; q < points.length; q++) {
      near.add(new ArrayList<>());
    }
    for (int s = 0; s < points.length; s += tile) {
      try (Block fb = products.prepare(subset, s, Math.min(points.length, s + tile), mu)) {
        for (Block bb : blocks) {
          products.products(fb, bb, o);
          int width = bb.size();
          for (int q = fb.start; q < fb.end; q++) {
            int p = points[q];
            double nq = fb.norm[q - fb.start];
            int row = (q - fb.start) * width;
            for (int j = bb.start; j < bb.end; j++) {
              if (j != p && bounds.pessimistic(nq, bb.norm[j - bb.start], o[row + j - bb.start]) <= theta[p]) {
                near.get(q).add(squaredDistance(set, p, set, j));
                exactDistances++;
              }
            }
          }
        }
      }
    }
    for (int q = 0; q < points.length; q++) {
      double[] v = near.get(q).stream().mapToDouble(Double::doubleValue).sorted().toArray();
      radii[points[q]] = v[k - 1];
    }
  }

  /**
   * Precision and recall from one pass over the real-generated bfloat16 tiles: generated j is
   * covered when some real i has |x_i - y_j|^2 <= r_i, real i when some generated j has it
   * <= r_j; float64 checks only where the bounds cannot decide.
   */
  public PrecisionRecall.Result coverage(Bfloat16Products products, Features real, List<Block> realBlocks,
      double[] realRadii, Features generated, List<Block> generatedBlocks, double[] generatedRadii) {
    int n = real.count();
    int m = generated.count();
    Bounds towardsGenerated = Bounds.against(generatedBlocks, real.dim());
    Bounds towardsReal = Bounds.against(realBlocks, real.dim());
    double[] realTheta = new double[n];
    for (Block b : realBlocks) {
      for (int i = b.start; i < b.end; i++) {
        realTheta[i] = towardsGenerated.threshold(b.norm[i - b.start], b.rho[i - b.start], realRadii[i]);
      }
    }
    double[] generatedTheta = new double[m];
    for (Block b : generatedBlocks) {
      for (int j = b.start; j < b.end; j++) {
        generatedTheta[j] = towardsReal.threshold(b.norm[j - b.start], b.rho[j - b.start], generatedRadii[j]);
      }
    }
    boolean[] realCovered = new boolean[n];
    boolean[] generatedCovered = new boolean[m];
    float[] o = new float[tile * tile];
    float[] u = new float[tile];
    float beta = (float) towardsGenerated.beta();
    for (Block br : realBlocks) {
      for (Block bg : generatedBlocks) {
        if (PrecisionRecall.allTrue(realCovered, br.start, br.end) && PrecisionRecall.allTrue(generatedCovered, bg.start, bg.end)) {
          continue;
        }
        products.products(br, bg, o);
        int width = bg.size();
        float[] nbF = bg.normFloat;
        float[] recallKey = new float[width]; // theta_j - n_j, the recall test's limit before n_i
        for (int jj = 0; jj < width; jj++) {
          recallKey[jj] = (float) (generatedTheta[bg.start + jj] - bg.norm[jj]);
        }
        for (int i = br.start; i < br.end; i++) {
          double ni = br.norm[i - br.start];
          int row = (i - br.start) * width;
          crossTerm(o, row, width, beta, u);
          float margin = slack(ni, Math.max(towardsGenerated.otherMaxNorm(), towardsReal.otherMaxNorm()));
          float precisionLimit = (float) (realTheta[i] - ni) + margin;
          float recallShift = (float) ni - margin;
          for (int jj = 0; jj < width; jj++) {
            float uj = u[jj];
            if (!(nbF[jj] + uj <= precisionLimit) && !(uj + recallShift <= recallKey[jj])) {
              continue; // provably outside both balls
            }
            int j = bg.start + jj;
            boolean askPrecision = !generatedCovered[j];
            boolean askRecall = !realCovered[i];
            if (!askPrecision && !askRecall) {
              continue;
            }
            double p = towardsGenerated.pessimistic(ni, bg.norm[jj], o[row + jj]);
            askPrecision &= p <= realTheta[i];
            askRecall &= p <= generatedTheta[j];
            if (askPrecision || askRecall) {
              double dist = squaredDistance(real, i, generated, j);
              exactDistances++;
              if (askPrecision && dist <= realRadii[i]) {
                generatedCovered[j] = true;
              }
              if (askRecall && dist <= generatedRadii[j]) {
                realCovered[i] = true;
              }
            }
          }
        }
      }
    }
    return new PrecisionRecall.Result(PrecisionRecall.countTrue(generatedCovered) / (double) m,
        PrecisionRecall.countTrue(realCovered) / (double) n);
  }
}
