package org.restorelab.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.critic.MlpCritic;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.train.GanLoss;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** First- and second-order gradients of the toy networks and losses against float64 finite differences. */
class GradientCheckTest {
  private static double[] randomPoints(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] x = new double[2 * n];
    for (int i = 0; i < x.length; i++) {
      x[i] = 2 * r.nextDouble() - 1;
    }
    return x;
  }

  @Test
  void estimatorAndGanLossGradientsMatchFiniteDifferences() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> gp = new Parameters<>(tf, "estimator", 1, TFloat64.class);
      Parameters<TFloat64> dp = new Parameters<>(tf, "critic", 2, TFloat64.class);
      ToyMlpEstimator<TFloat64> est = new ToyMlpEstimator<>(gp, List.of(16, 16), 1);
      MlpCritic<TFloat64> critic = new MlpCritic<>(dp, List.of(16, 16), 2);
      double[] pts = randomPoints(8, 3);
      Operand<TFloat64> x = tf.constant(org.tensorflow.ndarray.StdArrays.ndCopyOf(reshape(pts, 8)));
      Operand<TFloat64> y = tf.slice(x, tf.constant(new long[] {0, 0}), tf.constant(new long[] {-1, 1}));
      Operand<TFloat64> z = tf.slice(x, tf.constant(new long[] {0, 1}), tf.constant(new long[] {-1, 1}));
      Operand<TFloat64> loss = GanLoss.estimatorLoss(tf, critic.logits(tf, est.output(tf, y, z)));
      List<Operand<TFloat64>> grads = Graphs.gradients(tf, loss, gp.reads());
      GraphTesting t = new GraphTesting(tf, gp.list());
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        gp.initializers().forEach(init::addTarget);
        dp.initializers().forEach(init::addTarget);
        init.run().close();
        t.assertGradientsMatch(s, loss, grads);
      }
    }
  }

  @Test
  void r1PenaltyGradientOfTheCriticMatchesFiniteDifferences() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> dp = new Parameters<>(tf, "critic", 5, TFloat64.class);
      MlpCritic<TFloat64> critic = new MlpCritic<>(dp, List.of(16, 16), 2);
      Operand<TFloat64> real = tf.constant(org.tensorflow.ndarray.StdArrays.ndCopyOf(reshape(randomPoints(6, 4), 6)));
      Operand<TFloat64> r1 = GanLoss.r1(tf, v -> critic.logits(tf, v), real, 10);
      Operand<TFloat64> loss = tf.math.add(GanLoss.criticLoss(tf, critic.logits(tf, real),
          critic.logits(tf, tf.math.mul(real, tf.constant(0.5)))), r1);
      List<Operand<TFloat64>> grads = Graphs.gradients(tf, loss, dp.reads());
      GraphTesting t = new GraphTesting(tf, dp.list());
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        dp.initializers().forEach(init::addTarget);
        init.run().close();
        assertThat(GraphTesting.scalar(s, r1)).isPositive();
        t.assertGradientsMatch(s, loss, grads);
      }
    }
  }

  @Test
  void r1OfALinearCriticIsItsClosedForm() {
    // D(x) = w.x + b: grad_x D = w for every x, so R1 = gamma/2 |w|^2
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> dp = new Parameters<>(tf, "critic", 6, TFloat64.class);
      Dense<TFloat64> linear = Dense.create(dp, "fc", 2, 1);
      Operand<TFloat64> real = tf.constant(org.tensorflow.ndarray.StdArrays.ndCopyOf(reshape(randomPoints(5, 7), 5)));
      Operand<TFloat64> r1 = GanLoss.r1(tf, v -> linear.apply(tf, v), real, 10);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        dp.initializers().forEach(init::addTarget);
        init.run().close();
        double[] w = GraphTesting.values(s, linear.weight().read());
        assertThat(GraphTesting.scalar(s, r1)).isCloseTo(5 * (w[0] * w[0] + w[1] * w[1]), within(1e-12));
      }
    }
  }

  @Test
  void parameterCountsAndSeedsPerVariable() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> gp = new Parameters<>(tf, "estimator", 1, TFloat64.class);
      new ToyMlpEstimator<>(gp, List.of(), 1);
      // Table 2: 2*512+512 + 3*(512*512+512) + 512+1
      assertThat(gp.count()).isEqualTo(2 * 512 + 512 + 3 * (512 * 512 + 512) + 512 + 1);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        gp.initializers().forEach(init::addTarget);
        init.run().close();
        double[] w2 = GraphTesting.values(s, gp.list().get(2).read());
        double[] w3 = GraphTesting.values(s, gp.list().get(4).read());
        assertThat(w2).isNotEqualTo(w3); // same shape, different seeds
        double bound = 1 / Math.sqrt(512);
        assertThat(java.util.Arrays.stream(w2).map(Math::abs).max().orElseThrow()).isLessThanOrEqualTo(bound);
      }
    }
  }

  static double[][] reshape(double[] flat, int rows) {
    int cols = flat.length / rows;
    double[][] out = new double[rows][cols];
    for (int i = 0; i < rows; i++) {
      System.arraycopy(flat, i * cols, out[i], 0, cols);
    }
    return out;
  }
}
