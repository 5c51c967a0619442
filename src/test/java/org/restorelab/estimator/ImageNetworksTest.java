package org.restorelab.estimator;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ResNetCriticConfig;
import org.restorelab.config.UNetConfig;
import org.restorelab.critic.ResNetCritic;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.GraphTesting;
import org.restorelab.graph.Parameters;
import org.restorelab.task.Inpainting;
import org.restorelab.task.SuperResolution;
import org.restorelab.train.GanLoss;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** The U-Net estimator (Figure 7) and the ResNet critic (Table 4): sizes, and gradients in float64. */
class ImageNetworksTest {

  /** DoubleConv(in, out): two bias-free 3x3 convs, each followed by a batch norm (gamma, beta). */
  private static long doubleConv(long in, long out) {
    return 9 * in * out + 2 * out + 9 * out * out + 2 * out;
  }

  /** A pre-activation block: conv0 in -> h, conv1 h -> out (with biases), a 1x1 shortcut when in != out. */
  private static long block(long in, long out) {
    long h = Math.min(in, out);
    return 9 * in * h + h + 9 * h * out + out + (in == out ? 0 : in * out);
  }

  @Test
  void uNetParameterCountMatchesAHandCount() {
    // s = 24 (CelebA), one noise channel per Z_i
    long s = 24;
    long expected = doubleConv(3, s)
        + doubleConv(s + 1, 2 * s) + doubleConv(2 * s + 1, 4 * s) + doubleConv(4 * s + 1, 8 * s)
        + doubleConv(8 * s + 1, 16 * s)
        + (4 * 16 * s * 8 * s + 8 * s) + doubleConv(16 * s, 8 * s)
        + (4 * 8 * s * 4 * s + 4 * s) + doubleConv(8 * s, 4 * s)
        + (4 * 4 * s * 2 * s + 2 * s) + doubleConv(4 * s, 2 * s)
        + (4 * 2 * s * s + s) + doubleConv(2 * s, s)
        + (s * 3 + 3);
    assertThat(expected).isEqualTo(4_374_603L);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      UNetEstimator<TFloat32> unet = new UNetEstimator<>(new Parameters<>(tf, "estimator", 0, TFloat32.class),
          new Parameters<>(tf, "estimator_bn", 0, TFloat32.class), UNetConfig.newBuilder().setWidth(24).build(),
          new Inpainting(64, 64, 0.75, 0), false);
      assertThat(unet.parameterCount()).isEqualTo(expected);
      assertThat(unet.noiseSize()).isEqualTo(64 * 64 + 32 * 32 + 16 * 16 + 8 * 8);
    }
  }

  @Test
  void criticParameterCountMatchesTable4ByHand() {
    long f = 16;
    long expected = (27 * f + f) + block(f, f) + block(f, 2 * f) + block(2 * f, 2 * f) + block(2 * f, 4 * f)
        + block(4 * f, 4 * f) + block(4 * f, 8 * f) + block(8 * f, 8 * f) + block(8 * f, 16 * f)
        + 4 * block(16 * f, 16 * f) + (16 * f * 2 * 2 + 1);
    assertThat(expected).isEqualTo(5_746_033L);
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      ResNetCritic<TFloat32> critic = new ResNetCritic<>(new Parameters<>(tf, "critic", 0, TFloat32.class),
          ResNetCriticConfig.newBuilder().setWidth(16).build(), 64, false);
      assertThat(critic.parameterCount()).isEqualTo(expected);
    }
  }

  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble();
    }
    return v;
  }

  @Test
  void uNetGradientsMatchFiniteDifferencesInFloat64() {
    // a width-2 U-Net on 16x16 super-resolution x4, batch norm in training mode (batch statistics)
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> params = new Parameters<>(tf, "estimator", 3, TFloat64.class);
      Parameters<TFloat64> stats = new Parameters<>(tf, "estimator_bn", 3, TFloat64.class);
      SuperResolution task = new SuperResolution(16, 16, 4);
      UNetEstimator<TFloat64> unet = new UNetEstimator<>(params, stats, UNetConfig.newBuilder().setWidth(2).build(),
          task, false);
      int n = 3;
      Operand<TFloat64> y = tf.constant(GraphTesting.tensor(random(n * 4 * 4 * 3, 1), n, 4, 4, 3));
      Operand<TFloat64> z = tf.constant(GraphTesting.tensor(random(n * (int) unet.noiseSize(), 2), n, unet.noiseSize()));
      Operand<TFloat64> out = unet.apply(tf, y, z, BatchNorm.Mode.TRAINING).output();
      // a generic smooth loss of the output: sum(w * x_hat^2) with fixed random w
      Operand<TFloat64> w = tf.constant(GraphTesting.tensor(random(n * 16 * 16 * 3, 4), n, 16, 16, 3));
      Operand<TFloat64> loss = Graphs.sumAll(tf, tf.math.mul(w, tf.math.square(out)));
      List<Operand<TFloat64>> grads = Graphs.gradients(tf, loss, params.reads());
      GraphTesting t = new GraphTesting(tf, params.list());
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        params.initializers().forEach(init::addTarget);
        stats.initializers().forEach(init::addTarget);
        init.run().close();
        t.assertGradientsMatch(s, loss, grads, 3);
      }
    }
  }

  @Test
  void criticAndR1GradientsMatchFiniteDifferencesInFloat64() {
    // the Table 4 critic at f = 1 on 32x32: R1 needs the second-order gradient through the
    // convolutions, LeakyReLU and the reshape-and-mean pooling
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> params = new Parameters<>(tf, "critic", 5, TFloat64.class);
      ResNetCritic<TFloat64> critic = new ResNetCritic<>(params, ResNetCriticConfig.newBuilder().setWidth(1).build(),
          32, false);
      Operand<TFloat64> real = tf.constant(GraphTesting.tensor(random(2 * 32 * 32 * 3, 6), 2, 32, 32, 3));
      Operand<TFloat64> fake = tf.constant(GraphTesting.tensor(random(2 * 32 * 32 * 3, 7), 2, 32, 32, 3));
      Operand<TFloat64> r1 = GanLoss.r1(tf, x -> critic.logits(tf, x), real, 1);
      Operand<TFloat64> loss = tf.math.add(GanLoss.criticLoss(tf, critic.logits(tf, real), critic.logits(tf, fake)),
          tf.math.mul(r1, tf.constant(1e3)));
      List<Operand<TFloat64>> grads = Graphs.gradients(tf, loss, params.reads());
      List<Parameters.Parameter<TFloat64>> some = new ArrayList<>(params.list());
      GraphTesting t = new GraphTesting(tf, some);
      try (Session s = new Session(g)) {
        Session.Runner init = s.runner();
        params.initializers().forEach(init::addTarget);
        init.run().close();
        assertThat(GraphTesting.scalar(s, r1)).isPositive();
        t.assertGradientsMatch(s, loss, grads, 3);
      }
    }
  }
}
