package org.restorelab.export;

import java.util.SplittableRandom;
import org.tensorflow.types.TFloat32;

/** Arrays for the any-size export tests: a tensor's floats, seeded inputs, REFLECT padding in Java. */
final class TestArrays {
  private TestArrays() {}

  static float[] floats(TFloat32 t) {
    float[] v = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(v);
    return v;
  }

  /** n values, U[0, 1) or (normal) N(0, 1) by Box-Muller, from {@code seed}. */
  static float[] random(int n, long seed, boolean normal) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = normal ? (float) (Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()))
          : (float) r.nextDouble();
    }
    return v;
  }

  /** REFLECT padding of y [lh, lw, 3] at the bottom and right to [ph, pw, 3] (the edge not repeated). */
  static float[] reflect(float[] y, int lh, int lw, int ph, int pw) {
    float[] out = new float[ph * pw * 3];
    for (int i = 0; i < ph; i++) {
      int si = i < lh ? i : 2 * (lh - 1) - i;
      for (int j = 0; j < pw; j++) {
        int sj = j < lw ? j : 2 * (lw - 1) - j;
        System.arraycopy(y, (si * lw + sj) * 3, out, (i * pw + j) * 3, 3);
      }
    }
    return out;
  }
}
