package org.restorelab.metric;

import java.util.Arrays;
import java.util.stream.IntStream;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.config.PrecisionRecallConfig.CandidatePass;
import org.restorelab.graph.ConvolutionPrecision;

/**
 * Improved precision and recall (Kynkaanniemi et al., NeurIPS 2019; SPEC section 3), exact,
 * tiled and in bounded memory.
 *
 * <p>The radius of a sample is the distance to its k-th nearest neighbour in its own set, the
 * sample itself excluded (duplicates of it count as neighbours at distance 0).
 * Precision = fraction of generated samples within the radius of at least one real sample.
 * Recall = fraction of real samples within the radius of at least one generated sample, using
 * the generated samples' radii (one widely used implementation uses the real radii there by
 * mistake). "Within" is inclusive: a distance equal to the radius counts.
 *
 * <p>Memory beyond the two feature sets is O(tile^2 + n k) floats; the distance tiles come from
 * a {@link PairwiseDistances} backend. Reference: stylegan2-ada {@code metrics/precision_recall.py}
 * (which this matches, with the recall radii as specified above).
 */
public final class PrecisionRecall {

  /** Precision and recall, both in [0, 1]. */
  public record Result(double precision, double recall) {}

  private final int k;
  private final int tile;
  private final PairwiseDistances distances;
  private final CandidatePrecisionRecall candidatePass;

  public PrecisionRecall(int k, int tileSize, PairwiseDistances distances) {
    this(k, tileSize, distances, null);
  }

  /**
   * A metric whose {@link #compute} runs {@code candidatePass} (the bfloat16 candidate pass)
   * instead of the float32 tiles when it is not null.
   */
  public PrecisionRecall(int k, int tileSize, PairwiseDistances distances, CandidatePrecisionRecall candidatePass) {
    if (k < 1) {
      throw new IllegalArgumentException("precision_recall.k must be >= 1, got " + k);
    }
    if (tileSize < 1) {
      throw new IllegalArgumentException("precision_recall.tile_size must be >= 1, got " + tileSize);
    }
    this.k = k;
    this.tile = tileSize;
    this.distances = distances;
    this.candidatePass = candidatePass;
  }

  /**
   * A metric configured by {@code config} on a backend it does not own; the bfloat16 candidate
   * pass where {@code candidate_pass} asks for it on a TensorFlow backend ({@link #usesCandidatePass}).
   */
  public static PrecisionRecall of(PrecisionRecallConfig config, PairwiseDistances distances) {
    CandidatePrecisionRecall candidates = usesCandidatePass(config.getCandidatePass(), distances)
        ? new CandidatePrecisionRecall(config.getK(), config.getTileSize(), config.getCandidates()) : null;
    return new PrecisionRecall(config.getK(), config.getTileSize(), distances, candidates);
  }

  /**
   * Whether {@code pass} means the bfloat16 candidate pass with {@code distances}: BFLOAT16 on a
   * TensorFlow backend (refused, naming the field, where the MatMul does not accumulate in
   * float32); CANDIDATES_AUTO where, in addition, the CPU has bfloat16 matrix hardware.
   */
  public static boolean usesCandidatePass(CandidatePass pass, PairwiseDistances distances) {
    if (pass == CandidatePass.OFF || !(distances instanceof TensorFlowPairwiseDistances)) {
      return false;
    }
    if (pass == CandidatePass.CANDIDATES_AUTO && !ConvolutionPrecision.cpuHasBfloat16()) {
      return false;
    }
    boolean float32Accumulation = Bfloat16Products.kernelAccumulatesInFloat32();
    if (pass == CandidatePass.BFLOAT16 && !float32Accumulation) {
      throw new IllegalArgumentException("precision_recall.candidate_pass = BFLOAT16: this machine's "
          + "bfloat16 MatMul does not accumulate in float32, so its error bounds would not hold; use OFF");
    }
    return float32Accumulation;
  }

  /** Whether {@link #compute} runs the bfloat16 candidate pass. */
  public boolean candidatePass() {
    return candidatePass != null;
  }

