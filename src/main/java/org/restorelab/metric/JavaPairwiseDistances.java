package org.restorelab.metric;

/**
 * Plain-Java distance tiles: sum of squared differences, accumulated in float64 and rounded
 * once to float32. Exact for small-integer coordinates, so ties are ties.
 */
public final class JavaPairwiseDistances implements PairwiseDistances {
  @Override
  public void squaredDistances(Features a, int a0, int a1, Features b, int b0, int b1, float[] out) {
    int dim = a.dim();
    float[] ad = a.data();
    float[] bd = b.data();
    int width = b1 - b0;
    for (int i = a0; i < a1; i++) {
      int ai = i * dim;
      int row = (i - a0) * width;
      for (int j = b0; j < b1; j++) {
        int bj = j * dim;
        double s0 = 0;
        double s1 = 0;
        int t = 0;
        for (; t + 1 < dim; t += 2) {
          double d0 = ad[ai + t] - bd[bj + t];
          double d1 = ad[ai + t + 1] - bd[bj + t + 1];
          s0 += d0 * d0;
          s1 += d1 * d1;
        }
        if (t < dim) {
          double d0 = ad[ai + t] - bd[bj + t];
          s0 += d0 * d0;
        }
        out[row + j - b0] = (float) (s0 + s1);
      }
    }
  }

  @Override
  public boolean threadSafe() {
    return true;
  }

  @Override
  public void close() {}
}
