package org.restorelab.attack;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.RobustnessConfig;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.graph.GraphTesting;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.StdArrays;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

class RobustnessAttackTest {
  // W [3, 2]: G(y) = y W, so |G(y + d) - G(y)|^2 = |d W|^2, maximised on the ball by the top
  // right-singular direction: max = eps^2 sigma_max^2
  private static final double[][] W = {{2.0, 0.5}, {0.5, 1.0}, {0.0, -1.5}};

  private static double sigmaMaxSquared() {
    // largest eigenvalue of W W^T (3x3) by power iteration in float64
    double[] v = {1, 1, 1};
    double lambda = 0;
    for (int it = 0; it < 2000; it++) {
      double[] u = multiplyWWt(v);
      double norm = Math.sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
      lambda = norm / Math.sqrt(v[0] * v[0] + v[1] * v[1] + v[2] * v[2]);
      for (int i = 0; i < 3; i++) {
        v[i] = u[i] / norm;
      }
    }
    return lambda;
  }

  private static double[] multiplyWWt(double[] d) {
    double[] dw = {0, 0};
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        dw[j] += d[i] * W[i][j];
      }
    }
    double[] out = new double[3];
    for (int i = 0; i < 3; i++) {
      for (int j = 0; j < 2; j++) {
        out[i] += dw[j] * W[i][j];
      }
    }
    return out;
  }

  private static double objective(double[] d) {
    double[] g = multiplyWWt(d);
    return d[0] * g[0] + d[1] * g[1] + d[2] * g[2];
  }

  private static AttackConfig attack(double eps, int steps, double lr) {
    return AttackConfig.newBuilder().setEpsilon(eps).setSteps(steps).setLr(lr).build();
  }

  private static double[][] run(AttackConfig config, double[][] delta0) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> w = tf.constant(StdArrays.ndCopyOf(W));
      Operand<TFloat64> d0 = tf.constant(StdArrays.ndCopyOf(delta0));
      Operand<TFloat64> delta = UnrolledAdamAttack.maximise(tf,
          d -> Graphs.sumPerRow(tf, tf.math.square(tf.linalg.matMul(d, w))), d0, config);
      try (Session s = new Session(g)) {
        double[] flat = GraphTesting.values(s, delta);
        double[][] out = new double[delta0.length][3];
        for (int i = 0; i < out.length; i++) {
          System.arraycopy(flat, 3 * i, out[i], 0, 3);
        }
        return out;
      }
    }
  }

  @Test
  void theUnrolledGraphIsExactlyAdamAscentWithProjection() {
    AttackConfig config = attack(0.5, 5, 0.07);
    double[][] start = {{0.01, -0.02, 0.005}, {-0.3, 0.1, 0.2}};
    double[][] graph = run(config, start);
    for (int row = 0; row < start.length; row++) {
      // reference: plain-Java Adam ascent on |d W|^2 (gradient 2 W W^T d) with L2 projection
      double[] d = start[row].clone();
      double[] m = new double[3];
      double[] v = new double[3];
      for (int k = 1; k <= 5; k++) {
        double[] grad = multiplyWWt(d);
        for (int i = 0; i < 3; i++) {
          grad[i] *= 2;
          m[i] = 0.9 * m[i] + 0.1 * grad[i];
          v[i] = 0.999 * v[i] + 0.001 * grad[i] * grad[i];
          d[i] += 0.07 * (m[i] / (1 - Math.pow(0.9, k))) / (Math.sqrt(v[i] / (1 - Math.pow(0.999, k))) + 1e-8);
        }
        double norm = Math.sqrt(d[0] * d[0] + d[1] * d[1] + d[2] * d[2]);
        for (int i = 0; i < 3; i++) {
          d[i] *= Math.min(1, 0.5 / norm);
        }
      }
      for (int i = 0; i < 3; i++) {
        assertThat(graph[row][i]).isCloseTo(d[i], within(1e-12));
      }
    }
  }

  @Test
  void onALinearModelOfAScalarInputTheAttackFindsTheAnalyticMaximiser() {
    // the toy's case: y scalar, G(y) = a y, objective a^2 delta^2, maximised at |delta| = eps
    double a = -2.5;
    double eps = 1e-3;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> d0 = tf.constant(StdArrays.ndCopyOf(new double[][] {{1e-5}, {-2e-5}, {3e-6}}));
      // the paper's toy attack: 4 Adam steps at lr 1e-4 cannot reach eps = 1e-3 from ~0; lr 5e-4 can
      Operand<TFloat64> delta = UnrolledAdamAttack.maximise(tf,
          d -> Graphs.sumPerRow(tf, tf.math.square(tf.math.mul(d, tf.constant(a)))), d0, attack(eps, 4, 5e-4));
      try (Session s = new Session(g)) {
        double[] got = GraphTesting.values(s, delta);
        assertThat(got[0]).isCloseTo(eps, within(1e-15));
        assertThat(got[1]).isCloseTo(-eps, within(1e-15));
        assertThat(got[2]).isCloseTo(eps, within(1e-15));
      }
    }
  }

  @Test
  void onALinearModelOfAVectorInputTheAttackApproachesTheMaximiserFromInsideTheBall() {
    // Adam normalises per coordinate, so in several dimensions it approaches, but need not reach,
    // the top singular direction: at least 90% of eps^2 sigma_max^2, never more than it
    double eps = 0.2;
    double max = eps * eps * sigmaMaxSquared();
    double[][] delta = run(attack(eps, 40, eps / 20), new double[][] {{0.05, 0.1, -0.05}});
    double norm = Math.sqrt(delta[0][0] * delta[0][0] + delta[0][1] * delta[0][1] + delta[0][2] * delta[0][2]);
    assertThat(norm).isLessThanOrEqualTo(eps * (1 + 1e-12));
    assertThat(objective(delta[0])).isBetween(0.9 * max, max * (1 + 1e-12));
  }

  @Test
  void onTheToyEstimatorTheAttackBeatsZeroAndRandomPointsAndStaysInTheBall() {
    int batch = 16;
    int seeds = 5;
    double eps = 0.05;
    RobustnessConfig config = RobustnessConfig.newBuilder().setLambdaR(1)
        .setAttack(AttackConfig.newBuilder().setEpsilon(eps).setSteps(8).setLr(eps / 4).setSeeds(seeds)).build();
    SplittableRandom r = new SplittableRandom(8);
    double[][] y = new double[batch][1];
    double[][] z = new double[batch * seeds][1];
    for (double[] row : y) {
      row[0] = 2 * r.nextDouble() - 1;
    }
    for (double[] row : z) {
      row[0] = r.nextDouble();
    }
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> gp = new Parameters<>(tf, "estimator", 2, TFloat64.class);
      ToyMlpEstimator<TFloat64> est = new ToyMlpEstimator<>(gp, List.of(32, 32), 1);
      Operand<TFloat64> yy = tf.constant(StdArrays.ndCopyOf(y));
      Operand<TFloat64> zz = tf.constant(StdArrays.ndCopyOf(z));
      RobustnessLoss.Terms<TFloat64> terms = RobustnessLoss.build(tf, (a, b) -> est.estimate(tf, a, b),
          yy, 1, zz, seeds, tf.constant(new long[] {1, 2}), config);
      // the objective at a given delta, for comparison
      org.tensorflow.op.core.Placeholder<TFloat64> probe = tf.placeholder(TFloat64.class);
      Operand<TFloat64> yRep = RobustnessLoss.repeatRows(tf, yy, seeds, 1);
      Operand<TFloat64> atProbe = RobustnessLoss.meanOverSeeds(tf, RobustnessLoss.squaredDistance(tf,
          est.estimate(tf, yRep, zz), est.estimate(tf, tf.math.add(yRep, RobustnessLoss.repeatRows(tf, probe, seeds, 1)), zz)), seeds);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        gp.initializers().forEach(init::addTarget);
        init.run().close();
        double[] delta;
        double[] best;
        try (Result res = s.runner().fetch(terms.delta()).fetch(terms.perInput()).run()) {
          delta = new double[batch];
          best = new double[batch];
          ((TFloat64) res.get(0)).asRawTensor().data().asDoubles().read(delta);
          ((TFloat64) res.get(1)).asRawTensor().data().asDoubles().read(best);
        }
        for (int b = 0; b < batch; b++) {
          assertThat(Math.abs(delta[b])).isLessThanOrEqualTo(eps * (1 + 1e-12));
        }
        double[] zero = evaluate(s, probe, atProbe, new double[batch]);
        double[] plus = new double[batch];
        double[] random = new double[batch];
        java.util.Arrays.fill(plus, eps);
        for (int b = 0; b < batch; b++) {
          random[b] = (r.nextBoolean() ? 1 : -1) * eps * r.nextDouble();
        }
        double[] atRandom = evaluate(s, probe, atProbe, random);
        for (int b = 0; b < batch; b++) {
          assertThat(best[b]).isGreaterThan(zero[b]);
          assertThat(best[b]).isGreaterThanOrEqualTo(atRandom[b] * (1 - 1e-9));
        }
        assertThat(zero).containsOnly(0.0);
      }
    }
  }

  private static double[] evaluate(Session s, org.tensorflow.op.core.Placeholder<TFloat64> probe,
      Operand<TFloat64> f, double[] delta) {
    try (TFloat64 t = GraphTesting.tensor(delta, delta.length, 1);
        Result res = s.runner().feed(probe, t).fetch(f).run()) {
      double[] out = new double[delta.length];
      ((TFloat64) res.get(0)).asRawTensor().data().asDoubles().read(out);
      return out;
    }
  }

  @Test
  void theRobustLossGradientTreatsDeltaAsAConstant() {
    // G(y) = y W with W a variable: L_R = mean_b |delta*_b W|^2, so dL/dW = (2/B) sum_b delta*_b^T (delta*_b W)
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> gp = new Parameters<>(tf, "linear", 3, TFloat64.class);
      Parameters.Parameter<TFloat64> w = gp.create("w", org.tensorflow.ndarray.Shape.of(3, 2),
          org.restorelab.graph.Initializer.uniform(1));
      double[][] y = {{0.1, 0.2, 0.3}, {-0.5, 0.4, 0.0}};
      RobustnessConfig config = RobustnessConfig.newBuilder().setLambdaR(1)
          .setAttack(AttackConfig.newBuilder().setEpsilon(0.3).setSteps(6).setLr(0.1).setSeeds(1)).build();
      Operand<TFloat64> yy = tf.constant(StdArrays.ndCopyOf(y));
      RobustnessLoss.Terms<TFloat64> terms = RobustnessLoss.build(tf, (a, z) -> tf.linalg.matMul(a, w.read()),
          yy, 3, tf.zeros(tf.constant(new long[] {2, 1}), TFloat64.class), 1, tf.constant(new long[] {3, 4}), config);
      Operand<TFloat64> grad = Graphs.gradients(tf, terms.loss(), List.of(w.read())).get(0);
      try (Session s = new Session(g)) {
        s.runner().addTarget(w.initializer()).run().close();
        double[] wv = GraphTesting.values(s, w.read());
        double[] d = GraphTesting.values(s, terms.delta());
        double[] got = GraphTesting.values(s, grad);
        double[] expected = new double[6];
        for (int b = 0; b < 2; b++) {
          double[] dw = new double[2];
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
              dw[j] += d[3 * b + i] * wv[2 * i + j];
            }
          }
          for (int i = 0; i < 3; i++) {
            for (int j = 0; j < 2; j++) {
              expected[2 * i + j] += d[3 * b + i] * dw[j]; // (2/B) with B = 2
            }
          }
        }
        for (int i = 0; i < 6; i++) {
          assertThat(got[i]).isCloseTo(expected[i], within(1e-12));
        }
      }
    }
  }

  @Test
  void theNormalizationsDivideTheSameLossByEpsilonSquaredOrByTheOutputSize() {
    double[][] y = {{0.1, 0.2, 0.3}, {-0.5, 0.4, 0.0}};
    double[] losses = new double[3];
    RobustnessConfig.Normalization[] kinds = {RobustnessConfig.Normalization.NONE,
        RobustnessConfig.Normalization.EPSILON_SQUARED, RobustnessConfig.Normalization.MEAN_OVER_ELEMENTS};
    for (int k = 0; k < 3; k++) {
      try (Graph g = new Graph()) {
        Ops tf = Ops.create(g);
        Operand<TFloat64> w = tf.constant(StdArrays.ndCopyOf(W));
        RobustnessConfig config = RobustnessConfig.newBuilder().setLambdaR(1).setNormalization(kinds[k])
            .setAttack(AttackConfig.newBuilder().setEpsilon(0.3).setSteps(6).setLr(0.1).setSeeds(1)).build();
        RobustnessLoss.Terms<TFloat64> terms = RobustnessLoss.build(tf, (a, z) -> tf.linalg.matMul(a, w),
            tf.constant(StdArrays.ndCopyOf(y)), 3, tf.zeros(tf.constant(new long[] {2, 1}), TFloat64.class), 1,
            tf.constant(new long[] {3, 4}), config);
        try (Session s = new Session(g)) {
          losses[k] = GraphTesting.scalar(s, terms.loss());
        }
      }
    }
    assertThat(losses[0]).isPositive();
    assertThat(losses[1]).isCloseTo(losses[0] / 0.09, within(1e-12));
    assertThat(losses[2]).isCloseTo(losses[0] / 2, within(1e-12)); // G's output has 2 values per row
  }
}
