package org.restorelab.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.ImageGanConfig.ComputePrecision;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.graph.ConvolutionPrecision;
import org.restorelab.run.Seeds;
import org.restorelab.run.TfSessions;
import org.restorelab.train.log.TrainingLog;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains a restoration GAN ({@link GanGraph}), toy (Appendix E.1) or image (Appendix E.2): per
 * iteration one estimator step (with L_R on every {@code apply_every}-th step of a robust variant),
 * then one critic step; with {@code objective: L1} (images) one estimator step on mean |G(y) - x|
 * (no critic), logging {@link #L1_METRICS}. Batches and the stateless step seeds depend only on
 * (seed, step), so a run resumed from a checkpoint reaches the same weights as an uninterrupted
 * one. Checkpoints are written every {@code checkpoint_every} steps and at the end; a non-finite
 * loss stops training with the step and the loss named, keeping the last good checkpoint
 * ({@link TrainingLoop}).
 *
 * <p>What differs by kind is the data and what is logged. The toy draws its batches from the
 * unit disk ({@link ToyBatches}) and logs {@link #TOY_METRICS}. The image GAN reads them ahead from
 * {@link BatchLoader}s; every {@code sample_every} steps a grid (input, samples for several z,
 * ground truth) of fixed validation images, with the estimator in inference mode, goes to
 * {@code samples/} and TensorBoard; it logs {@link #METRICS}: the step's losses, {@code r1}, the
 * mean critic logits and {@code critic_flat_steps}. Under lazy R1 ({@code r1_every} = k > 1)
 * {@code r1} is the unscaled (gamma / 2) E |grad D|^2 of the last R1 step at or before the row's
 * step (the k R1 actually added is k times it), so the column stays comparable across k and never
 * shows a gap; {@code critic_flat_steps} is the current run of steps with the critic's loss within
 * {@code flat_critic.tolerance} of 2 ln 2 ({@link FlatCriticDetector}). Both are kept in the
 * checkpoints, so a resumed run's rows equal an uninterrupted run's.
 */
public final class GanTrainer {
  /**
   * The outcome: the step reached, whether it finished, the estimator's weights (and statistics),
   * the seconds per iteration, the samples' pixel standard deviation (NaN without samples), and the
   * metrics of the last step this process ran (by name, in {@link #metrics()} order; empty if none).
   */
  public record Outcome(long step, boolean finished, Map<String, Checkpoint.Tensor> estimatorWeights,
      double secondsPerIteration, double samplePixelStd, Map<String, Double> lastMetrics) {}

  /** What a toy run logs: {@link TrainingLoop#GAN_METRICS}. */
  public static final List<String> TOY_METRICS = TrainingLoop.GAN_METRICS;
  /**
   * What an image GAN run logs: {@link TrainingLoop#GAN_METRICS}, the critic step's mean logits on
   * real and generated images ({@code d_real}, {@code d_fake}, before its update), then the flat
   * critic's run length.
   */
  public static final List<String> METRICS = Stream.concat(TrainingLoop.GAN_METRICS.stream(),
      Stream.of("d_real", "d_fake", "critic_flat_steps")).toList();
  /** What an L1 run logs: the loss, the PSNR of the same training batch (peak 1), the learning rate. */
  public static final List<String> L1_METRICS = List.of("loss_l1", "psnr", "lr_estimator");
  /** Checkpoint state keys: the last R1 value logged between R1 steps, and the flat critic's run length. */
  static final String STATE_R1 = "r1_last";
  static final String STATE_FLAT = "critic_flat_steps";
  public static final String SAMPLES_DIR = SampleGrid.DIR;

  private final GanGraph.Spec spec;
  /** The config of the kind: exactly one is set. */
  private final ToyGanConfig toy;
  private final ImageGanConfig images;
  private final long seed;
  private final Path dir;
  private final List<String> metrics;
  private final TrainingLoop loop;

  private GanTrainer(GanGraph.Spec spec, ToyGanConfig toy, ImageGanConfig images, long seed, Path dir,
      List<String> metrics, long steps, long logEvery, long checkpointEvery) {
    this.spec = spec;
    this.toy = toy;
    this.images = images;
    this.seed = seed;
    this.dir = dir;
    this.metrics = metrics;
    this.loop = new TrainingLoop(dir, metrics, steps, logEvery, checkpointEvery);
  }

  /** A trainer of the toy GAN of a toy_gan config into {@code dir}. */
  public static GanTrainer toy(ToyGanConfig config, long seed, Path dir) {
    return new GanTrainer(GanGraph.Spec.toy(config), config, null, seed, dir, TOY_METRICS, config.getSteps(),
        config.getLogEvery(), config.getCheckpointEvery());
  }

  /** A trainer of the image GAN of an image_gan config into {@code dir}. */
  public static GanTrainer images(ImageGanConfig config, long seed, Path dir) {
    return new GanTrainer(GanGraph.Spec.images(config), null, config, seed, dir, metrics(config), config.getSteps(),
        config.getLogEvery(), config.getCheckpointEvery());
  }

  /**
   * The logged metrics of an image config's objective: for L1 in the order {@link #iteration}
   * returns them, for a GAN that order (r1 held between R1 steps; then d_real, d_fake) followed by
   * {@code critic_flat_steps}.
   */
  public static List<String> metrics(ImageGanConfig config) {
    return config.getObjective() == ImageGanConfig.Objective.L1 ? L1_METRICS : METRICS;
  }

  /** What this trainer logs, in order. */
  public List<String> metrics() {
    return metrics;
  }

  /** The graph this trainer trains (a new one; the caller closes it). */
  public GanGraph graph() {
    return new GanGraph(spec, seed);
  }

  /** Asks the loop to stop after the current iteration, writing a checkpoint (e.g. on Ctrl-C). */
  public void requestStop() {
    loop.requestStop();
  }

  /** Stops (with a checkpoint) once {@code step} is reached, as an interruption would; for tests. */
  void stopAfter(long step) {
    loop.stopAfter(step);
  }

  /** Trains a toy GAN from scratch, or from the folder's checkpoint when {@code resume}. */
  public Outcome train(boolean resume, PrintWriter console) throws IOException {
    if (toy == null) {
      throw new IllegalStateException("an image GAN trains on image sets: train(train, validation, ...)");
    }
    ToyBatches batches = new ToyBatches(toy, seed);
    try (GanGraph g = graph(); Session session = TfSessions.open(g.graph)) {
      return train(g, session, batches::at, null, null, resume, console);
    }
  }

  /**
   * Trains an image GAN from scratch, or from the folder's checkpoint when {@code resume}.
   *
   * @param train training images
   * @param validation images for the sample grids (the first {@code sample_inputs})
   */
  public Outcome train(ImageSet train, ImageSet validation, boolean resume, PrintWriter console) throws IOException {
    if (images == null) {
      throw new IllegalStateException("a toy GAN draws its own data: train(resume, console)");
    }
    int batch = images.getBatchSize();
    int prefetch = images.getData().getPrefetchBatches();
    boolean skip = images.getData().getSkipBadFiles();
    try (GanGraph g = graph(); Session session = TfSessions.open(g.graph);
        BatchLoader estimatorBatches = new BatchLoader(train, batch, seed, "images/estimator", prefetch, skip);
        BatchLoader criticBatches = g.adversarial()
            ? new BatchLoader(train, batch, seed, "images/critic", prefetch, skip) : null) {
      console.printf("estimator %s: %,d parameters; %s; convolutions in %s%n", images.getName(),
          g.estimator().parameterCount(), g.adversarial()
              ? String.format("critic: %,d parameters", g.critic().parameterCount()) : "objective L1 (no critic)",
          ConvolutionPrecision.resolve(images.getPrecision()) == ComputePrecision.FLOAT32 ? "float32" : "bfloat16");
      float[] sampleImages = sampleInputs(validation);
      Watch watch = g.adversarial() ? new Watch(images) : null;
      double[] lastStd = {Double.NaN};
      Outcome outcome = train(g, session,
          step -> new float[][] {estimatorBatches.batch(step), criticBatches == null ? null : criticBatches.batch(step)},
          watch, (step, log) -> {
            if (step % images.getSampleEvery() == 0 || step == images.getSteps()) {
              lastStd[0] = writeSamples(g, session, sampleImages, step, log);
            }
          }, resume, console);
      BatchLoader.reportSkipped(console, estimatorBatches, criticBatches);
      return new Outcome(outcome.step(), outcome.finished(), outcome.estimatorWeights(),
          outcome.secondsPerIteration(), lastStd[0], outcome.lastMetrics());
    }
  }

  /** An iteration's batches: the estimator's and the critic's (null without a critic), flat signals. */
  @FunctionalInterface
  private interface Batches {
    float[][] at(long step) throws IOException;
  }

  /** The run every kind shares: start or resume, iterate through {@link TrainingLoop}, read G's variables. */
  private Outcome train(GanGraph g, Session session, Batches batches, Watch watch, TrainingLoop.AfterStep afterStep,
      boolean resume, PrintWriter console) throws IOException {
    TrainingLoop.Monitor monitor = watch != null ? watch : TrainingLoop.Monitor.NONE;
    long start = loop.start(g.variables, session, resume, console, monitor);
    double[][] lastMetrics = {null};
    TrainingLoop.Outcome outcome = loop.run(g.variables, session, start, console, step -> {
      float[][] b = batches.at(step);
      double[] measured = iteration(g, session, b[0], b[1], step, null);
      return lastMetrics[0] = watch != null ? watch.row(step, measured) : measured;
    }, afterStep, monitor);
    Map<String, Checkpoint.Tensor> weights = g.estimatorVariables(g.variables.read(session));
    Map<String, Double> last = new LinkedHashMap<>();
    for (int i = 0; lastMetrics[0] != null && i < lastMetrics[0].length; i++) {
      last.put(metrics.get(i), lastMetrics[0][i]);
    }
    return new Outcome(outcome.step(), outcome.finished(), weights, outcome.secondsPerIteration(), Double.NaN, last);
  }

  private float[] sampleInputs(ImageSet validation) {
    int n = Math.min(images.getSampleInputs(), validation.size());
    int[] indices = new int[n];
    for (int i = 0; i < n; i++) {
      indices[i] = i;
    }
    return BatchLoader.readAll(validation, indices);
  }

  /**
   * An image GAN run's watch over its steps: holds {@code r1} between R1 steps and counts the flat
   * critic's steps ({@link FlatCriticDetector}), saving both in the checkpoints; with
   * {@code flat_critic.stop} it stops the run at the step the count reaches {@code flat_critic.steps}.
   */
  static final class Watch implements TrainingLoop.Monitor {
    private final int r1Every;
    private final boolean stop;
    private final FlatCriticDetector detector;
    private double lastR1 = Double.NaN;
    private double lastCriticLoss = Double.NaN;
    private long lastStep;

    Watch(ImageGanConfig config) {
      r1Every = config.getR1Every();
      stop = config.getFlatCritic().getStop();
      detector = new FlatCriticDetector(config.getFlatCritic());
    }

    /** The logged row of 0-based {@code step} from what {@link #iteration} measured ({@link #METRICS} order). */
    double[] row(long step, double[] measured) {
      double[] row = java.util.Arrays.copyOf(measured, measured.length + 1);
      if (LazyR1.isR1Step(step, r1Every)) {
        lastR1 = measured[3];
      } else {
        row[3] = lastR1;
      }
      lastCriticLoss = measured[2];
      row[measured.length] = detector.observe(measured[2]);
      lastStep = step + 1;
      return row;
    }

    @Override
    public Map<String, Double> state() {
      Map<String, Double> state = new LinkedHashMap<>();
      state.put(STATE_FLAT, (double) detector.runLength());
      if (Double.isFinite(lastR1)) {
        state.put(STATE_R1, lastR1);
      }
      return state;
    }

    @Override
    public void restore(Map<String, Double> saved, Path checkpoint) {
      // a checkpoint from before the detector existed restarts the count at 0
      detector.restore(saved.getOrDefault(STATE_FLAT, 0.0).longValue());
      lastR1 = saved.getOrDefault(STATE_R1, Double.NaN);
      if (r1Every > 1 && Double.isNaN(lastR1)) {
        throw new org.restorelab.config.ConfigException("cannot resume with r1_every = " + r1Every + ": checkpoint "
            + checkpoint + " keeps no " + STATE_R1 + " (it was written before lazy R1 existed); resume with the"
            + " run's r1_every");
      }
    }

    @Override
    public String warning() {
      return detector.flat() ? detector.warning(lastStep) : null;
    }

    @Override
    public String stopReason(long step) {
      if (!stop || !detector.becameFlat()) {
        return null;
      }
      return String.format(java.util.Locale.ROOT, "critic flat at step %d: loss_critic = %.4f, within %s of 2 ln 2 ="
          + " %.4f for %d consecutive steps (flat_critic.stop: true)", step, lastCriticLoss,
          detector.toleranceText(), FlatCriticDetector.CHANCE_LOSS, detector.runLength());
    }
  }

  /**
   * One estimator step and one critic step on flat batches of clean signals ([n, signal shape],
   * e.g. the toy's (x1, x2) rows or NHWC images); returns the step's losses in
   * {@link TrainingLoop#GAN_METRICS} order, {@code r1} NaN on a step without R1 ({@code r1_every}
   * > 1, {@link LazyR1#isR1Step}), followed for an image GAN by {@code d_real}, {@code d_fake};
   * or for L1 the {@link #L1_METRICS}. With {@code traces} non-null both runs are traced
   * (FULL_TRACE) and their RunMetadata collected (benchmark).
   */
  public double[] iteration(GanGraph g, Session session, float[] estimatorSignals, float[] criticSignals, long step,
      List<org.tensorflow.proto.RunMetadata> traces) {
    if (!g.adversarial()) {
      return l1Iteration(g, session, estimatorSignals, step, traces);
    }
    boolean robust = g.estimatorRobustStep != null && step % spec.robustness().getApplyEvery() == 0;
    boolean logitMeans = images != null;
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TInt64 stepSeed = stepSeed(step);
      toClose.add(stepSeed);
      TFloat32 est = signals(estimatorSignals);
      TFloat32 crit = signals(criticSignals);
      toClose.add(est);
      toClose.add(crit);
      Session.Runner r1 = session.runner().feed(g.estimatorBatch, est).feed(g.seed, stepSeed)
          .addTarget(robust ? g.estimatorRobustStep : g.estimatorStep).fetch(g.ganLoss);
      if (robust) {
        r1.fetch(g.robustLoss);
      }
      g.estimatorAdam.feed(r1, step, toClose);
      double gan;
      double rob = 0;
      try (Result r = run(r1, traces)) {
        gan = ((TFloat32) r.get(0)).getFloat();
        if (robust) {
          rob = ((TFloat32) r.get(1)).getFloat();
        }
      }
      boolean withR1 = LazyR1.isR1Step(step, spec.r1Every());
      Session.Runner r2 = session.runner().feed(g.criticBatch, crit).feed(g.seed, stepSeed)
          .addTarget(g.criticStep(step)).fetch(g.criticLoss);
      if (withR1) {
        r2.fetch(g.r1);
      }
      if (logitMeans) {
        r2.fetch(g.meanRealLogit).fetch(g.meanFakeLogit);
      }
      g.criticAdam.feed(r2, step, toClose);
      double critic;
      double penalty = Double.NaN;
      double realLogit = Double.NaN;
      double fakeLogit = Double.NaN;
      try (Result r = run(r2, traces)) {
        int i = 0;
        critic = ((TFloat32) r.get(i++)).getFloat();
        if (withR1) {
          penalty = ((TFloat32) r.get(i++)).getFloat();
        }
        if (logitMeans) {
          realLogit = ((TFloat32) r.get(i++)).getFloat();
          fakeLogit = ((TFloat32) r.get(i)).getFloat();
        }
      }
      double lr = LearningRateSchedule.at(spec.estimatorOptimizer(), step);
      return logitMeans ? new double[] {gan, rob, critic, penalty, lr, realLogit, fakeLogit}
          : new double[] {gan, rob, critic, penalty, lr};
    } finally {
      TrainingLoop.closeAll(toClose);
    }
  }

  /** One estimator step on L_1 = mean |G(y, 0) - x|; returns (L_1, batch PSNR, lr) before the update. */
  double[] l1Iteration(GanGraph g, Session session, float[] signals, long step,
      List<org.tensorflow.proto.RunMetadata> traces) {
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TInt64 stepSeed = stepSeed(step);
      toClose.add(stepSeed);
      TFloat32 x = signals(signals);
      toClose.add(x);
      Session.Runner r = session.runner().feed(g.estimatorBatch, x).feed(g.seed, stepSeed)
          .addTarget(g.estimatorStep).fetch(g.l1Loss).fetch(g.psnr);
      g.estimatorAdam.feed(r, step, toClose);
      try (Result out = run(r, traces)) {
        return new double[] {((TFloat32) out.get(0)).getFloat(), ((TFloat32) out.get(1)).getFloat(),
            LearningRateSchedule.at(spec.estimatorOptimizer(), step)};
      }
    } finally {
      TrainingLoop.closeAll(toClose);
    }
  }

  /** The step's [2] seed: (derived from the run's seed and the kind, step). */
  private TInt64 stepSeed(long step) {
    return TInt64.vectorOf(Seeds.derive(seed, (toy != null ? "toy" : "images") + "/step-seed"), step);
  }

  static Result run(Session.Runner runner, List<org.tensorflow.proto.RunMetadata> traces) {
    if (traces == null) {
      return runner.run();
    }
    runner.setOptions(org.tensorflow.proto.RunOptions.newBuilder()
        .setTraceLevel(org.tensorflow.proto.RunOptions.TraceLevel.FULL_TRACE).build());
    Result r = runner.runAndFetchMetadata();
    r.getMetadata().ifPresent(traces::add);
    return r;
  }

  /** Flat signals as a [n, signal shape] tensor (the toy's [n, 2], images' [n, side, side, 3]). */
  TFloat32 signals(float[] flat) {
    Shape signal = spec.task().signalShape();
    return TFloat32.tensorOf(Shape.of(flat.length / signal.size()).append(signal), DataBuffers.of(flat, true, false));
  }

  /**
   * The sample grid at a step: per validation input a row of (what the network sees, samples for
   * {@code samples_per_input} seeds, the ground truth), in inference mode. Returns the per-pixel
   * standard deviation over the samples, averaged over pixels and inputs (0 for a deterministic
   * estimator).
   */
  double writeSamples(GanGraph g, Session session, float[] inputs, long step, TrainingLog log) throws IOException {
    int side = images.getData().getImageSize();
    int n = inputs.length / (side * side * 3);
    if (n == 0) {
      return Double.NaN;
    }
    int k = LatentNoise.stochastic(images.getNoise()) ? images.getSamplesPerInput() : 1;
    float[] view = null;
    List<float[]> samples = new ArrayList<>();
    try (TFloat32 x = signals(inputs)) {
      for (int j = 0; j < k; j++) {
        try (TInt64 s = TInt64.vectorOf(Seeds.derive(seed, "images/sample-grid"), j);
            Result r = session.runner().feed(g.sampleBatch, x).feed(g.seed, s).fetch(g.sampleInputView)
                .fetch(g.sampleOutput).run()) {
          samples.add(floats((TFloat32) r.get(1)));
          if (j == 0) {
            view = floats((TFloat32) r.get(0));
          }
        }
      }
    }
    return SampleGrid.write(dir, log, step, side, view, samples, inputs);
  }

  /** Mean over elements of the standard deviation (1/k) across k equally long sample arrays. */
  static double pixelStd(List<float[]> samples) {
    int k = samples.size();
    int len = samples.get(0).length;
    double total = 0;
    for (int p = 0; p < len; p++) {
      double mean = 0;
      for (float[] s : samples) {
        mean += s[p];
      }
      mean /= k;
      double var = 0;
      for (float[] s : samples) {
        var += (s[p] - mean) * (s[p] - mean);
      }
      total += Math.sqrt(var / k);
    }
    return total / len;
  }

  static float[] floats(TFloat32 t) {
    float[] out = new float[(int) t.shape().size()];
    t.asRawTensor().data().asFloats().read(out);
    return out;
  }
}