  /**
   * Precision and recall of {@code generated} against {@code real}: two symmetric radii passes
   * (half a full pass each) and one fused coverage pass (one full pass at most), 2 full-pass
   * equivalents in all instead of the 4 of {@link #computeWithFullPasses}.
   */
  public Result compute(Features real, Features generated) {
    checkDimensions(real, generated);
    if (candidatePass != null) {
      return candidatePass.compute(real, generated);
    }
    float[] realRadii = squaredRadii(real, "real");
    float[] generatedRadii = squaredRadii(generated, "generated");
    return fusedCoverage(real, generated, realRadii, generatedRadii);
  }

  /**
   * The same metric by the first implementation's four passes: each set's radii from every tile
   * of its own distances, then precision and recall coverage one after the other. Kept as the
   * reference that {@code bench metrics --full-scale} and the tests compare {@link #compute} to.
   */
  public Result computeWithFullPasses(Features real, Features generated) {
    checkDimensions(real, generated);
    float[] realRadii = squaredRadiiFullPass(real, "real");
    float[] generatedRadii = squaredRadiiFullPass(generated, "generated");
    double precision = coverage(generated, real, realRadii);
    double recall = coverage(real, generated, generatedRadii);
    return new Result(precision, recall);
  }

  private static void checkDimensions(Features real, Features generated) {
    if (real.dim() != generated.dim()) {
      throw new IllegalArgumentException("real features have dimension " + real.dim()
          + ", generated features " + generated.dim());
    }
  }

  /**
   * Squared distance of every sample to its k-th nearest neighbour within {@code set}, from the
   * tiles on and above the diagonal only: tile (a, b) with a < b updates the neighbour lists of
   * its rows and, read by columns, those of its columns (d(i, j) = d(j, i)).
   */
  public float[] squaredRadii(Features set, String name) {
    int n = set.count();
    checkK(n, name);
    int tiles = tiles(n);
    float[] best = emptyNeighbours(n);
    Object[] locks = new Object[tiles];
    for (int t = 0; t < tiles; t++) {
      locks[t] = new Object();
    }
    rowTiles(n).forEach(a -> addRowTileNeighbours(set, a, best, locks, new float[tile * tile]));
    return radii(best);
  }

  /**
   * Precision and recall from one pass over the real-generated distance tiles: d(i, j) within
   * the real radius of i covers generated j (precision); within the generated radius of j it
   * covers real i (recall). A tile whose rows and columns are all covered already is skipped.
   */
  public Result fusedCoverage(Features real, Features generated, float[] realRadii, float[] generatedRadii) {
    checkDimensions(real, generated);
    int n = real.count();
    int m = generated.count();
    if (n == 0 || m == 0) {
      throw new IllegalArgumentException("no " + (n == 0 ? "real" : "generated") + " samples");
    }
    boolean[] realCovered = new boolean[n];
    boolean[] generatedCovered = new boolean[m];
    rowTiles(n).forEach(t -> coverRowTile(real, generated, realRadii, generatedRadii, t, realCovered, generatedCovered,
        new float[tile * tile]));
    return result(realCovered, generatedCovered);
  }

  // The blocks of the two passes above. They are public so that a cluster can run them as tasks
  // (restorelab-spark's blocked k-NN) and merge what the tasks return into the same radii, bit for
  // bit, and the same precision and recall as compute() with the float32 tiles.

  /** How many row tiles (of {@code tile_size} rows) {@code n} samples make. */
  public int tiles(int n) {
    return (n + tile - 1) / tile;
  }

  /** The neighbours kept per sample. */
  public int k() {
    return k;
  }

  /** Empty k-nearest lists of {@code n} samples (n x k, +inf), as {@link #addRowTileNeighbours} fills them. */
  public float[] emptyNeighbours(int n) {
    float[] best = new float[Math.multiplyExact(n, k)];
    Arrays.fill(best, Float.POSITIVE_INFINITY);
    return best;
  }

