package org.restorelab.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.TaskConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.run.Seeds;
import org.restorelab.run.TfSessions;
import org.restorelab.task.SuperResolution;
import org.restorelab.task.Tasks;
import org.restorelab.train.log.TrainingLog;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains the conditional flow by maximum likelihood with Adam, on batches fixed by (seed, step),
 * checkpointing and resuming as the other trainers do. A fresh run first initializes every
 * ActNorm from the first batch. Every {@code sample_every} steps a grid of samples at the config's
 * temperature goes to {@code samples/}; every {@code validate_every} steps the held-out bits per
 * dimension are measured, and at the end every validation image is sampled at temperatures 0 to 1
 * and the non-finite samples counted.
 */
public final class ConditionalFlowTrainer {
  /** Where training stopped, the flow's weights (trained and fixed), its speed and held-out likelihood. */
  public record Outcome(long step, boolean finished, Map<String, Checkpoint.Tensor> weights,
      double secondsPerIteration, double samplePixelStd, double validationBitsPerDim, int validationImages,
      FiniteCheck finiteCheck) {}

  /**
   * Samples of the finished flow with a NaN or infinity before clipping, per temperature, over
   * {@code images} validation images (a flow whose inverse divides by a vanished scale has some).
   */
  public record FiniteCheck(int images, double[] temperatures, int[] nonFinite) {
    public int total() {
      return java.util.Arrays.stream(nonFinite).sum();
    }
  }

  public static final List<String> METRICS = List.of("bits_per_dim", "gradient_norm", "lr", "validation_bits_per_dim");
  /** The temperatures of the final finite check. */
  static final double[] CHECK_TEMPERATURES = {0, 0.25, 0.5, 0.75, 1};
  private static final String HELD_OUT_STATE = "validation_bits_per_dim";

  private final ConditionalFlowConfig config;
  private final SuperResolution task;
  private final long seed;
  private final Path dir;
  private final TrainingLoop loop;

  public ConditionalFlowTrainer(ConditionalFlowConfig config, long seed, Path dir) {
    this.config = config;
    this.task = task(config, "conditional_flow");
    this.seed = seed;
    this.dir = dir;
    this.loop = new TrainingLoop(dir, METRICS, config.getSteps(), config.getLogEvery(), config.getCheckpointEvery());
  }

  /** The config's super-resolution task (an error naming the field for anything else). */
  public static SuperResolution task(ConditionalFlowConfig config, String path) {
    if (config.getTask().getTaskCase() != TaskConfig.TaskCase.SUPER_RESOLUTION) {
      throw new ConfigException(path + ".task: the conditional flow models super-resolution; set super_resolution"
          + " { scale: N }");
    }
    return (SuperResolution) Tasks.create(config.getTask(), config.getData().getImageSize(), path + ".task");
  }

  /** Checks the config before any graph is built, naming the field. */
  public static void validate(ConditionalFlowConfig c, String path) {
    ConfigValidator.requireInRange(c, path);
    ImageSets.validate(c.getData(), path + ".data");
    SuperResolution task = task(c, path);
    String problem = ConditionalFlow.problem(c.getData().getImageSize(), task.scale(), c.getFlow().getLevels());
    if (problem != null) {
      throw new ConfigException(path + ".flow / data.image_size / task: " + problem);
    }
  }

  public void requestStop() {
    loop.requestStop();
  }

  void stopAfter(long step) {
    loop.stopAfter(step);
  }

