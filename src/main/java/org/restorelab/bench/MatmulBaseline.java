package org.restorelab.bench;

import java.util.SplittableRandom;
import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.family.TNumber;

/**
 * The machine's reference throughput: a float32 TensorFlow MatMul of two fed n x n matrices
 * (2 n^3 FLOPs). Benchmarks report their achieved FLOP/s as a ratio to this number, measured in
 * the same run.
 */
public final class MatmulBaseline {
  private MatmulBaseline() {}

  /** Best-of-{@code repeats} GFLOP/s of an n^3 float32 matmul, after one warm-up run. */
  public static double gflops(int n, int repeats) {
    return gflops(n, repeats, TFloat32.class);
  }

  /**
   * The same in another number type ({@code TFloat64.class}: the reference for float64 work
   * such as FID statistics); the fed float32 matrices are cast in the graph (O(n^2), timed too).
   */
  public static <T extends TNumber> double gflops(int n, int repeats, Class<T> type) {
    float[] data = new float[n * n];
    SplittableRandom random = new SplittableRandom(1);
    for (int i = 0; i < data.length; i++) {
      data[i] = (float) random.nextGaussian();
    }
    try (Graph g = new Graph();
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, n), DataBuffers.of(data, true, false))) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> a = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
      Placeholder<TFloat32> b = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(n, n)));
      // reduce to a scalar so that fetching the result costs nothing
      Operand<T> product = tf.reduceSum(tf.linalg.matMul(cast(tf, a, type), cast(tf, b, type)),
          tf.constant(new int[] {0, 1}));
      try (Session s = TfSessions.open(g)) {
        s.runner().feed(a, x).feed(b, x).fetch(product).run().close();
        double best = Double.POSITIVE_INFINITY;
        for (int r = 0; r < repeats; r++) {
          long t0 = System.nanoTime();
          s.runner().feed(a, x).feed(b, x).fetch(product).run().close();
          best = Math.min(best, (System.nanoTime() - t0) / 1e9);
        }
        return 2.0 * n * n * (double) n / best / 1e9;
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static <T extends TNumber> Operand<T> cast(Ops tf, Operand<TFloat32> x, Class<T> type) {
    return type == TFloat32.class ? (Operand<T>) x : tf.dtypes.cast(x, type);
  }
}
