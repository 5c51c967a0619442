package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.export.EstimatorExport;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The L1 objective of the image trainer (Appendix G's distortion-oriented U-Net): the logged loss
 * is mean |G(y) - x| of the graph's own output, one step is exactly Adam's first update on that
 * loss's gradient and lowers it, the run resumes bit for bit and exports like the GANs, and the
 * config rules name their field.
 */
class ImageL1TrainingTest {
  @TempDir Path dir;

  /** x4 super-resolution at 32x32, s = 2, batch 4, objective L1. */
  static ImageGanConfig tinyL1(int steps) {
    ImageGanConfig.Builder b = ImageGanConfig.newBuilder().setName("L1UNet").setObjective(ImageGanConfig.Objective.L1)
        .setSteps(steps).setBatchSize(4).setCheckpointEvery(100).setLogEvery(1).setSampleEvery(2).setSampleInputs(2);
    b.getDataBuilder().setImageSize(32).setPrefetchBatches(2).getFacesBuilder();
    b.getTaskBuilder().getSuperResolutionBuilder().setScale(4);
    b.getEstimatorBuilder().setWidth(2);
    b.getNoiseBuilder().setDistribution(NoiseConfig.Distribution.ZERO);
    b.getEstimatorOptimizerBuilder().setLr(1e-3).setBeta1(0.5).setBeta2(0.99);
    return b.build();
  }

  private static float[] batch(int n, long seed) {
    return BatchLoader.readAll(new RandomImages(n, 32, seed), IntStream.range(0, n).toArray());
  }

  private static float[] floats(Result r, int i) {
    return GanTrainer.floats((TFloat32) r.get(i));
  }

  /** Runs {@code fetches} on a fed batch without training (step seed 0, 0). */
  private static List<float[]> evaluate(GanGraph g, Session s, float[] images, List<Operand<TFloat32>> fetches) {
    try (TFloat32 x = TFloat32.tensorOf(Shape.of(images.length / (32 * 32 * 3), 32, 32, 3),
        DataBuffers.of(images, true, false)); TInt64 seed = TInt64.vectorOf(0, 0)) {
      Session.Runner r = s.runner().feed(g.estimatorBatch, x).feed(g.seed, seed);
      fetches.forEach(r::fetch);
      try (Result res = r.run()) {
        List<float[]> out = new ArrayList<>();
        for (int i = 0; i < fetches.size(); i++) {
          out.add(floats(res, i));
        }
        return out;
      }
    }
  }

  @Test
  void theLossIsTheMeanAbsoluteErrorOfTheGraphsOwnOutputAndThePsnrItsMse() {
    ImageGanConfig c = tinyL1(1);
    ImageGanValidation.validate(c, "image_gan");
    float[] x = batch(4, 3);
    try (GanGraph g = GanGraph.images(c, 5); Session s = new Session(g.graph)) {
      g.variables.initialize(s);
      List<float[]> out = evaluate(g, s, x, List.of(g.estimatorOutput, g.l1Loss, g.psnr));
      float[] xHat = out.get(0);
      assertThat(xHat).hasSameSizeAs(x);
      double abs = 0;
      double sq = 0;
      for (int i = 0; i < x.length; i++) {
        abs += Math.abs((double) xHat[i] - x[i]);
        sq += ((double) xHat[i] - x[i]) * ((double) xHat[i] - x[i]);
      }
      abs /= x.length;
      sq /= x.length;
      assertThat(abs).isGreaterThan(0.01); // an untrained U-Net: a real error, not a trivial 0
      assertThat((double) out.get(1)[0]).isCloseTo(abs, within(1e-6 * abs));
      assertThat((double) out.get(2)[0]).isCloseTo(-10 * Math.log10(sq), within(1e-4));
      // no critic, no GAN or robustness ops
      assertThat(g.graph.operation("critic_batch")).isNull();
      assertThat(g.critic()).isNull();
      assertThat(g.variables.read(s).keySet()).isNotEmpty().allMatch(n -> n.startsWith("estimator_"));
    }
  }

  @Test
  void oneStepIsAdamsFirstUpdateOnTheL1GradientAndLowersTheLoss() {
    ImageGanConfig c = tinyL1(1);
    float[] x = batch(4, 4);
    try (GanGraph g = GanGraph.images(c, 6)) {
      Parameters<TFloat32> params = g.estimatorParams;
      List<Operand<TFloat32>> grads = Graphs.gradients(g.tf, g.l1Loss, params.reads());
      try (Session s = new Session(g.graph)) {
        g.variables.initialize(s);
        List<float[]> before = evaluate(g, s, x, params.reads());
        List<float[]> gradient = evaluate(g, s, x, grads);
        double lossBefore = evaluate(g, s, x, List.of(g.l1Loss)).get(0)[0];
        double[] logged = GanTrainer.images(c, 9, dir).iteration(g, s, x, null, 0, null);
        assertThat(logged[0]).isEqualTo(lossBefore); // the logged loss is the one before the update
        assertThat(logged[2]).isEqualTo(1e-3); // lr_estimator
        List<float[]> after = evaluate(g, s, x, params.reads());
        double lossAfter = evaluate(g, s, x, List.of(g.l1Loss)).get(0)[0];
        // Adam, t = 1, m = (1 - b1) g, v = (1 - b2) g^2, lr_t = lr sqrt(1 - b2) / (1 - b1):
        // w' = w - lr g / (|g| + eps / sqrt(1 - b2))
        double lr = 1e-3;
        double epsHat = 1e-8 / Math.sqrt(1 - 0.99);
        int moved = 0;
        int total = 0;
        for (int p = 0; p < before.size(); p++) {
          for (int i = 0; i < before.get(p).length; i++) {
            double gi = gradient.get(p)[i];
            double w = before.get(p)[i];
            String name = params.list().get(p).name() + "[" + i + "]";
            if (Math.abs(gi) < 1e-6) { // float noise: two gradient computations may differ here
              assertThat(Math.abs(after.get(p)[i] - w)).as(name).isLessThanOrEqualTo(lr * (1 + 1e-6) + 1e-7 * Math.abs(w));
              continue;
            }
            double expected = w - lr * gi / (Math.abs(gi) + epsHat);
            assertThat((double) after.get(p)[i]).as(name).isCloseTo(expected, within(2e-6 * lr + 1.2e-7 * Math.abs(w)));
            moved += Math.abs(gi) > 1e-4 ? 1 : 0;
            total++;
          }
        }
        assertThat(moved).isGreaterThan(total / 2); // most weights moved by lr itself
        assertThat(lossAfter).isLessThan(lossBefore);
      }
    }
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  @Test
  void anL1RunResumesBitForBitLogsItsMetricsAndExportsTheTrainedEstimator() throws Exception {
    ImageGanConfig c = tinyL1(4);
    RandomImages train = new RandomImages(40, 32, 1);
    RandomImages validation = new RandomImages(8, 32, 2);
    GanTrainer.Outcome whole = GanTrainer.images(c, 7, dir.resolve("whole")).train(train, validation, false, quiet());
    GanTrainer first = GanTrainer.images(c, 7, dir.resolve("split"));
    first.stopAfter(2);
    assertThat(first.train(train, validation, false, quiet()).finished()).isFalse();
    GanTrainer.Outcome resumed = GanTrainer.images(c, 7, dir.resolve("split")).train(train, validation, true, quiet());
    assertThat(resumed.step()).isEqualTo(4);
    assertThat(resumed.estimatorWeights().keySet()).isEqualTo(whole.estimatorWeights().keySet())
        .anyMatch(n -> n.startsWith("estimator_bn_")).noneMatch(n -> n.contains("adam") || n.startsWith("critic"));
    for (Map.Entry<String, Checkpoint.Tensor> e : whole.estimatorWeights().entrySet()) {
      assertThat(resumed.estimatorWeights().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
    List<String> csv = Files.readAllLines(dir.resolve("whole/metrics.csv"));
    assertThat(csv.get(0)).isEqualTo("step,loss_l1,psnr,lr_estimator,wall_seconds");
    assertThat(csv).hasSize(5);
    String[] last = csv.get(4).split(",");
    assertThat(whole.lastMetrics()).containsOnlyKeys("loss_l1", "psnr", "lr_estimator");
    assertThat(whole.lastMetrics().get("loss_l1")).isEqualTo(Double.parseDouble(last[1]));
    assertThat(whole.samplePixelStd()).isZero(); // deterministic
    assertThat(dir.resolve("whole/samples/step-00000004.png")).exists();

    // the SavedModel's serving_default(y, z = 0) is the training graph's inference-mode output
    Path exported = dir.resolve("model");
    EstimatorExport.export(c, whole.estimatorWeights(), exported, new JsonObject());
    ExportedEstimatorCheck.servingDefaultMatchesTrainingGraph(c, 7, dir.resolve("whole").resolve(Checkpoint.FILE),
        exported, BatchLoader.readAll(validation, new int[] {0, 1, 2}), 3);
    String meta = Files.readString(exported.resolve("assets.extra/restorelab.json"));
    assertThat(meta).contains("\"objective\": \"L1\"", "\"stochastic\": false", "\"task\": \"sr4\"");
  }

  @Test
  void l1ConfigRulesNameTheirField() {
    ImageGanConfig ok = tinyL1(10);
    ImageGanValidation.validate(ok, "image_gan");
    ImageGanConfig.Builder noisy = ok.toBuilder();
    noisy.getNoiseBuilder().setDistribution(NoiseConfig.Distribution.NORMAL);
    assertThatThrownBy(() -> ImageGanValidation.validate(noisy.build(), "image_gan")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_gan.noise.distribution must be ZERO with objective L1").hasMessageContaining("NORMAL");
    ImageGanConfig.Builder robust = ok.toBuilder();
    robust.getRobustnessBuilder().setLambdaR(0);
    assertThatThrownBy(() -> ImageGanValidation.validate(robust.build(), "image_gan")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_gan.robustness: objective L1").hasMessageContaining("remove the field");
    ImageGanConfig.Builder critic = ok.toBuilder();
    critic.getCriticBuilder().setWidth(16);
    assertThatThrownBy(() -> ImageGanValidation.validate(critic.build(), "image_gan"))
        .hasMessageContaining("image_gan.critic: objective L1");
    assertThatThrownBy(() -> ImageGanValidation.validate(ok.toBuilder().setR1Gamma(1).build(), "image_gan"))
        .hasMessageContaining("image_gan.r1_gamma: objective L1");
    assertThatThrownBy(() -> ImageGanValidation.validate(ok.toBuilder().setR1Every(4).build(), "image_gan"))
        .hasMessageContaining("image_gan.r1_every: objective L1");
    ImageGanConfig.Builder flat = ok.toBuilder();
    flat.getFlatCriticBuilder().setStop(true);
    assertThatThrownBy(() -> ImageGanValidation.validate(flat.build(), "image_gan"))
        .hasMessageContaining("image_gan.flat_critic: objective L1");
    ImageGanConfig.Builder criticOptimizer = ok.toBuilder();
    criticOptimizer.getCriticOptimizerBuilder().setLr(1e-4);
    assertThatThrownBy(() -> ImageGanValidation.validate(criticOptimizer.build(), "image_gan"))
        .hasMessageContaining("image_gan.critic_optimizer: objective L1");
    assertThatThrownBy(() -> ImageGanValidation.validate(ok.toBuilder().setName("ErraticGAN").build(), "image_gan"))
        .hasMessageContaining("image_gan.name: ErraticGAN names a GAN variant");
  }
}
