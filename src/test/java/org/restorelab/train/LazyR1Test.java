package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import java.util.stream.LongStream;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.graph.Graphs;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Lazy R1 (StyleGAN2's lazy regularization, {@link LazyR1}): with r1_every = 1 the critic step is
 * the one of before; with r1_every = k an R1 step is exactly the step of r1_every = 1 with gamma
 * k gamma (same, rescaled Adam), and any other step is the step with gamma = 0.
 */
class LazyR1Test {
  private static final long SEED = 5;
  /** Large enough that R1 moves the tiny critic visibly (its R1 is ~1e-9 at gamma = 1). */
  private static final double GAMMA = 1e5;

  private static ImageGanConfig base() {
    ImageGanConfig.Builder b = ImageGanTrainerTest.tiny("StoErraticGAN", true, false, 8).toBuilder().setR1Gamma(GAMMA);
    b.getCriticBuilder().setWidth(2);
    return b.build();
  }

  private static float[] batch(long seed) {
    return BatchLoader.readAll(new RandomImages(2, 32, seed), IntStream.range(0, 2).toArray());
  }

  /** One iteration (estimator step, critic step) at 0-based {@code step}; returns the logged losses. */
  private static double[] iterate(ImageGanConfig c, GanGraph g, Session s, long step) {
    return GanTrainer.images(c, SEED, Path.of("unused")).iteration(g, s, batch(10 + step), batch(20 + step), step, null);
  }

  private static void assertSame(Map<String, Checkpoint.Tensor> actual, Map<String, Checkpoint.Tensor> expected) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (Map.Entry<String, Checkpoint.Tensor> e : expected.entrySet()) {
      assertThat(actual.get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
  }

  /**
   * Equal up to float rounding: within {@code relative} of each variable's largest magnitude.
   * Grappler folds the scalar chain k * (gamma / 2) and (k gamma / 2) into the backprop
   * differently, so the two graphs' gradients differ in their last bits.
   */
  private static void assertClose(Map<String, Checkpoint.Tensor> actual, Map<String, Checkpoint.Tensor> expected,
      double relative) {
    assertThat(actual.keySet()).isEqualTo(expected.keySet());
    for (Map.Entry<String, Checkpoint.Tensor> e : expected.entrySet()) {
      float[] want = e.getValue().values();
      float[] got = actual.get(e.getKey()).values();
      double scale = 0;
      for (float w : want) {
        scale = Math.max(scale, Math.abs(w));
      }
      for (int i = 0; i < want.length; i++) {
        assertThat((double) got[i]).as(e.getKey() + "[" + i + "]").isCloseTo(want[i],
            org.assertj.core.data.Offset.offset(relative * scale));
      }
    }
  }

  private static double maxCriticDifference(Map<String, Checkpoint.Tensor> a, Map<String, Checkpoint.Tensor> b) {
    double max = 0;
    for (String name : a.keySet()) {
      if (name.startsWith(GanGraph.CRITIC + "_") && !name.contains("_adam_")) {
        float[] x = a.get(name).values();
        float[] y = b.get(name).values();
        for (int i = 0; i < x.length; i++) {
          max = Math.max(max, Math.abs(x[i] - y[i]));
        }
      }
    }
    return max;
  }

  @Test
  void theStepRule() {
    // 0-based steps 0, 4, 8 regularise: the first step, then every 4th
    assertThat(LongStream.range(0, 12).filter(s -> LazyR1.isR1Step(s, 4)).toArray()).containsExactly(0, 4, 8);
    assertThat(LongStream.range(0, 5).allMatch(s -> LazyR1.isR1Step(s, 1))).isTrue();
  }

  @Test
  void withR1EveryStepTheCriticStepIsAdamOnTheGanLossPlusR1AsBefore() {
    ImageGanConfig c = base();
    try (GanGraph g = GanGraph.images(c, SEED)) {
      assertThat(g.criticStepWithoutR1).isNull();
      assertThat(g.criticStep(1)).isSameAs(g.criticStep).isSameAs(g.criticStep(0));
      // the step as it was built before lazy R1 existed
      Op reference = g.criticAdam.apply(Graphs.gradients(g.tf, g.tf.math.add(g.criticLoss, g.r1), g.criticParams.reads()));
      List<Map<String, Checkpoint.Tensor>> after = new ArrayList<>();
      for (Op op : List.of(g.criticStep, reference)) {
        try (Session s = new Session(g.graph)) {
          g.variables.initialize(s);
          for (long step = 0; step < 3; step++) {
            List<AutoCloseable> toClose = new ArrayList<>();
            try (TInt64 seed = TInt64.vectorOf(1, step)) {
              TFloat32 x = GanTrainer.images(c, SEED, Path.of("unused")).signals(batch(step));
              toClose.add(x);
              Session.Runner r = s.runner().feed(g.criticBatch, x).feed(g.seed, seed).addTarget(op);
              g.criticAdam.feed(r, step, toClose);
              try (Result out = r.run()) {
                // updated
              }
            } finally {
              TrainingLoop.closeAll(toClose);
            }
          }
          after.add(g.variables.read(s));
        }
      }
      assertSame(after.get(0), after.get(1));
    }
  }

  @Test
  void anR1StepIsTheStepWithKTimesGammaAndTheOtherStepsIgnoreR1() {
    ImageGanConfig lazy = base().toBuilder().setR1Every(4).build();
    // r1_every = 1 references with the same Adam: gamma' = 4 gamma, and gamma' = 0
    ImageGanConfig fourGamma = base().toBuilder().setR1Gamma(4 * GAMMA).build();
    ImageGanConfig noR1 = base().toBuilder().setR1Gamma(0).build();
    try (GanGraph gl = GanGraph.images(lazy, SEED); Session sl = new Session(gl.graph);
        GanGraph g4 = GanGraph.images(fourGamma, SEED); Session s4 = new Session(g4.graph);
        GanGraph g0 = GanGraph.images(noR1, SEED); Session s0 = new Session(g0.graph)) {
      assertThat(gl.criticStepWithoutR1).isNotNull();
      assertThat(gl.criticStep(0)).isSameAs(gl.criticStep);
      assertThat(gl.criticStep(1)).isSameAs(gl.criticStepWithoutR1);
      assertThat(gl.criticStep(4)).isSameAs(gl.criticStep);
      gl.variables.initialize(sl);
      g4.variables.initialize(s4);
      g0.variables.initialize(s0);
      Map<String, Checkpoint.Tensor> start = gl.variables.read(sl);
      assertSame(g4.variables.read(s4), start);

      // step 0 regularises: the update of gamma' = 4 gamma, to float rounding
      double[] lazy0 = iterate(lazy, gl, sl, 0);
      double[] four0 = iterate(fourGamma, g4, s4, 0);
      Map<String, Checkpoint.Tensor> afterR1Step = gl.variables.read(sl);
      assertClose(afterR1Step, g4.variables.read(s4), 1e-5);
      // the logged r1 is the unscaled (gamma / 2) E|grad D|^2, a quarter of gamma' = 4 gamma's
      assertThat(lazy0[3]).isPositive().isCloseTo(four0[3] / 4, org.assertj.core.data.Offset.offset(1e-6 * lazy0[3]));
      // and R1 mattered: without it the critic moves elsewhere, by far more than rounding
      iterate(noR1, g0, s0, 0);
      double r1Effect = maxCriticDifference(afterR1Step, g0.variables.read(s0));
      assertThat(r1Effect).isGreaterThan(1e-4);

      // step 1 does not: from the same state it is the update of gamma = 0
      double[] lazy1 = iterate(lazy, gl, sl, 1);
      g0.variables.assign(s0, afterR1Step, "the lazy run after step 0");
      double[] none1 = iterate(noR1, g0, s0, 1);
      assertSame(gl.variables.read(sl), g0.variables.read(s0));
      assertThat(lazy1[3]).isNaN(); // no R1 computed on this step
      assertThat(lazy1[2]).isEqualTo(none1[2]);
    }
  }
}
