package org.restorelab.estimator.flow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.OptionalDouble;
import org.junit.jupiter.api.Test;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/**
 * The prior's log-scale bound against closed forms: with the network's last layer zero but its
 * bias (mean 0, logs b), every z = exp(min(b, max)) T eps and the standardization's log-determinant
 * is -min(b, max) per element; a bias of 100 overflows float32 without the bound (e^100) and gives
 * exactly e^3 with max 3, while a bias below the bound leaves both directions unchanged.
 */
class PriorLogScaleBoundTest {
  private static final int N = 2;
  private static final int SIDE = 2;
  private static final int C = 2;

  /** [sample of eps = 1 at T = 1 (first element), standardize(that sample) (first element), logDet of row 0]. */
  private static float[] run(double logsBias, OptionalDouble max) {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, "prior", 1, TFloat32.class);
      ConditionalGaussian<TFloat32> prior = new ConditionalGaussian<>(params, "p", C, C, 4, max);
      Operand<TFloat32> c = tf.random.statelessRandomNormal(tf.constant(new long[] {N, SIDE, SIDE, C}),
          tf.constant(new long[] {1, 2}), TFloat32.class);
      Operand<TFloat32> ones = tf.fill(tf.constant(new long[] {N, SIDE, SIDE, C}), tf.constant(1f));
      Operand<TFloat32> z = prior.sample(tf, ones, c, Graphs.constant(tf, 1, TFloat32.class));
      Transformed<TFloat32> back = prior.standardize(tf, z, c);
      Parameters.Parameter<TFloat32> bias = params.list().stream().filter(p -> p.name().endsWith("_conv3_b"))
          .findFirst().orElseThrow();
      Session.Runner init = s.runner();
      params.initializers().forEach(init::addTarget);
      init.run().close();
      s.runner().addTarget(tf.assign(bias.variable(), tf.constant(new float[] {0, 0, (float) logsBias, (float) logsBias})))
          .run().close();
      try (Result r = s.runner().fetch(z).fetch(back.value()).fetch(back.logDet()).run()) {
        return new float[] {((TFloat32) r.get(0)).getFloat(0, 0, 0, 0), ((TFloat32) r.get(1)).getFloat(0, 0, 0, 0),
            ((TFloat32) r.get(2)).getFloat(0)};
      }
    }
  }

  @Test
  void aBoundedPriorSamplesExpOfTheBoundWhereTheUnboundedOneOverflows() {
    assertThat(run(100, OptionalDouble.empty())[0]).isInfinite();
    float[] bounded = run(100, OptionalDouble.of(3));
    assertThat((double) bounded[0]).isCloseTo(Math.exp(3), within(1e-4));
    assertThat((double) bounded[1]).isCloseTo(1, within(1e-6));
    assertThat((double) bounded[2]).isCloseTo(-3.0 * SIDE * SIDE * C, within(1e-4));
  }

  @Test
  void belowTheBoundNothingChanges() {
    float[] free = run(-2, OptionalDouble.empty());
    float[] bounded = run(-2, OptionalDouble.of(3));
    assertThat(bounded).containsExactly(free);
    assertThat((double) free[0]).isCloseTo(Math.exp(-2), within(1e-7));
    assertThat((double) free[2]).isCloseTo(2.0 * SIDE * SIDE * C, within(1e-5));
  }
}
