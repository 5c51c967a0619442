package org.restorelab.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** The CEM projection against a loop over blocks, and the consistency it promises. */
class CemProjectionTest {
  private static final int N = 2;
  private static final int H = 8;
  private static final int W = 12;
  private static final int C = 3;
  private static final int S = 4;

  /** Values on a grid of 1/1024, so block sums and means of 16 of them are exact in float64. */
  private static double[] dyadic(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextInt(1025) / 1024.0;
    }
    return v;
  }

  private static double[] project(double[] x, double[] y) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> xt = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(x, true, false));
      Operand<TFloat64> yt = tf.constant(Shape.of(N, H / S, W / S, C), DataBuffers.of(y, true, false));
      Operand<TFloat64> xHat = CemProjection.project(tf, xt, yt, S, H, W, C);
      try (Result r = s.runner().fetch(xHat).run()) {
        double[] out = new double[x.length];
        ((TFloat64) r.get(0)).asRawTensor().data().asDoubles().read(out);
        return out;
      }
    }
  }

  /** AvgPool_s by loops: the mean of each s x s block. */
  private static double[] average(double[] x) {
    double[] out = new double[N * (H / S) * (W / S) * C];
    for (int b = 0; b < N; b++) {
      for (int i = 0; i < H / S; i++) {
        for (int j = 0; j < W / S; j++) {
          for (int c = 0; c < C; c++) {
            double sum = 0;
            for (int di = 0; di < S; di++) {
              for (int dj = 0; dj < S; dj++) {
                sum += x[((b * H + i * S + di) * W + j * S + dj) * C + c];
              }
            }
            out[((b * (H / S) + i) * (W / S) + j) * C + c] = sum / (S * S);
          }
        }
      }
    }
    return out;
  }

  @Test
  void isXPlusTheUpsampledResidualOfEachBlock() {
    double[] x = dyadic(N * H * W * C, 1);
    double[] y = dyadic(N * (H / S) * (W / S) * C, 2);
    double[] avg = average(x);
    double[] xHat = project(x, y);
    for (int b = 0; b < N; b++) {
      for (int i = 0; i < H; i++) {
        for (int j = 0; j < W; j++) {
          for (int c = 0; c < C; c++) {
            int low = ((b * (H / S) + i / S) * (W / S) + j / S) * C + c;
            int at = ((b * H + i) * W + j) * C + c;
            assertThat(xHat[at]).isCloseTo(x[at] + (y[low] - avg[low]), within(1e-15));
          }
        }
      }
    }
  }

  @Test
  void theProjectionIsConsistentExactly() {
    double[] x = dyadic(N * H * W * C, 3);
    double[] y = dyadic(N * (H / S) * (W / S) * C, 4);
    assertThat(average(project(x, y))).containsExactly(y);
    assertThat(average(x)).isNotEqualTo(y);
  }

  @Test
  void superResolutionDelegatesToIt() {
    SuperResolution task = new SuperResolution(H, W, S);
    double[] x = dyadic(N * H * W * C, 5);
    double[] y = dyadic(N * (H / S) * (W / S) * C, 6);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> xt = tf.constant(Shape.of(N, H, W, C), DataBuffers.of(x, true, false));
      Operand<TFloat64> yt = tf.constant(Shape.of(N, H / S, W / S, C), DataBuffers.of(y, true, false));
      try (Result r = s.runner().fetch(task.enforceConsistency(tf, xt, yt)).run()) {
        double[] out = new double[x.length];
        ((TFloat64) r.get(0)).asRawTensor().data().asDoubles().read(out);
        assertThat(out).containsExactly(project(x, y));
      }
    }
  }
}
