package org.restorelab.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.RunOptions;
import org.tensorflow.types.TFloat32;

class TracedFlopsTest {
  @Test
  void countsTwoMnkPerExecutedMatmulIncludingTransposes() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      // fed inputs: constants would be folded away by Grappler before anything runs
      var a = tf.placeholder(TFloat32.class);
      var b = tf.placeholder(TFloat32.class);
      var c = tf.placeholder(TFloat32.class);
      Operand<TFloat32> ab = tf.linalg.matMul(a, b); // 2*3*5*4 = 120
      Operand<TFloat32> atc = tf.linalg.matMul(a, c, MatMul.transposeA(true)); // [4,7], K = 3: 2*4*7*3 = 168
      Operand<TFloat32> sum = tf.math.add(tf.reduceSum(ab, tf.constant(new int[] {0, 1})),
          tf.reduceSum(atc, tf.constant(new int[] {0, 1})));
      tf.linalg.matMul(b, b, MatMul.transposeB(true)); // never run: not counted
      try (Session s = new Session(g)) {
        List<RunMetadata> traces = new ArrayList<>();
        try (TFloat32 ta = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, 4));
            TFloat32 tb = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(4, 5));
            TFloat32 tc = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, 7));
            Result r = s.runner().feed(a, ta).feed(b, tb).feed(c, tc).fetch(sum).setOptions(RunOptions.newBuilder()
            .setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build()).runAndFetchMetadata()) {
          r.getMetadata().ifPresent(traces::add);
        }
        assertThat(TracedFlops.count(g, traces)).isEqualTo(120 + 168);
      }
    }
  }

  @Test
  void countsConvolutionsForwardAndBothBackwardOps() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      var x = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(2, 5, 5, 3)));
      var w = tf.placeholder(TFloat32.class, org.tensorflow.op.core.Placeholder.shape(org.tensorflow.ndarray.Shape.of(3, 3, 3, 4)));
      Operand<TFloat32> y = tf.nn.conv2d(x, w, List.of(1L, 1L, 1L, 1L), "SAME"); // |y| = 2*5*5*4 = 200
      Operand<TFloat32> loss = tf.reduceSum(tf.math.square(y), tf.constant(new int[] {0, 1, 2, 3}));
      List<Operand<TFloat32>> grads = org.restorelab.graph.Graphs.gradients(tf, loss, List.of(x, w));
      try (Session s = new Session(g)) {
        List<RunMetadata> traces = new ArrayList<>();
        try (TFloat32 tx = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, 5, 5, 3));
            TFloat32 tw = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(3, 3, 3, 4));
            Result r = s.runner().feed(x, tx).feed(w, tw).fetch(grads.get(0)).fetch(grads.get(1))
                .setOptions(RunOptions.newBuilder().setTraceLevel(RunOptions.TraceLevel.FULL_TRACE).build())
                .runAndFetchMetadata()) {
          r.getMetadata().ifPresent(traces::add);
        }
        // forward, input gradient, filter gradient: 2 * 200 * 9 * 3 each
        assertThat(TracedFlops.count(g, traces)).isEqualTo(3L * 2 * 200 * 9 * 3);
      }
    }
  }
}
