package org.restorelab.graph;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.train.StepMemory;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/** {@link GraphMemory} against sizes counted by hand on a tiny MLP, and the step estimate's linearity. */
class GraphMemoryTest {

  /**
   * x [B, 3] -> relu(x W1 + b1) [B, 4] -> (.) W2 [B, 2], W1 [3, 4], b1 [4], W2 [4, 2] constants. Float
   * outputs: x 3B, MatMul 4B, Add 4B, Relu 4B, MatMul 2B = 17 B floats per batch, constants 12 + 4 + 8 =
   * 24 floats: bytes = 4 (24 + 17 B). Then tile(h, [5, 1]) through a run-time shape: + 4 * 10 B.
   */
  @Test
  void anMlpsBytesAreItsActivationsAndConstantsCountedByHand() {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> h = tf.nn.relu(tf.math.add(tf.linalg.matMul(x, tf.constant(new float[3][4])),
          tf.constant(new float[4])));
      Operand<TFloat32> y = tf.linalg.matMul(h, tf.constant(new float[4][2]));
      for (long b : new long[] {1, 2, 7}) {
        assertThat(GraphMemory.floatBytes(g, b, s -> { })).as("batch " + b).isEqualTo(4 * (24 + 17 * b));
      }
      // rows from the run-time shape: static shape inference cannot know them, the run does
      Operand<org.tensorflow.types.TInt32> rows = tf.reshape(tf.math.mul(tf.shape.size(tf.shape(y), tf.constant(0)),
          tf.constant(5)), tf.constant(new int[0]));
      tf.tile(y, tf.stack(java.util.List.of(tf.constant(1), tf.constant(1)))); // [B, 2], static
      tf.reshape(tf.tile(y, tf.stack(java.util.List.of(tf.constant(5), tf.constant(1)))),
          tf.stack(java.util.List.of(rows, tf.constant(2))));
      // + two tiles [B, 2] and [5B, 2], and the reshape [5B, 2]: 2 B + 10 B + 10 B floats
      assertThat(GraphMemory.floatBytes(g, 3, s -> { })).isEqualTo(4 * (24 + 17 * 3 + 22 * 3));
    }
  }

  @Test
  void theToyStepEstimateIsAffineInTheBatchAndGrowsWithTheAttacksDraws() {
    ToyGanConfig plain = ToyGanConfig.newBuilder().setEstimator(org.restorelab.config.MlpConfig.newBuilder().addHidden(8))
        .setCritic(org.restorelab.config.MlpConfig.newBuilder().addHidden(8)).build();
    StepMemory.Estimate e = StepMemory.toy(plain);
    assertThat(e.perExampleBytes()).isPositive();
    assertThat(e.fixedBytes()).isPositive();
    ToyGanConfig.Builder robust = plain.toBuilder();
    robust.getNoiseBuilder().setDistribution(org.restorelab.config.NoiseConfig.Distribution.UNIFORM);
    robust.getRobustnessBuilder().setLambdaR(1).getAttackBuilder().setSeeds(50);
    StepMemory.Estimate r = StepMemory.toy(robust.build());
    // the attack runs the estimator on 50 draws per example: far more per example than the plain step
    assertThat(r.perExampleBytes()).isGreaterThan(20 * e.perExampleBytes());
    assertThat(r.largestBatch(r.at(1000))).isEqualTo(1000);
  }
}
