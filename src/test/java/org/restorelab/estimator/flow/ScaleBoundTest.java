package org.restorelab.estimator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConditionalFlowArchitecture;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The affine layers' scale bound, sigmoid(h + 2) + eps (SRFlow), in float32: gradient steps that
 * minimise the log-determinant drive every scale towards 0; without eps the sampler's inverse
 * then overflows (the NaN of longer flow runs), with eps = 1e-4 it stays finite and inverts.
 */
class ScaleBoundTest {
  private static final int SIDE = 8;
  private static final int SCALE = 2;
  private static final int N = 4;

  /** A one-level, one-step float32 flow, a descent step on its mean log-determinant, and probes. */
  private static final class Pushed implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Session session;
    final Operand<TFloat32> meanLogScale;
    final Operand<TFloat32> decodedNonFinite;
    final Operand<TFloat32> decodedMaxAbs;
    final Operand<TFloat32> roundTripError;
    final List<Op> descent = new ArrayList<>();

    Pushed(double eps) {
      this(eps, 2, 1, 1, SIDE, SCALE);
    }

    /** A float32 flow of {@code levels} levels of {@code stepsPerLevel} steps on side x side images. */
    Pushed(double eps, double offset, int levels, int stepsPerLevel, int side, int scale) {
      Parameters<TFloat32> params = new Parameters<>(tf, "flow", 3, TFloat32.class);
      Parameters<TFloat32> fixed = new Parameters<>(tf, "flow_fixed", 3, TFloat32.class);
      ConditionalFlow<TFloat32> flow = new ConditionalFlow<>(params, fixed, ConditionalFlowArchitecture.newBuilder()
          .setLevels(levels).setStepsPerLevel(stepsPerLevel).setHiddenChannels(8).setEncoderChannels(4)
          .setEncoderBlocks(1).setScaleEps(eps).setScaleOffset(offset).build(), side, scale);
      Operand<TFloat32> x = tf.math.sub(tf.random.statelessRandomUniform(tf.constant(new long[] {N, side, side, 3}),
          tf.constant(new long[] {5, 6}), TFloat32.class), Graphs.constant(tf, 0.5, TFloat32.class));
      Operand<TFloat32> y = org.restorelab.graph.Pooling.average(tf, tf.math.add(x,
          Graphs.constant(tf, 0.5, TFloat32.class)), scale, side, side, 3);
      ConditionalFlow.Encoded<TFloat32> e = flow.encode(tf, x, y, null);
      // at level l (side / 2^l, 3 * 2^(l+1) channels after the squeeze) every step's injector scales
      // all channels and its coupling half of them
      double scales = 0;
      for (int l = 1, c = 12; l <= levels; l++, c *= 2) {
        scales += stepsPerLevel * (c + c / 2) * Math.pow(side >> l, 2);
      }
      Operand<TFloat32> meanLogDet = tf.math.mean(e.logDet(), tf.constant(0));
      meanLogScale = tf.math.div(meanLogDet, Graphs.constant(tf, scales, TFloat32.class));
      // descend on the affine layers' networks only, so the log-determinant's change is theirs
      List<Parameters.Parameter<TFloat32>> affine = params.list().stream()
          .filter(p -> p.name().contains("_injector") || p.name().contains("_coupling")).toList();
      List<Operand<TFloat32>> reads = new ArrayList<>();
      affine.forEach(p -> reads.add(p.read()));
      List<Operand<TFloat32>> grads = Graphs.gradients(tf, meanLogDet, reads);
      for (int i = 0; i < reads.size(); i++) {
        descent.add(tf.assign(affine.get(i).variable(),
            tf.math.sub(reads.get(i), tf.math.mul(grads.get(i), Graphs.constant(tf, 0.02, TFloat32.class)))));
      }
      Operand<TFloat32> z = tf.random.statelessRandomNormal(tf.constant(new long[] {N, flow.latentSize()}),
          tf.constant(new long[] {7, 8}), TFloat32.class);
      Operand<TFloat32> decoded = flatten(flow.decode(tf, flow.splitLatents(tf, z), y,
          Graphs.constant(tf, 1, TFloat32.class)));
      Operand<TFloat32> finite = tf.dtypes.cast(tf.math.isFinite(decoded), TFloat32.class);
      decodedNonFinite = tf.math.sub(Graphs.constant(tf, N * side * side * 3, TFloat32.class),
          tf.reduceSum(finite, tf.constant(0)));
      decodedMaxAbs = tf.max(tf.math.abs(decoded), tf.constant(0));
      Operand<TFloat32> back = flow.decode(tf, e.latents(), y, Graphs.constant(tf, 1, TFloat32.class));
      roundTripError = tf.max(flatten(tf.math.abs(tf.math.sub(back, x))), tf.constant(0));
      session = new Session(graph);
      Session.Runner r = session.runner();
      params.initializers().forEach(r::addTarget);
      fixed.initializers().forEach(r::addTarget);
      r.run().close();
    }