  /** Trains from scratch (with ActNorm's data initialization) or from the folder's checkpoint when {@code resume}. */
  public Outcome train(ImageSet train, ImageSet validation, boolean resume, PrintWriter console) throws IOException {
    try (ConditionalFlowGraph g = new ConditionalFlowGraph(config, task, seed); Session session = TfSessions.open(g.graph);
        BatchLoader batches = new BatchLoader(train, config.getBatchSize(), seed, "flow/batches",
            config.getData().getPrefetchBatches(), config.getData().getSkipBadFiles())) {
      console.printf(Locale.ROOT, "conditional flow %s: %,d parameters, %d levels x %d steps, latents %s (%d per image)%n",
          config.getName(), g.flow().parameterCount(), config.getFlow().getLevels(), config.getFlow().getStepsPerLevel(),
          g.flow().latentShapes(), g.flow().latentSize());
      float[] sampleImages = BatchLoader.readAll(validation, range(Math.min(config.getSampleInputs(), validation.size())));
      int n = Math.min(config.getValidationImages(), validation.size());
      HeldOut heldOut = new HeldOut();
      long start = loop.start(g.variables, session, resume, console, heldOut);
      if (start == 0) {
        initializeActNorm(g, session, batches.batch(0));
      }
      double[] lastStd = {Double.NaN};
      TrainingLoop.Outcome outcome = loop.run(g.variables, session, start, console,
          step -> {
            if (Double.isNaN(heldOut.value)) { // a fresh run, or a checkpoint written before this column
              heldOut.value = bitsPerDim(g, session, validation, n);
            }
            double[] v = iteration(g, session, batches.batch(step), step);
            long done = step + 1;
            if (done % config.getValidateEvery() == 0 || done == config.getSteps()) {
              heldOut.value = bitsPerDim(g, session, validation, n);
            }
            return new double[] {v[0], v[1], v[2], heldOut.value};
          },
          (step, log) -> {
            if (step % config.getSampleEvery() == 0 || step == config.getSteps()) {
              lastStd[0] = writeSamples(g, session, sampleImages, step, log);
            }
          },
          heldOut);
      FiniteCheck check = null;
      if (outcome.finished()) {
        int checked = config.getFiniteCheckImages() == 0 ? validation.size()
            : Math.min(config.getFiniteCheckImages(), validation.size());
        check = finiteCheck(g, session, validation, checked);
        console.printf(Locale.ROOT, "finite check: %d of %d samples (%d validation images x temperatures %s) hold a"
            + " NaN or infinity%n", check.total(), checked * CHECK_TEMPERATURES.length, checked,
            java.util.Arrays.toString(CHECK_TEMPERATURES));
      }
      Map<String, Checkpoint.Tensor> weights = g.variables.read(session);
      weights.keySet().removeIf(name -> !isFlowWeight(name));
      BatchLoader.reportSkipped(console, batches);
      return new Outcome(outcome.step(), outcome.finished(), weights, outcome.secondsPerIteration(), lastStd[0],
          outcome.finished() ? heldOut.value : Double.NaN, n, check);
    }
  }

  /** The last held-out bits per dimension, kept in every checkpoint so a resumed run logs what an uninterrupted one would. */
  private static final class HeldOut implements TrainingLoop.Monitor {
    double value = Double.NaN;

    @Override
    public Map<String, Double> state() {
      return Double.isFinite(value) ? Map.of(HELD_OUT_STATE, value) : Map.of();
    }

    @Override
    public void restore(Map<String, Double> saved, Path checkpoint) {
      value = saved.getOrDefault(HELD_OUT_STATE, Double.NaN);
    }
  }

