package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.graph.GraphTesting;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;
import org.tensorflow.types.TInt32;

/** The feature extractor's classifier: sizes, the cross-entropy by hand, and gradients in float64. */
class FactorClassifierTest {

  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble();
    }
    return v;
  }

  @Test
  void parameterCountMatchesAHandCount() {
    // width c = 16 on 32x32: convs 3->16, 16->16, 16->32, 32->32, 32->64, 64->64 (3x3, biases),
    // dense 4*4*64 -> 128, heads 128 -> K_j
    long c = 16;
    long convs = (27 * c + c) + (9 * c * c + c) + (9 * c * 2 * c + 2 * c) + (9 * 4 * c * c + 2 * c)
        + (9 * 2 * c * 4 * c + 4 * c) + (9 * 16 * c * c + 4 * c);
    long dense = 4 * 4 * 4 * c * 128 + 128;
    long heads = 128 * (3 + 5) + (3 + 5);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      FactorClassifier<TFloat32> net = new FactorClassifier<>(new Parameters<>(tf, "classifier", 0, TFloat32.class),
          32, 16, 128, new int[] {3, 5});
      assertThat(net.parameterCount()).isEqualTo(convs + dense + heads);
      assertThat(net.logitCount()).isEqualTo(8);
      assertThat(net.featureDim()).isEqualTo(128);
    }
  }

  @Test
  void crossEntropyIsLogSumExpMinusTheTrueLogit() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      // rows (1, 2, 3) with label 2 and (1000, 0, -1000) with label 1: the second needs the stable form
      Operand<TFloat64> logits = tf.constant(new double[][] {{1, 2, 3}, {1000, 0, -1000}});
      Operand<TFloat64> ce = FactorClassifier.crossEntropy(tf, logits, tf.constant(new int[] {2, 1}), 3);
      double[] got = GraphTesting.values(s, ce);
      assertThat(got[0]).isCloseTo(Math.log(Math.exp(1) + Math.exp(2) + Math.exp(3)) - 3, within(1e-12));
      // log(e^1000 + e^0 + e^-1000) - 0 = 1000 + log(1 + e^-1000 + e^-2000) = 1000 (to double precision)
      assertThat(got[1]).isCloseTo(1000, within(1e-9));
    }
  }

  @Test
  void lossGradientMatchesFiniteDifferencesInFloat64() {
    // width 2 on 8x8, 4 features, two factors (3 and 2 values), a batch of 3
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> params = new Parameters<>(tf, "classifier", 11, TFloat64.class);
      FactorClassifier<TFloat64> net = new FactorClassifier<>(params, 8, 2, 4, new int[] {3, 2});
      Operand<TFloat64> x = tf.constant(GraphTesting.tensor(random(3 * 8 * 8 * 3, 1), 3, 8, 8, 3));
      Operand<TInt32> codes = tf.constant(new int[][] {{0, 1}, {2, 0}, {1, 1}});
      List<Operand<TFloat64>> logits = net.logits(tf, net.features(tf, x));
      Operand<TFloat64> loss = net.loss(tf, logits, codes);
      List<Operand<TFloat64>> grads = Graphs.gradients(tf, loss, params.reads());
      GraphTesting t = new GraphTesting(tf, params.list());
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        params.initializers().forEach(init::addTarget);
        init.run().close();
        // the loss is the sum of two cross-entropies, each positive
        assertThat(GraphTesting.scalar(s, loss)).isPositive();
        assertThat(GraphTesting.values(s, net.concatenated(tf, logits))).hasSize(3 * 5);
        t.assertGradientsMatch(s, loss, grads, 4);
      }
    }
  }

  @Test
  void accuracyCountsArgmaxHitsPerFactor() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      FactorClassifier<TFloat64> net = new FactorClassifier<>(new Parameters<>(tf, "classifier", 0, TFloat64.class),
          8, 1, 1, new int[] {3, 2});
      List<Operand<TFloat64>> logits = List.of(tf.constant(new double[][] {{0, 5, 1}, {3, 0, 0}}),
          tf.constant(new double[][] {{0, 1}, {0, 2}}));
      // factor 0: argmax (1, 0) vs labels (1, 2) -> 1/2; factor 1: argmax (1, 1) vs (1, 1) -> 1
      double[] acc = GraphTesting.values(s, net.accuracy(tf, logits, tf.constant(new int[][] {{1, 1}, {2, 1}})));
      assertThat(acc).containsExactly(0.5, 1.0);
    }
  }
}
