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
import org.tensorflow.op.core.ReduceSum;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.types.TFloat32;

/**
 * Distance tiles on TensorFlow: d2 = max(|u|^2 - 2 u.v + |v|^2, 0) with one float32 MatMul per
 * tile (SPEC section 3). This is the fast path for high-dimensional features such as 2048-d
 * Inception pool features.
 */
public final class TensorFlowPairwiseDistances implements PairwiseDistances {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> a;
  private final Placeholder<TFloat32> b;
  private final Operand<TFloat32> d2;

  public TensorFlowPairwiseDistances() {
    Ops tf = Ops.create(graph);
    a = tf.withName("a").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    b = tf.withName("b").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
    d2 = squaredDistances(tf, a, b);
    session = TfSessions.open(graph);
  }

  /** max(|a_i|^2 - 2 a_i.b_j + |b_j|^2, 0) for a [m, d] and b [n, d]; result [m, n]. */
  static Operand<TFloat32> squaredDistances(Ops tf, Operand<TFloat32> a, Operand<TFloat32> b) {
    Operand<TFloat32> normA = tf.reduceSum(tf.math.square(a), tf.constant(1), ReduceSum.keepDims(true));
    Operand<TFloat32> normB = tf.reshape(tf.reduceSum(tf.math.square(b), tf.constant(1)), tf.constant(new long[] {1, -1}));
    Operand<TFloat32> cross = tf.linalg.matMul(a, b, MatMul.transposeB(true));
    Operand<TFloat32> d = tf.math.add(tf.math.sub(normA, tf.math.mul(tf.constant(2f), cross)), normB);
    return tf.withName("d2").math.maximum(d, tf.constant(0f));
  }

  @Override
  public void squaredDistances(Features fa, int a0, int a1, Features fb, int b0, int b1, float[] out) {
    int dim = fa.dim();
    try (TFloat32 ta = slice(fa, a0, a1);
        TFloat32 tb = slice(fb, b0, b1);
        Result result = session.runner().feed(a, ta).feed(b, tb).fetch(d2).run()) {
      TFloat32 t = (TFloat32) result.get(0);
      t.asRawTensor().data().asFloats().read(out, 0, (a1 - a0) * (b1 - b0));
    }
  }

  private static TFloat32 slice(Features f, int start, int end) {
    long n = (long) (end - start) * f.dim();
    return TFloat32.tensorOf(Shape.of(end - start, f.dim()),
        DataBuffers.of(f.data(), true, false).slice((long) start * f.dim(), n));
  }

  @Override
  public boolean threadSafe() {
    return false;
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
