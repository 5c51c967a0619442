package org.restorelab.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.run.Seeds;
import org.restorelab.run.TfSessions;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Trains a toy GAN estimator: per iteration one estimator step, then one critic step (Appendix
 * E.1). Batches and every random draw depend only on (seed, step), so a run resumed from a
 * checkpoint reaches the same weights as an uninterrupted one. Checkpoints are written every
 * {@code checkpoint_every} steps and at the end; a non-finite loss stops training with the step
 * and the loss named, keeping the last good checkpoint.
 */
public final class ToyGanTrainer {
  /** The outcome: the step reached, whether it finished, and the estimator's weights. */
  public record Outcome(long step, boolean finished, Map<String, Checkpoint.Tensor> estimatorWeights,
      double secondsPerIteration) {}

  public static final List<String> METRICS = TrainingLoop.GAN_METRICS;

  private final ToyGanConfig config;
  private final long seed;
  private final TrainingLoop loop;

  public ToyGanTrainer(ToyGanConfig config, long seed, Path dir) {
    this.config = config;
    this.seed = seed;
    this.loop = new TrainingLoop(dir, METRICS, config.getSteps(), config.getLogEvery(), config.getCheckpointEvery());
  }

  /** Asks the loop to stop after the current iteration, writing a checkpoint (e.g. on Ctrl-C). */
  public void requestStop() {
    loop.requestStop();
  }

  /** Stops (with a checkpoint) once {@code step} is reached, as an interruption would; for tests. */
  void stopAfter(long step) {
    loop.stopAfter(step);
  }

  /** The training set: {@code train_size} samples of the unit disk, fixed by the seed. */
  public static Points trainingSet(ToyGanConfig config, long seed) {
    return new UnitDisk().sample(config.getData().getTrainSize(), Seeds.random(seed, "toy/data/train"));
  }

  /** Trains from scratch, or from the folder's checkpoint when {@code resume}. */
  public Outcome train(boolean resume, PrintWriter console) throws IOException {
    Points data = trainingSet(config, seed);
    float[] flat = data.toFeatures().data();
    int batch = config.getBatchSize();
    try (ToyGanGraph g = new ToyGanGraph(config, seed); Session session = TfSessions.open(g.graph)) {
      long start = loop.start(g.variables, session, resume, console);
      TrainingLoop.Outcome outcome = loop.run(g.variables, session, start, console,
          step -> iteration(g, session, flat, data.size(), batch, step), null);
      Map<String, Checkpoint.Tensor> all = g.variables.read(session);
      all.keySet().removeIf(n -> !isEstimatorWeight(n));
      return new Outcome(outcome.step(), outcome.finished(), all, outcome.secondsPerIteration());
    }
  }

  static boolean isEstimatorWeight(String name) {
    return name.startsWith(ToyGanGraph.ESTIMATOR + "_") && !name.startsWith(ToyGanGraph.ESTIMATOR + "_adam_");
  }

  /** One estimator step and one critic step; returns the logged metrics. */
  double[] iteration(ToyGanGraph g, Session session, float[] data, int n, int batch, long step) {
    return iteration(g, session, data, n, batch, step, null);
  }

  /**
   * One iteration; with {@code traces} non-null, both runs are traced (FULL_TRACE) and their
   * RunMetadata added to it (for FLOP counting by the benchmark).
   */
  public double[] iteration(ToyGanGraph g, Session session, float[] data, int n, int batch, long step,
      List<org.tensorflow.proto.RunMetadata> traces) {
    SplittableRandom random = Seeds.random(seed, "toy/batch/" + step);
    boolean robust = g.estimatorRobustStep != null && step % config.getRobustness().getApplyEvery() == 0;
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TInt64 stepSeed = TInt64.vectorOf(Seeds.derive(seed, "toy/step-seed"), step);
      toClose.add(stepSeed);
      boolean shuffled = config.getBatchSampling() == ToyGanConfig.BatchSampling.SHUFFLED_EPOCHS;
      TFloat32 estBatch = shuffled ? batch(data, epochRows(n, batch, 2 * step)) : batch(data, n, batch, random);
      TFloat32 critBatch = shuffled ? batch(data, epochRows(n, batch, 2 * step + 1)) : batch(data, n, batch, random);
      toClose.add(estBatch);
      toClose.add(critBatch);
      Session.Runner est = session.runner().feed(g.estimatorBatch, estBatch).feed(g.seed, stepSeed)
          .addTarget(robust ? g.estimatorRobustStep : g.estimatorStep).fetch(g.ganLoss);
      if (robust) {
        est.fetch(g.robustLoss);
      }
      g.estimatorAdam.feed(est, step, toClose);
      double gan;
      double rob = Double.NaN;
      try (Result r = run(est, traces)) {
        gan = ((TFloat32) r.get(0)).getFloat();
        if (robust) {
          rob = ((TFloat32) r.get(1)).getFloat();
        }
      }
      Session.Runner crit = session.runner().feed(g.criticBatch, critBatch).feed(g.estimatorBatch, estBatch)
          .feed(g.seed, stepSeed).addTarget(g.criticStep).fetch(g.criticLoss).fetch(g.r1);
      g.criticAdam.feed(crit, step, toClose);
      double critic;
      double r1;
      try (Result r = run(crit, traces)) {
        critic = ((TFloat32) r.get(0)).getFloat();
        r1 = ((TFloat32) r.get(1)).getFloat();
      }
      return new double[] {gan, robust ? rob : 0.0, critic, r1,
          LearningRateSchedule.at(config.getEstimatorOptimizer(), step)};
    } finally {
      TrainingLoop.closeAll(toClose);
    }
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

  /**
   * The rows of the b-th batch of a run that walks through epochs of fresh permutations of the n
   * training samples (the estimator's batch of step s is b = 2s, the critic's 2s + 1); a batch that
   * crosses an epoch's end continues in the next epoch's permutation.
   */
  int[] epochRows(int n, int batch, long b) {
    int[] rows = new int[batch];
    long first = b * batch;
    long epoch = -1;
    int[] perm = null;
    for (int i = 0; i < batch; i++) {
      long position = first + i;
      if (position / n != epoch) {
        epoch = position / n;
        perm = permutation(n, epoch);
      }
      rows[i] = perm[(int) (position % n)];
    }
    return rows;
  }

  /** Fisher-Yates permutation of 0..n-1 for an epoch, from (seed, epoch) alone. */
  private int[] permutation(int n, long epoch) {
    if (cachedEpoch == epoch && cachedPermutation != null && cachedPermutation.length == n) {
      return cachedPermutation;
    }
    SplittableRandom r = Seeds.random(seed, "toy/epoch/" + epoch);
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    cachedEpoch = epoch;
    cachedPermutation = p;
    return p;
  }

  private long cachedEpoch = -1;
  private int[] cachedPermutation;

  private static TFloat32 batch(float[] data, int[] rows) {
    float[] b = new float[2 * rows.length];
    for (int i = 0; i < rows.length; i++) {
      b[2 * i] = data[2 * rows[i]];
      b[2 * i + 1] = data[2 * rows[i] + 1];
    }
    return TFloat32.tensorOf(Shape.of(rows.length, 2), DataBuffers.of(b, true, false));
  }

  private static TFloat32 batch(float[] data, int n, int batch, SplittableRandom random) {
    float[] b = new float[2 * batch];
    for (int i = 0; i < batch; i++) {
      int j = random.nextInt(n);
      b[2 * i] = data[2 * j];
      b[2 * i + 1] = data[2 * j + 1];
    }
    return TFloat32.tensorOf(Shape.of(batch, 2), DataBuffers.of(b, true, false));
  }
}