  /**
   * Inserts the distances of row tile {@code a}'s tiles on and above the diagonal, (a, b) for
   * b >= a, into the ascending k-nearest lists {@code best} (n x k) of the rows and, read by
   * columns, of the columns, a sample's distance to itself left out. Row tile a's lists are
   * complete once every row tile c <= a has been added. {@code locks} (one per row tile) guards
   * the lists of concurrent callers; null for a single caller. {@code buffer} holds tile^2 floats.
   */
  public void addRowTileNeighbours(Features set, int a, float[] best, Object[] locks, float[] buffer) {
    int n = set.count();
    int tiles = tiles(n);
    int r0 = a * tile;
    int r1 = Math.min(n, r0 + tile);
    for (int b = a; b < tiles; b++) {
      int c0 = b * tile;
      int c1 = Math.min(n, c0 + tile);
      int width = c1 - c0;
      distances.squaredDistances(set, r0, r1, set, c0, c1, buffer);
      synchronized (locks == null ? best : locks[a]) {
        for (int i = r0; i < r1; i++) {
          int row = (i - r0) * width;
          int o = i * k;
          for (int j = c0; j < c1; j++) {
            float d = buffer[row + j - c0];
            if (j != i && d < best[o + k - 1]) {
              insertSorted(best, o, k, d);
            }
          }
        }
      }
      if (b == a) {
        continue; // the diagonal tile holds both orders of each pair already
      }
      synchronized (locks == null ? best : locks[b]) {
        for (int i = r0; i < r1; i++) {
          int row = (i - r0) * width;
          for (int j = c0; j < c1; j++) {
            float d = buffer[row + j - c0];
            int o = j * k;
            if (d < best[o + k - 1]) {
              insertSorted(best, o, k, d);
            }
          }
        }
      }
    }
  }

  /**
   * Merges the k-nearest lists {@code from} into {@code into} (both n x k, ascending): each
   * sample's list in {@code into} then holds the k smallest of both, so lists filled from disjoint
   * sets of row tiles merge into the lists of all of them, in any order.
   */
  public void mergeNeighbours(float[] into, float[] from) {
    if (into.length != from.length) {
      throw new IllegalArgumentException("neighbour lists of " + into.length / k + " and " + from.length / k
          + " samples cannot be merged");
    }
    for (int o = 0; o < into.length; o += k) {
      for (int q = 0; q < k && from[o + q] < into[o + k - 1]; q++) {
        insertSorted(into, o, k, from[o + q]);
      }
    }
  }

  /** The squared radius of each sample: the last (k-th) of its complete k-nearest list. */
  public float[] radii(float[] best) {
    float[] radii = new float[best.length / k];
    for (int i = 0; i < radii.length; i++) {
      radii[i] = best[i * k + k - 1];
    }
    return radii;
  }

  /**
   * Coverage of real row tile {@code t} against every generated sample: sets {@code realCovered}
   * for its real rows within the generated radius of some generated sample, and
   * {@code generatedCovered} for the generated samples within the real radius of one of its rows
   * (flags are only ever set, so callers on other row tiles agree and their flags OR together). A
   * column tile is skipped when its rows and columns are all covered already.
   */
  public void coverRowTile(Features real, Features generated, float[] realRadii, float[] generatedRadii, int t,
      boolean[] realCovered, boolean[] generatedCovered, float[] buffer) {
    int n = real.count();
    int m = generated.count();
    int r0 = t * tile;
    int r1 = Math.min(n, r0 + tile);
    for (int c0 = 0; c0 < m; c0 += tile) {
      int c1 = Math.min(m, c0 + tile);
      if (allTrue(realCovered, r0, r1) && allTrue(generatedCovered, c0, c1)) {
        continue;
      }
      int width = c1 - c0;
      distances.squaredDistances(real, r0, r1, generated, c0, c1, buffer);
      for (int i = r0; i < r1; i++) {
        int row = (i - r0) * width;
        float realRadius = realRadii[i];
        boolean covered = realCovered[i];
        for (int j = c0; j < c1; j++) {
          float d = buffer[row + j - c0];
          if (d <= realRadius) {
            generatedCovered[j] = true; // only ever set to true: concurrent row tiles agree
          }
          if (d <= generatedRadii[j]) {
            covered = true;
          }
        }
        realCovered[i] = covered;
      }
    }
  }

  /** Precision (covered generated samples) and recall (covered real samples) from the coverage flags. */
  public static Result result(boolean[] realCovered, boolean[] generatedCovered) {
    return new Result(countTrue(generatedCovered) / (double) generatedCovered.length,
        countTrue(realCovered) / (double) realCovered.length);
  }

