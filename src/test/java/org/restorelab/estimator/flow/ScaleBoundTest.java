package org.restorelab.estimator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

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
      Parameters<TFloat32> params = new Parameters<>(tf, "flow", 3, TFloat32.class);
      Parameters<TFloat32> fixed = new Parameters<>(tf, "flow_fixed", 3, TFloat32.class);
      ConditionalFlow<TFloat32> flow = new ConditionalFlow<>(params, fixed, ConditionalFlowArchitecture.newBuilder()
          .setLevels(1).setStepsPerLevel(1).setHiddenChannels(8).setEncoderChannels(4).setEncoderBlocks(1)
          .setScaleEps(eps).build(), SIDE, SCALE);
      Operand<TFloat32> x = tf.math.sub(tf.random.statelessRandomUniform(tf.constant(new long[] {N, SIDE, SIDE, 3}),
          tf.constant(new long[] {5, 6}), TFloat32.class), Graphs.constant(tf, 0.5, TFloat32.class));
      Operand<TFloat32> y = org.restorelab.graph.Pooling.average(tf, tf.math.add(x,
          Graphs.constant(tf, 0.5, TFloat32.class)), SCALE, SIDE, SIDE, 3);
      ConditionalFlow.Encoded<TFloat32> e = flow.encode(tf, x, y, null);
      // the injector scales all 12 channels and the coupling 6 of them, at 4 x 4 positions
      double scales = (12 + 6) * (SIDE / 2) * (SIDE / 2);
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
      decodedNonFinite = tf.math.sub(Graphs.constant(tf, N * SIDE * SIDE * 3, TFloat32.class),
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

  @Test
  void theBoundIsValidated() {
    assertThat(ScaleBound.of(ConditionalFlowArchitecture.getDefaultInstance())).isEqualTo(new ScaleBound(2, 1e-4));
    assertThatThrownBy(() -> new ScaleBound(2, 1)).hasMessageContaining("0 <= eps < 1");
    assertThatThrownBy(() -> new ScaleBound(Double.NaN, 0)).hasMessageContaining("finite offset");
  }
}