  /** Samples every one of the first {@code n} validation images at each check temperature; counts the non-finite ones. */
  FiniteCheck finiteCheck(ConditionalFlowGraph g, Session session, ImageSet validation, int n) {
    int[] bad = new int[CHECK_TEMPERATURES.length];
    int batch = config.getBatchSize();
    for (int from = 0; from < n; from += batch) {
      int[] indices = java.util.stream.IntStream.range(from, Math.min(n, from + batch)).toArray();
      try (TFloat32 x = images(BatchLoader.readAll(validation, indices))) {
        for (int t = 0; t < CHECK_TEMPERATURES.length; t++) {
          try (TFloat32 temperature = TFloat32.scalarOf((float) CHECK_TEMPERATURES[t]);
              TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "flow/finite-check"), (long) from * CHECK_TEMPERATURES.length + t);
              Result r = session.runner().feed(g.images, x).feed(g.seed, s).feed(g.temperature, temperature)
                  .fetch(g.sampleNonFinite).run()) {
            TFloat32 flags = (TFloat32) r.get(0);
            for (int i = 0; i < indices.length; i++) {
              bad[t] += flags.getFloat(i) > 0 ? 1 : 0;
            }
          }
        }
      }
    }
    return new FiniteCheck(n, CHECK_TEMPERATURES.clone(), bad);
  }

  /** The flow's trained and fixed variables (not the optimizer's slots). */
  static boolean isFlowWeight(String name) {
    return name.startsWith(ConditionalFlowGraph.NETWORK + "_")
        && !name.startsWith(ConditionalFlowGraph.NETWORK + "_adam_");
  }

  /** Glow's data-dependent ActNorm initialization on one batch (every ActNorm in one pass). */
  void initializeActNorm(ConditionalFlowGraph g, Session session, float[] batch) {
    try (TFloat32 x = images(batch); TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "flow/actnorm-init"), 0)) {
      Session.Runner r = session.runner().feed(g.images, x).feed(g.seed, s);
      for (Op a : g.initialization) {
        r.addTarget(a);
      }
      r.run().close();
    }
  }

  /** One Adam step; returns (bits per dimension, gradient norm, lr). */
  double[] iteration(ConditionalFlowGraph g, Session session, float[] batch, long step) {
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TFloat32 x = images(batch);
      toClose.add(x);
      TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "flow/dequantization"), step);
      toClose.add(s);
      Session.Runner r = session.runner().feed(g.images, x).feed(g.seed, s).addTarget(g.step).fetch(g.bitsPerDim)
          .fetch(g.gradientNorm);
      g.adam.feed(r, step, toClose);
      try (Result res = r.run()) {
        return new double[] {((TFloat32) res.get(0)).getFloat(), ((TFloat32) res.get(1)).getFloat(),
            LearningRateSchedule.at(config.getOptimizer(), step)};
      }
    } finally {
      TrainingLoop.closeAll(toClose);
    }
  }

  /** Held-out bits per dimension on the first {@code n} validation images (fixed dequantization noise). */
  double bitsPerDim(ConditionalFlowGraph g, Session session, ImageSet validation, int n) {
    double total = 0;
    int batch = config.getBatchSize();
    for (int from = 0; from < n; from += batch) {
      int[] indices = java.util.stream.IntStream.range(from, Math.min(n, from + batch)).toArray();
      try (TFloat32 x = images(BatchLoader.readAll(validation, indices));
          TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "flow/validation-dequantization"), from);
          Result r = session.runner().feed(g.images, x).feed(g.seed, s).fetch(g.bitsPerDim).run()) {
        total += ((TFloat32) r.get(0)).getFloat() * indices.length;
      }
    }
    return total / n;
  }

  /**
   * The sample grid at a step: per validation input a row of (NN_up(y), samples_per_input samples at
   * the config's temperature, the ground truth). Returns the per-pixel standard deviation over the samples.
   */
  double writeSamples(ConditionalFlowGraph g, Session session, float[] inputs, long step, TrainingLog log)
      throws IOException {
    int side = config.getData().getImageSize();
    int n = inputs.length / (side * side * 3);
    if (n == 0) {
      return Double.NaN;
    }
    float[] view = null;
    List<float[]> samples = new ArrayList<>();
    try (TFloat32 x = images(inputs); TFloat32 t = TFloat32.scalarOf((float) config.getTemperature())) {
      for (int j = 0; j < config.getSamplesPerInput(); j++) {
        try (TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "flow/sample-grid"), j);
            Result r = session.runner().feed(g.images, x).feed(g.seed, s).feed(g.temperature, t)
                .fetch(g.sampleInputView).fetch(g.sample).run()) {
          if (j == 0) {
            view = GanTrainer.floats((TFloat32) r.get(0));
          }
          samples.add(GanTrainer.floats((TFloat32) r.get(1)));
        }
      }
    }
    return SampleGrid.write(dir, log, step, side, view, samples, inputs);
  }

  private TFloat32 images(float[] nhwc) {
    int side = config.getData().getImageSize();
    return TFloat32.tensorOf(Shape.of(nhwc.length / (side * side * 3), side, side, 3), DataBuffers.of(nhwc, true, false));
  }

  private static int[] range(int n) {
    return java.util.stream.IntStream.range(0, n).toArray();
  }
}