  /** Whether every flag in [from, to) is set. */
  static boolean allTrue(boolean[] flags, int from, int to) {
    for (int i = from; i < to; i++) {
      if (!flags[i]) {
        return false;
      }
    }
    return true;
  }

  /** How many flags are set. */
  static int countTrue(boolean[] flags) {
    int c = 0;
    for (boolean f : flags) {
      c += f ? 1 : 0;
    }
    return c;
  }

  /** Refuses a set too small for k neighbours besides each sample, naming it. */
  public void checkK(int n, String name) {
    if (k > n - 1) {
      throw new IllegalArgumentException("precision_recall.k = " + k + " needs at least k + 1 = "
          + (k + 1) + " " + name + " samples, got " + n);
    }
  }

  /**
   * {@link #squaredRadii} from every tile of the set's distances to itself (a full pass): the
   * reference path.
   */
  public float[] squaredRadiiFullPass(Features set, String name) {
    int n = set.count();
    checkK(n, name);
    float[] radii = new float[n];
    forEachRowTile(n, (r0, r1, buffer) -> {
      float[][] best = new float[r1 - r0][k];
      for (float[] b : best) {
        Arrays.fill(b, Float.POSITIVE_INFINITY);
      }
      for (int c0 = 0; c0 < n; c0 += tile) {
        int c1 = Math.min(n, c0 + tile);
        int width = c1 - c0;
        distances.squaredDistances(set, r0, r1, set, c0, c1, buffer);
        for (int i = r0; i < r1; i++) {
          float[] b = best[i - r0];
          int row = (i - r0) * width;
          for (int j = c0; j < c1; j++) {
            float d = buffer[row + j - c0];
            if (j != i && d < b[k - 1]) {
              insertSorted(b, 0, k, d);
            }
          }
        }
      }
      for (int i = r0; i < r1; i++) {
        radii[i] = best[i - r0][k - 1];
      }
    });
    return radii;
  }

  /**
   * Fraction of {@code queries} within the ball of at least one of {@code centres}, whose
   * squared radii are {@code squaredRadii}.
   */
  public double coverage(Features queries, Features centres, float[] squaredRadii) {
    int n = queries.count();
    int m = centres.count();
    if (n == 0) {
      throw new IllegalArgumentException("no query samples");
    }
    int[] inside = new int[1];
    boolean[] covered = new boolean[n];
    forEachRowTile(n, (r0, r1, buffer) -> {
      int open = r1 - r0;
      for (int c0 = 0; c0 < m && open > 0; c0 += tile) {
        int c1 = Math.min(m, c0 + tile);
        int width = c1 - c0;
        distances.squaredDistances(queries, r0, r1, centres, c0, c1, buffer);
        for (int i = r0; i < r1; i++) {
          if (covered[i]) {
            continue;
          }
          int row = (i - r0) * width;
          for (int j = c0; j < c1; j++) {
            if (buffer[row + j - c0] <= squaredRadii[j]) {
              covered[i] = true;
              open--;
              break;
            }
          }
        }
      }
    });
    for (boolean c : covered) {
      inside[0] += c ? 1 : 0;
    }
    return inside[0] / (double) n;
  }

  private interface TileTask {
    void run(int r0, int r1, float[] buffer);
  }

  /** The row tile indices of {@code n} samples, parallel when the backend allows it. */
  private IntStream rowTiles(int n) {
    int tiles = tiles(n);
    IntStream indices = IntStream.range(0, tiles);
    return distances.threadSafe() && tiles > 1 ? indices.parallel() : indices;
  }

  /** Runs {@code task} on each tile of rows, in parallel when the backend allows it. */
  private void forEachRowTile(int n, TileTask task) {
    rowTiles(n).forEach(t -> {
      int r0 = t * tile;
      int r1 = Math.min(n, r0 + tile);
      task.run(r0, r1, new float[(r1 - r0) * tile]);
    });
  }

  /** Inserts {@code d} into the ascending list {@code best[offset, offset + length)}, dropping its last. */
  private static void insertSorted(float[] best, int offset, int length, float d) {
    int p = offset + length - 1;
    while (p > offset && best[p - 1] > d) {
      best[p] = best[p - 1];
      p--;
    }
    best[p] = d;
  }
}
