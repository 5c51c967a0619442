package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.MlpConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.RobustnessConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.ToyDataConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.export.EstimatorExport;

class ToyGanTrainerTest {
  /** A small stochastic robust config: every part of the step runs, in a fraction of a second. */
  static ToyGanConfig small(int steps) {
    return ToyGanConfig.newBuilder().setName("StoRobustGAN")
        .setData(ToyDataConfig.newBuilder().setTrainSize(2000).setValidationSize(200))
        .setEstimator(MlpConfig.newBuilder().addAllHidden(List.of(16, 16)))
        .setCritic(MlpConfig.newBuilder().addAllHidden(List.of(16, 16)))
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.UNIFORM))
        .setRobustness(RobustnessConfig.newBuilder().setLambdaR(0.1).setApplyEvery(2)
            .setNormalization(RobustnessConfig.Normalization.EPSILON_SQUARED)
            .setAttack(AttackConfig.newBuilder().setSeeds(4).setLr(5e-4)))
        .setSteps(steps).setBatchSize(16).setCheckpointEvery(5).setLogEvery(5).build();
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  @Test
  void aResumedRunReachesTheSameWeightsAsAnUninterruptedOne(@TempDir Path dir) throws IOException {
    GanTrainer whole = GanTrainer.toy(small(20), 11, dir.resolve("whole"));
    GanTrainer.Outcome a = whole.train(false, quiet());
    assertThat(a.finished()).isTrue();

    GanTrainer first = GanTrainer.toy(small(20), 11, dir.resolve("split"));
    first.stopAfter(8);
    GanTrainer.Outcome half = first.train(false, quiet());
    assertThat(half.finished()).isFalse();
    assertThat(half.step()).isEqualTo(8);
    assertThat(Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE)).step()).isEqualTo(8);
    assertThat(Checkpoint.step(dir.resolve("split").resolve(Checkpoint.FILE))).isEqualTo(8);
    GanTrainer.Outcome b = GanTrainer.toy(small(20), 11, dir.resolve("split")).train(true, quiet());
    assertThat(b.finished()).isTrue();

    Map<String, Checkpoint.Tensor> wa = Checkpoint.read(dir.resolve("whole").resolve(Checkpoint.FILE)).variables();
    Map<String, Checkpoint.Tensor> wb = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE)).variables();
    assertThat(wb.keySet()).isEqualTo(wa.keySet());
    for (String name : wa.keySet()) {
      assertThat(wb.get(name).values()).as(name).containsExactly(wa.get(name).values());
    }
    // the CSV log holds each step once
    List<String> csv = Files.readAllLines(dir.resolve("split/metrics.csv"));
    assertThat(csv.stream().skip(1).map(l -> l.split(",")[0]).toList()).containsExactly("5", "10", "15", "20");
    // a different seed gives different weights
    GanTrainer.toy(small(20), 12, dir.resolve("other")).train(false, quiet());
    assertThat(Checkpoint.read(dir.resolve("other").resolve(Checkpoint.FILE)).variables().get("estimator_fc1_w").values())
        .isNotEqualTo(wa.get("estimator_fc1_w").values());
  }

  @Test
  void shuffledEpochsVisitEverySampleOncePerEpochAndFollowTheSeedAlone(@TempDir Path dir) {
    ToyGanConfig config = small(4).toBuilder().setBatchSampling(ToyGanConfig.BatchSampling.SHUFFLED_EPOCHS).build();
    ToyBatches trainer = new ToyBatches(config, 11);
    int n = 100;
    int batch = 16;
    // batches 0..11 hold 192 positions: epoch 0 whole, then 92 of epoch 1 (batch 6 crosses the boundary)
    java.util.List<Integer> epoch0 = new java.util.ArrayList<>();
    java.util.List<Integer> epoch1 = new java.util.ArrayList<>();
    for (int b = 0; b < 12; b++) {
      int[] rows = trainer.epochRows(n, batch, b);
      for (int i = 0; i < batch; i++) {
        (b * batch + i < n ? epoch0 : epoch1).add(rows[i]);
      }
    }
    assertThat(epoch0).hasSize(n).doesNotHaveDuplicates().allMatch(r -> r >= 0 && r < n);
    assertThat(epoch1).hasSize(92).doesNotHaveDuplicates();
    assertThat(epoch1).isNotEqualTo(epoch0.subList(0, 92)); // a fresh permutation
    // the same batch from another run's batches (a resumed run), asked out of order, is the same
    ToyBatches other = new ToyBatches(config, 11);
    assertThat(other.epochRows(n, batch, 9)).containsExactly(trainer.epochRows(n, batch, 9));
    assertThat(other.epochRows(n, batch, 6)).containsExactly(trainer.epochRows(n, batch, 6));
    assertThat(new ToyBatches(config, 12).epochRows(n, batch, 0))
        .isNotEqualTo(trainer.epochRows(n, batch, 0));
  }

  @Test
  void aShuffledEpochsRunResumesToTheSameWeights(@TempDir Path dir) throws IOException {
    ToyGanConfig config = small(12).toBuilder().setBatchSampling(ToyGanConfig.BatchSampling.SHUFFLED_EPOCHS).build();
    GanTrainer.toy(config, 11, dir.resolve("whole")).train(false, quiet());
    GanTrainer first = GanTrainer.toy(config, 11, dir.resolve("split"));
    first.stopAfter(5);
    first.train(false, quiet());
    GanTrainer.toy(config, 11, dir.resolve("split")).train(true, quiet());
    Map<String, Checkpoint.Tensor> wa = Checkpoint.read(dir.resolve("whole").resolve(Checkpoint.FILE)).variables();
    Map<String, Checkpoint.Tensor> wb = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE)).variables();
    for (String name : wa.keySet()) {
      assertThat(wb.get(name).values()).as(name).containsExactly(wa.get(name).values());
    }
  }

  @Test
  void twoUninterruptedRunsWithTheSameSeedAgree(@TempDir Path dir) throws IOException {
    GanTrainer.toy(small(8), 11, dir.resolve("a")).train(false, quiet());
    GanTrainer.toy(small(8), 11, dir.resolve("b")).train(false, quiet());
    Map<String, Checkpoint.Tensor> wa = Checkpoint.read(dir.resolve("a").resolve(Checkpoint.FILE)).variables();
    Map<String, Checkpoint.Tensor> wb = Checkpoint.read(dir.resolve("b").resolve(Checkpoint.FILE)).variables();
    for (String name : wa.keySet()) {
      assertThat(wb.get(name).values()).as(name).containsExactly(wa.get(name).values());
    }
  }

  @Test
  void aNonFiniteLossStopsTrainingNamingTheStepAndKeepsTheLastGoodCheckpoint(@TempDir Path dir) throws IOException {
    GanTrainer.toy(small(10), 3, dir).train(false, quiet());
    ToyGanConfig broken = small(20).toBuilder().setR1Gamma(Double.NaN).build();
    assertThatThrownBy(() -> GanTrainer.toy(broken, 3, dir).train(true, quiet()))
        .isInstanceOf(TrainingLoop.DivergedException.class)
        .hasMessageContaining("step 11").hasMessageContaining("r1 = NaN").hasMessageContaining("(step 10)");
    assertThat(Checkpoint.read(dir.resolve(Checkpoint.FILE)).step()).isEqualTo(10);
  }

  @Test
  void theExportedSavedModelComputesTheTrainedMlp(@TempDir Path dir) throws IOException {
    ToyGanConfig config = small(6);
    GanTrainer.Outcome outcome = GanTrainer.toy(config, 5, dir.resolve("run")).train(false, quiet());
    assertThat(outcome.estimatorWeights().keySet()).allMatch(n -> n.startsWith("estimator_fc"));
    EstimatorExport.export(config, outcome.estimatorWeights(), dir.resolve("sm"), new com.google.gson.JsonObject());
    assertThat(dir.resolve("sm/saved_model.pb")).exists();
    SplittableRandom r = new SplittableRandom(1);
    int n = 7;
    float[] y = new float[n];
    float[] z = new float[n];
    for (int i = 0; i < n; i++) {
      y[i] = (float) (2 * r.nextDouble() - 1);
      z[i] = (float) r.nextDouble();
    }
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(dir.resolve("sm").toString()).build())) {
      assertThat(m.stochastic()).isTrue();
      float[] out = m.outputs(y, z, n);
      for (int i = 0; i < n; i++) {
        assertThat(out[2 * i]).isEqualTo(y[i]); // consistency: x_hat(1) = y
        double expected = mlp(outcome.estimatorWeights(), new double[] {y[i], z[i]});
        assertThat((double) out[2 * i + 1]).isCloseTo(expected, within(1e-5));
      }
    }
  }

  /** The MLP forward pass in float64 plain Java, from the exported weights (independent of TF). */
  static double mlp(Map<String, Checkpoint.Tensor> w, double[] x) {
    double[] h = x;
    for (int layer = 1; w.containsKey("estimator_fc" + layer + "_w"); layer++) {
      Checkpoint.Tensor weight = w.get("estimator_fc" + layer + "_w");
      Checkpoint.Tensor bias = w.get("estimator_fc" + layer + "_b");
      int in = (int) weight.shape()[0];
      int out = (int) weight.shape()[1];
      double[] next = new double[out];
      for (int j = 0; j < out; j++) {
        double s = bias.values()[j];
        for (int i = 0; i < in; i++) {
          s += h[i] * weight.values()[i * out + j];
        }
        next[j] = w.containsKey("estimator_fc" + (layer + 1) + "_w") ? Math.max(0, s) : s;
      }
      h = next;
    }
    return h[0];
  }
}
