package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.export.ConditionalFlowExport;
import org.restorelab.task.SuperResolution;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The conditional flow end to end on 16x16 faces at x4: maximum-likelihood training lowers the
 * bits per dimension, a resumed run matches an uninterrupted one bit for bit, the export's three
 * signatures agree with each other and with the temperature's meaning, the evaluation harness
 * loads it, and bad configs are refused with the field named.
 */
class ConditionalFlowTrainerTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static final long SEED = 3;
  static ConditionalFlowTrainer.Outcome trained;
  static List<double[]> log;

  static ConditionalFlowConfig small(int steps) {
    ConditionalFlowConfig.Builder b = ConditionalFlowConfig.newBuilder().setName("test-flow").setSteps(steps)
        .setBatchSize(8).setCheckpointEvery(1000).setLogEvery(1).setSampleEvery(1000).setSampleInputs(2)
        .setSamplesPerInput(3).setMaxGradientNorm(100).setValidateEvery(50);
    b.getDataBuilder().setImageSize(16).setPrefetchBatches(2).getFacesBuilder().setTrainSize(2000).setValidationSize(64);
    b.getTaskBuilder().getSuperResolutionBuilder().setScale(4);
    b.getFlowBuilder().setLevels(2).setStepsPerLevel(2).setHiddenChannels(16).setEncoderChannels(8).setEncoderBlocks(1);
    b.getOptimizerBuilder().setLr(1e-3).setBeta1(0.9).setBeta2(0.99);
    return b.build();
  }

  static ImageSet data(ConditionalFlowConfig c, Split split) {
    return ImageSets.open(c.getData(), split, SEED);
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  @BeforeAll
  static void trainShortly() throws Exception {
    ConditionalFlowConfig config = small(150);
    ConditionalFlowTrainer.validate(config, "conditional_flow");
    trained = new ConditionalFlowTrainer(config, SEED, shared.resolve("run")).train(data(config, Split.TRAIN),
        data(config, Split.VALIDATION), false, quiet());
    log = Files.readAllLines(shared.resolve("run/metrics.csv")).stream().skip(1)
        .map(l -> java.util.Arrays.stream(l.split(",")).skip(1).mapToDouble(Double::parseDouble).toArray()).toList();
  }

  @Test
  void maximumLikelihoodTrainingLowersTheBitsPerDimension() {
    assertThat(trained.finished()).isTrue();
    assertThat(log).hasSize(150);
    double first = log.subList(0, 10).stream().mapToDouble(r -> r[0]).average().orElseThrow();
    double last = log.subList(140, 150).stream().mapToDouble(r -> r[0]).average().orElseThrow();
    // 8 bits is a uniform density over [0, 1]^D; the faces are smooth, so a trained flow needs far fewer
    assertThat(first).isBetween(2.0, 12.0);
    assertThat(last).as("bits/dim %s -> %s", first, last).isLessThan(first - 1.0);
    assertThat(trained.validationBitsPerDim()).isBetween(0.0, first);
    assertThat(trained.validationImages()).isEqualTo(64);
    // stochastic: the three samples per input differ
    assertThat(trained.samplePixelStd()).isGreaterThan(1e-3);
    assertThat(trained.weights().keySet()).allMatch(n -> n.startsWith("flow_") && !n.startsWith("flow_adam_"))
        .contains("flow_level1_step1_actnorm_bias", "flow_fixed_level1_step1_conv1x1_p", "flow_level2_prior_conv3_w");
    assertThat(shared.resolve("run/samples/step-00000150.png")).exists();
  }

  @Test
  void theHeldOutBitsPerDimensionAreMeasuredEveryValidateEverySteps() {
    // column 3 holds the last measurement: the start's until step 49, then steps 50, 100 and 150's
    for (int step = 1; step <= 150; step++) {
      int measuredAt = step < 50 ? 0 : step - step % 50;
      int row = measuredAt == 0 ? 0 : measuredAt - 1;
      assertThat(log.get(step - 1)[3]).as("step %d", step).isEqualTo(log.get(row)[3]);
    }
    assertThat(log.get(49)[3]).isNotEqualTo(log.get(48)[3]);
    assertThat(log.get(149)[3]).isEqualTo(trained.validationBitsPerDim());
    assertThat(log.get(149)[3]).as("held-out bits/dim fall from the start's").isLessThan(log.get(0)[3] - 1.0);
  }

  @Test
  void theFiniteCheckSamplesEveryValidationImageAtTemperaturesZeroToOne() {
    ConditionalFlowTrainer.FiniteCheck check = trained.finiteCheck();
    assertThat(check.images()).isEqualTo(64);
    assertThat(check.temperatures()).containsExactly(0, 0.25, 0.5, 0.75, 1);
    assertThat(check.nonFinite()).containsOnly(0);
  }

  @Test
  void theFiniteCheckCountsTheSamplesOfAFlowWhoseScalesVanished() {
    // scale_eps 0 and the scale offset far below zero: sigmoid(h - 200) is 0 in float32, the
    // inverse coupling divides by it, and every sample holds an infinity or a NaN
    ConditionalFlowConfig vanished = small(2).toBuilder()
        .setFlow(small(2).getFlow().toBuilder().setScaleOffset(-200).setScaleEps(0)).build();
    ConditionalFlowTrainer trainer = new ConditionalFlowTrainer(vanished, SEED, shared.resolve("unused"));
    try (ConditionalFlowGraph g = new ConditionalFlowGraph(vanished, ConditionalFlowTrainer.task(vanished, "flow"), SEED);
        Session session = new Session(g.graph)) {
      g.variables.initialize(session);
      assertThat(trainer.finiteCheck(g, session, extreme(), 8).total()).isEqualTo(8 * 5);
    }
  }

  @Test
  void aFlowTrainedAFewStepsWithTheBoundSamplesFiniteValuesFromExtremeInputs() throws Exception {
    // the same offset with SRFlow's eps: every scale is 1e-4, the inverse multiplies by 1e4 per
    // layer, and a flow trained 20 steps still samples finite values at every temperature from
    // black, white and striped inputs (its validation split here, so the final check runs on them)
    ConditionalFlowConfig bounded = small(20).toBuilder()
        .setFlow(small(20).getFlow().toBuilder().setScaleOffset(-200).setScaleEps(1e-4)).build();
    ConditionalFlowTrainer.Outcome o = new ConditionalFlowTrainer(bounded, SEED, dir.resolve("bounded"))
        .train(data(bounded, Split.TRAIN), extreme(), false, quiet());
    assertThat(o.finished()).isTrue();
    assertThat(o.finiteCheck().images()).isEqualTo(8);
    assertThat(o.finiteCheck().nonFinite()).containsOnly(0);
    ConditionalFlowTrainer.Outcome defaults = new ConditionalFlowTrainer(small(20), SEED, dir.resolve("defaults"))
        .train(data(small(20), Split.TRAIN), extreme(), false, quiet());
    assertThat(defaults.finiteCheck().nonFinite()).containsOnly(0);
  }

  /** 8 extreme 16x16 inputs: black, white, one-pixel stripes and a hard edge, twice. */
  private static ImageSet extreme() {
    return new ImageSet() {
      public int size() {
        return 8;
      }

      public int height() {
        return 16;
      }

      public int width() {
        return 16;
      }

      public String describe(int index) {
        return "extreme/" + index;
      }

      public void read(int index, float[] dst, int offset) {
        for (int i = 0; i < 16 * 16 * 3; i++) {
          int x = i / 3 % 16;
          dst[offset + i] = switch (index % 4) {
            case 0 -> 0f;
            case 1 -> 1f;
            case 2 -> (x % 2 == 0) ? 0f : 1f;
            default -> (x < 8) ? 0f : 1f;
          };
        }
      }
    };
  }

  @Test
  void aResumedRunLogsTheSameHeldOutBitsPerDimension() throws Exception {
    ConditionalFlowConfig config = small(6).toBuilder().setValidateEvery(2).build();
    ImageSet train = data(config, Split.TRAIN);
    ImageSet validation = data(config, Split.VALIDATION);
    new ConditionalFlowTrainer(config, SEED, dir.resolve("whole")).train(train, validation, false, quiet());
    ConditionalFlowTrainer first = new ConditionalFlowTrainer(config, SEED, dir.resolve("split"));
    first.stopAfter(3); // between two measurements: the checkpoint carries step 2's
    first.train(train, validation, false, quiet());
    new ConditionalFlowTrainer(config, SEED, dir.resolve("split")).train(train, validation, true, quiet());
    assertThat(heldOutColumn(dir.resolve("split"))).containsExactly(heldOutColumn(dir.resolve("whole")));
  }

  private static double[] heldOutColumn(Path run) throws java.io.IOException {
    return Files.readAllLines(run.resolve("metrics.csv")).stream().skip(1)
        .mapToDouble(l -> Double.parseDouble(l.split(",")[4])).toArray();
  }

  @Test
  void aResumedRunReachesTheSameWeightsBitForBit() throws Exception {
    ConditionalFlowConfig config = small(6);
    ImageSet train = data(config, Split.TRAIN);
    ImageSet validation = data(config, Split.VALIDATION);
    ConditionalFlowTrainer.Outcome whole = new ConditionalFlowTrainer(config, SEED, dir.resolve("whole"))
        .train(train, validation, false, quiet());
    ConditionalFlowTrainer first = new ConditionalFlowTrainer(config, SEED, dir.resolve("split"));
    first.stopAfter(4);
    ConditionalFlowTrainer.Outcome half = first.train(train, validation, false, quiet());
    assertThat(half.finished()).isFalse();
    ConditionalFlowTrainer.Outcome resumed = new ConditionalFlowTrainer(config, SEED, dir.resolve("split"))
        .train(train, validation, true, quiet());
    assertThat(resumed.step()).isEqualTo(6);
    for (Map.Entry<String, Checkpoint.Tensor> e : whole.weights().entrySet()) {
      assertThat(resumed.weights().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
  }

  @Test
  void theExportsSignaturesAgreeAndTheTemperatureScalesTheLatents() throws Exception {
    ConditionalFlowConfig config = small(150);
    Path model = dir.resolve("model");
    ConditionalFlowExport.export(config, trained.weights(), model, new com.google.gson.JsonObject(), null);
    int n = 2;
    float[] hr = BatchLoader.readAll(data(config, Split.VALIDATION), new int[] {0, 1});
    float[] y = boxAverage(hr, n, 16, 4);
    java.util.SplittableRandom r = new java.util.SplittableRandom(9);
    float[] z = new float[n * 768];
    for (int i = 0; i < z.length; i++) {
      z[i] = (float) (Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
    }
    float[] z1 = new float[n * 8 * 8 * 6];
    float[] z2 = new float[n * 4 * 4 * 24];
    for (int i = 0; i < n; i++) {
      System.arraycopy(z, i * 768, z1, i * 384, 384);
      System.arraycopy(z, i * 768 + 384, z2, i * 384, 384);
    }
    try (SavedModelBundle b = SavedModelBundle.load(model.toString(), "serve");
        TFloat32 ty = tensor(y, Shape.of(n, 4, 4, 3)); TFloat32 tz = tensor(z, Shape.of(n, 768));
        TFloat32 tz1 = tensor(z1, Shape.of(n, 8, 8, 6)); TFloat32 tz2 = tensor(z2, Shape.of(n, 4, 4, 24));
        TFloat32 t09 = TFloat32.scalarOf(0.9f); TFloat32 t0 = TFloat32.scalarOf(0f);
        TInt64 seed = TInt64.vectorOf(1, 2)) {
      Session s = b.session();
      float[] flat = run(s.runner().feed("y", ty).feed("z", tz).fetch("x_hat"));
      float[] flatExplicit = run(s.runner().feed("y", ty).feed("z", tz).feed("temperature", t09).fetch("x_hat"));
      float[] perLevel = run(s.runner().feed("y", ty).feed("z1", tz1).feed("z2", tz2).fetch("x_hat_per_level"));
      float[] cold = run(s.runner().feed("y", ty).feed("z", tz).feed("temperature", t0).fetch("x_hat"));
      float[] coldOther = run(s.runner().feed("y", ty).feed("z", tensor(negate(z), Shape.of(n, 768)))
          .feed("temperature", t0).fetch("x_hat"));
      float[] seeded = run(s.runner().feed("y", ty).feed("seed", seed).fetch("x_hat_sample"));
      assertThat(flat).containsExactly(flatExplicit); // the default temperature is the config's 0.9
      assertThat(perLevel).containsExactly(flat); // the per-level latents are the flat z's slices
      assertThat(cold).containsExactly(coldOther); // at T = 0 every z gives the prior means' image
      assertThat(maxAbsDiff(flat, cold)).isGreaterThan(1e-3f);
      assertThat(maxAbsDiff(seeded, flat)).isGreaterThan(1e-3f);
      for (float v : seeded) {
        assertThat(v).isBetween(0f, 1f);
      }
      assertThat(b.metaGraphDef().getSignatureDefMap().keySet()).contains("serving_default", "per_level", "sample");
    }
    // the evaluation harness loads it as a (y, z) -> x_hat estimator with NORMAL noise of dimension S S 3
    SuperResolution task = new SuperResolution(16, 16, 4);
    try (LoadedEstimator loaded = LoadedEstimator.load(SavedModelConfig.newBuilder()
        .setPath(model.toString()).setName("flow").build(), task)) {
      assertThat(loaded.stochastic()).isTrue();
      assertThat(loaded.noiseDim()).isEqualTo(768);
      float[] grad = new float[n * 48];
      float[] d = loaded.distanceAndGradient(y, z, new float[n * 768], n, grad);
      assertThat(d[0]).isPositive();
      double norm = 0;
      for (float g : grad) {
        assertThat(Float.isFinite(g)).isTrue();
        norm += g * g;
      }
      assertThat(norm).as("the attack's gradient w.r.t. y reaches through the flow").isPositive();
    }
  }

  @Test
  void configsThatCannotWorkAreRefusedNamingTheField() {
    ConditionalFlowConfig ok = small(10);
    ConditionalFlowConfig inpainting = ok.toBuilder().setTask(org.restorelab.config.TaskConfig.newBuilder()
        .setInpainting(org.restorelab.config.InpaintingConfig.getDefaultInstance())).build();
    assertThatThrownBy(() -> ConditionalFlowTrainer.validate(inpainting, "conditional_flow"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("conditional_flow.task")
        .hasMessageContaining("super_resolution");
    ConditionalFlowConfig deep = ok.toBuilder().setFlow(ok.getFlow().toBuilder().setLevels(5)).build();
    assertThatThrownBy(() -> ConditionalFlowTrainer.validate(deep, "conditional_flow"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("image size 16 must be divisible by 2^levels = 32");
    ConditionalFlowConfig x3 = ok.toBuilder().setTask(org.restorelab.config.TaskConfig.newBuilder()
        .setSuperResolution(org.restorelab.config.SuperResolutionConfig.newBuilder().setScale(3))).build();
    assertThatThrownBy(() -> ConditionalFlowTrainer.validate(x3, "conditional_flow"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("scale = 3");
    ConditionalFlowConfig hot = ok.toBuilder().setTemperature(-1).build();
    assertThatThrownBy(() -> ConditionalFlowTrainer.validate(hot, "conditional_flow"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("conditional_flow.temperature");
  }

  static float[] boxAverage(float[] hr, int n, int side, int s) {
    int low = side / s;
    float[] out = new float[n * low * low * 3];
    for (int i = 0; i < n; i++) {
      for (int a = 0; a < side; a++) {
        for (int b = 0; b < side; b++) {
          for (int c = 0; c < 3; c++) {
            out[((i * low + a / s) * low + b / s) * 3 + c] += hr[((i * side + a) * side + b) * 3 + c] / (s * s);
          }
        }
      }
    }
    return out;
  }

  private static float[] negate(float[] v) {
    float[] out = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      out[i] = -v[i];
    }
    return out;
  }

  private static float maxAbsDiff(float[] a, float[] b) {
    float m = 0;
    for (int i = 0; i < a.length; i++) {
      m = Math.max(m, Math.abs(a[i] - b[i]));
    }
    return m;
  }

  private static TFloat32 tensor(float[] v, Shape s) {
    return TFloat32.tensorOf(s, DataBuffers.of(v, true, false));
  }

  private static float[] run(Session.Runner r) {
    try (Result res = r.run()) {
      return GanTrainer.floats((TFloat32) res.get(0));
    }
  }
}