    private Operand<TFloat32> flatten(Operand<TFloat32> v) {
      return tf.reshape(v, tf.constant(new long[] {-1}));
    }

    float fetch(Operand<TFloat32> o) {
      try (Result r = session.runner().fetch(o).run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }

    void step() {
      Session.Runner r = session.runner();
      descent.forEach(r::addTarget);
      r.run().close();
    }

    /** Descent steps until the mean log scale is below {@code target} or {@code max} steps; the steps taken. */
    int pushTo(double target, int max) {
      int steps = 0;
      while (steps < max && fetch(meanLogScale) > target) {
        step();
        steps++;
      }
      return steps;
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  @Test
  void withoutEpsTheScalesReachZeroAndTheSamplerOverflowsWithEpsItStaysFiniteAndInverts() {
    int steps;
    try (Pushed glow = new Pushed(0)) {
      assertThat((double) glow.fetch(glow.meanLogScale)).isCloseTo(Math.log(1 / (1 + Math.exp(-2))),
          org.assertj.core.api.Assertions.within(1e-3)); // sigmoid(2) = 0.88 at the zero init
      assertThat(glow.fetch(glow.decodedNonFinite)).isZero();
      assertThat(glow.descent).hasSizeGreaterThan(4);
      // mean log scale -45: scales near 3e-20, and two affine layers in a row divide by both
      steps = glow.pushTo(-45, 400);
      assertThat(steps).isLessThan(400);
      assertThat(glow.fetch(glow.decodedNonFinite)).as("decoded values that are inf or NaN").isPositive();
    }
    try (Pushed srflow = new Pushed(1e-4)) {
      int taken = srflow.pushTo(-45, steps);
      assertThat(taken).isEqualTo(steps); // it cannot get there: the scale stays above eps
      assertThat((double) srflow.fetch(srflow.meanLogScale)).isGreaterThanOrEqualTo(Math.log(1e-4) - 1e-3);
      assertThat(srflow.fetch(srflow.decodedNonFinite)).isZero();
      // each affine layer's inverse grows a value by at most 1 / eps (plus its shift)
      assertThat(srflow.fetch(srflow.decodedMaxAbs)).isFinite().isLessThan(1e12f);
      assertThat(srflow.fetch(srflow.roundTripError)).as("max |decode(encode(x)) - x|").isLessThan(1e-4f);
    }
  }

  /**
   * At the depth of configs/cpu/sr4-SRFlow (3 levels of 4 steps) eps = 1e-4 is not enough: with
   * every affine scale at its floor (offset -30 on the zero-initialized networks: scale = eps +
   * sigmoid(-30) = eps + 9e-14), each of the 24 affine inverses on the top latents' path divides
   * by eps, a growth of up to 1e96 that leaves float32 (the 126 non-finite samples of the
   * 30,000-step run), while eps = 0.05 caps it at 20^24 = 2e31, within float32.
   */
  @Test
  void atTheCpuConfigsDepthOnlyALargerEpsKeepsSamplesAtTheFloorFinite() {
    try (Pushed srflow = new Pushed(1e-4, -30, 3, 4, 16, 4)) {
      assertThat((double) srflow.fetch(srflow.meanLogScale)).isCloseTo(Math.log(1e-4), within(1e-4));
      assertThat(srflow.fetch(srflow.decodedNonFinite)).as("decoded values that are inf or NaN").isPositive();
    }
    try (Pushed bounded = new Pushed(0.05, -30, 3, 4, 16, 4)) {
      assertThat((double) bounded.fetch(bounded.meanLogScale)).isCloseTo(Math.log(0.05), within(1e-6));
      assertThat(bounded.fetch(bounded.decodedNonFinite)).isZero();
      assertThat((double) bounded.fetch(bounded.decodedMaxAbs)).isGreaterThan(1e10).isLessThan(1e33);
      // no round trip here: at the floor the 1x1 convolutions mix channels scaled 20^k apart, and
      // float32 rounding grows with them (the first test checks inversion at a trained-down scale)
    }
  }

  @Test
  void theBoundIsValidated() {
    assertThat(ScaleBound.of(ConditionalFlowArchitecture.getDefaultInstance())).isEqualTo(new ScaleBound(2, 1e-4));
    assertThatThrownBy(() -> new ScaleBound(2, 1)).hasMessageContaining("0 <= eps < 1");
    assertThatThrownBy(() -> new ScaleBound(Double.NaN, 0)).hasMessageContaining("finite offset");
  }
}
