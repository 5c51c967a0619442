package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.export.EstimatorExport;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** The image GAN trainer end to end on tiny networks: resume, sample grids, export. */
class ImageGanTrainerTest {
  @TempDir Path dir;

  /** A tiny config in which every part of the step runs: 32x32 inpainting, s = 2, f = 1. */
  static ImageGanConfig tiny(String name, boolean stochastic, boolean robust, int steps) {
    ImageGanConfig.Builder b = ImageGanConfig.newBuilder().setName(name).setSteps(steps).setBatchSize(2)
        .setCheckpointEvery(100).setLogEvery(1).setSampleEvery(3).setSampleInputs(2).setSamplesPerInput(3);
    b.getDataBuilder().setImageSize(32).setPrefetchBatches(2).getFacesBuilder();
    b.getTaskBuilder().getInpaintingBuilder();
    b.getEstimatorBuilder().setWidth(2);
    b.getCriticBuilder().setWidth(1);
    b.getNoiseBuilder().setDistribution(stochastic ? NoiseConfig.Distribution.NORMAL : NoiseConfig.Distribution.ZERO);
    if (robust) {
      b.getRobustnessBuilder().setLambdaR(10).setApplyEvery(3).getAttackBuilder().setEpsilon(1.25).setSteps(2).setLr(1)
          .setSeeds(2);
    }
    b.getEstimatorOptimizerBuilder().setLr(1e-3).setBeta1(0.5).setBeta2(0.99);
    b.getCriticOptimizerBuilder().setLr(1e-3).setBeta1(0.5).setBeta2(0.99);
    return b.build();
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  @Test
  void aResumedRunReachesTheSameWeightsBitForBitAndWritesSampleGrids() throws Exception {
    ImageGanConfig config = tiny("StoRobustGAN", true, true, 6);
    RandomImages train = new RandomImages(40, 32, 1);
    RandomImages validation = new RandomImages(8, 32, 2);
    GanTrainer.Outcome whole = GanTrainer.images(config, 7, dir.resolve("whole"))
        .train(train, validation, false, quiet());
    assertThat(whole.finished()).isTrue();
    GanTrainer first = GanTrainer.images(config, 7, dir.resolve("split"));
    first.stopAfter(4);
    GanTrainer.Outcome half = first.train(train, validation, false, quiet());
    assertThat(half.step()).isEqualTo(4);
    assertThat(half.finished()).isFalse();
    GanTrainer.Outcome resumed = GanTrainer.images(config, 7, dir.resolve("split"))
        .train(train, validation, true, quiet());
    assertThat(resumed.step()).isEqualTo(6);
    assertThat(whole.samplePixelStd()).isPositive(); // a stochastic estimator: samples differ
    // weights and batch-norm moving averages, bit for bit
    assertThat(resumed.estimatorWeights().keySet()).isEqualTo(whole.estimatorWeights().keySet())
        .anyMatch(n -> n.startsWith("estimator_bn_"));
    for (Map.Entry<String, Checkpoint.Tensor> e : whole.estimatorWeights().entrySet()) {
      assertThat(resumed.estimatorWeights().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
    // the robust loss ran (steps 0 and 3) and was logged
    String csv = Files.readString(dir.resolve("whole").resolve("metrics.csv"));
    assertThat(csv.lines().skip(1).filter(l -> !l.split(",")[3].equals("0.0")).count()).isGreaterThanOrEqualTo(1);
    assertThat(dir.resolve("whole/samples/step-00000003.png")).exists();
    assertThat(dir.resolve("whole/samples/step-00000006.png")).exists();
    java.awt.image.BufferedImage grid = javax.imageio.ImageIO.read(dir.resolve("whole/samples/step-00000006.png").toFile());
    // 2 inputs x (input, 3 samples, truth) cells of 32 px magnified 3x
    assertThat(grid.getWidth()).isGreaterThan(5 * 96);
    assertThat(grid.getHeight()).isGreaterThan(2 * 96);
  }

  /** metrics.csv without its wall_seconds column (the only one that differs between equal runs). */
  static java.util.List<String> rowsWithoutWallTime(Path csv) throws java.io.IOException {
    return Files.readAllLines(csv).stream().map(l -> l.substring(0, l.lastIndexOf(','))).toList();
  }

  @Test
  void aLazyR1RunResumedBetweenR1StepsReachesTheSameStateAndLogsTheSameRows() throws Exception {
    // R1 on 0-based steps 0 and 4; the cut after 3 steps resumes on a step without R1 (r1 held
    // from step 0, restored from the checkpoint), then crosses the R1 step 4
    ImageGanConfig.Builder b = tiny("StoErraticGAN", true, false, 7).toBuilder().setR1Every(4).setR1Gamma(1e5);
    b.getFlatCriticBuilder().setTolerance(10).setSteps(100); // every step flat: the run length crosses the cut too
    ImageGanConfig config = b.build();
    RandomImages train = new RandomImages(40, 32, 1);
    RandomImages validation = new RandomImages(8, 32, 2);
    GanTrainer.Outcome whole = GanTrainer.images(config, 7, dir.resolve("whole"))
        .train(train, validation, false, quiet());
    assertThat(whole.finished()).isTrue();
    GanTrainer first = GanTrainer.images(config, 7, dir.resolve("split"));
    first.stopAfter(3);
    assertThat(first.train(train, validation, false, quiet()).step()).isEqualTo(3);
    Checkpoint cut = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE));
    assertThat(cut.state()).containsEntry(GanTrainer.STATE_FLAT, 3.0).containsKey(GanTrainer.STATE_R1);
    assertThat(GanTrainer.images(config, 7, dir.resolve("split")).train(train, validation, true, quiet()).step())
        .isEqualTo(7);
    // every variable (both networks, batch-norm statistics, both Adams), bit for bit
    Checkpoint a = Checkpoint.read(dir.resolve("whole").resolve(Checkpoint.FILE));
    Checkpoint c = Checkpoint.read(dir.resolve("split").resolve(Checkpoint.FILE));
    assertThat(c.variables().keySet()).isEqualTo(a.variables().keySet()).anyMatch(n -> n.startsWith("critic_adam_"));
    for (Map.Entry<String, Checkpoint.Tensor> e : a.variables().entrySet()) {
      assertThat(c.variables().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
    assertThat(c.state()).isEqualTo(a.state());
    java.util.List<String> rows = rowsWithoutWallTime(dir.resolve("whole/metrics.csv"));
    assertThat(rowsWithoutWallTime(dir.resolve("split/metrics.csv"))).isEqualTo(rows);
    assertThat(rows.get(0)).isEqualTo("step,loss_gan,loss_robust,loss_critic,r1,lr_estimator,d_real,d_fake,critic_flat_steps");
    // r1 of rows 1..4 is step 0's (held), row 5 is step 4's own; the run length counts every step
    java.util.List<String[]> cells = rows.stream().skip(1).map(r -> r.split(",")).toList();
    for (int i = 1; i < 4; i++) {
      assertThat(cells.get(i)[4]).isEqualTo(cells.get(0)[4]);
    }
    assertThat(cells.get(4)[4]).isNotEqualTo(cells.get(0)[4]);
    assertThat(cells.stream().map(r -> r[8]).toList()).containsExactly("1.0", "2.0", "3.0", "4.0", "5.0", "6.0", "7.0");
  }

  private static float[] run(SavedModelBundle model, String output, Map<String, org.tensorflow.Tensor> feeds) {
    Session.Runner r = model.session().runner();
    feeds.forEach(r::feed);
    try (Result result = r.fetch(output).run()) {
      return GanTrainer.floats((TFloat32) result.get(0));
    }
  }

  @Test
  void exportedModelsMatchTheTrainingGraphAndStayConsistent() throws Exception {
    RandomImages train = new RandomImages(40, 32, 1);
    RandomImages validation = new RandomImages(8, 32, 2);
    // deterministic: serving_default(y, z = 0) equals the training graph's inference-mode output
    ImageGanConfig det = tiny("ErraticGAN", false, false, 3);
    GanTrainer.Outcome outcome = GanTrainer.images(det, 3, dir.resolve("det")).train(train, validation, false, quiet());
    Path exported = dir.resolve("det-model");
    EstimatorExport.export(det, outcome.estimatorWeights(), exported, new JsonObject());
    float[] measurement = ExportedEstimatorCheck.servingDefaultMatchesTrainingGraph(det, 3,
        dir.resolve("det").resolve(Checkpoint.FILE), exported, BatchLoader.readAll(validation, new int[] {0, 1, 2}), 3);
    assertThat(Files.readString(exported.resolve("assets.extra/restorelab.json"))).contains("\"task\": \"inpainting\"");

    // stochastic: the sample signature gives other outputs for other seeds, each consistent
    ImageGanConfig sto = tiny("StoErraticGAN", true, false, 3);
    GanTrainer.Outcome stoOutcome = GanTrainer.images(sto, 3, dir.resolve("sto")).train(train, validation, false, quiet());
    Path stoModel = dir.resolve("sto-model");
    EstimatorExport.export(sto, stoOutcome.estimatorWeights(), stoModel, new JsonObject());
    try (SavedModelBundle model = SavedModelBundle.load(stoModel.toString(), "serve");
        TFloat32 y = TFloat32.tensorOf(Shape.of(3, 32, 32, 3), DataBuffers.of(measurement, true, false));
        TInt64 s1 = TInt64.vectorOf(1, 1);
        TInt64 s2 = TInt64.vectorOf(1, 2)) {
      float[] a = run(model, "x_hat_sample", Map.of("y", y, "seed", s1));
      float[] b = run(model, "x_hat_sample", Map.of("y", y, "seed", s2));
      float[] again = run(model, "x_hat_sample", Map.of("y", y, "seed", s1));
      assertThat(again).containsExactly(a);
      assertThat(a).isNotEqualTo(b);
      // consistency: the visible bottom quarter is the measurement, exactly
      for (int p = 24 * 32 * 3; p < 32 * 32 * 3; p++) {
        assertThat(a[p]).isEqualTo(measurement[p]);
        assertThat(b[p]).isEqualTo(measurement[p]);
      }
    }
  }

  @org.junit.jupiter.api.Test
  void pixelStdIsTheMeanOfPerElementPopulationStandardDeviations() {
    // element 0: {0, 2} -> std 1; element 1: {1, 1} -> 0; element 2: {-1, 3} -> 2; mean 1
    assertThat(GanTrainer.pixelStd(java.util.List.of(new float[] {0, 1, -1}, new float[] {2, 1, 3})))
        .isCloseTo(1.0, org.assertj.core.data.Offset.offset(1e-12));
  }
}
