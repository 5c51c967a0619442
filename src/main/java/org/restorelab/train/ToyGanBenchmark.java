package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.bench.TracedFlops;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.run.TfSessions;
import org.tensorflow.Session;
import org.tensorflow.proto.RunMetadata;

/**
 * Times toy GAN training iterations (one estimator and one critic step) on the real training
 * graph, and counts their FLOPs from a traced iteration.
 */
public final class ToyGanBenchmark {

  /** Iterations per second and FLOPs per iteration. */
  public record Timing(String name, double iterationsPerSecond, long flopsPerIteration) {
    public double gflops() {
      return iterationsPerSecond * flopsPerIteration / 1e9;
    }
  }

  private ToyGanBenchmark() {}

  public static Timing measure(ToyGanConfig config, long seed, int warmup, int iterations) {
    GanTrainer trainer = GanTrainer.toy(config, seed, null);
    ToyBatches batches = new ToyBatches(config, seed);
    try (GanGraph g = trainer.graph(); Session session = TfSessions.open(g.graph)) {
      g.variables.initialize(session);
      for (int i = 0; i < warmup; i++) {
        iteration(trainer, g, session, batches, i, null);
      }
      List<RunMetadata> traces = new ArrayList<>();
      // step 0 of the schedule applies L_R (0 % apply_every == 0): trace a robust iteration
      iteration(trainer, g, session, batches, 0, traces);
      long flops = TracedFlops.count(g.graph, traces);
      long t0 = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        iteration(trainer, g, session, batches, (long) i * config.getRobustness().getApplyEvery(), null);
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Timing(config.getName(), iterations / seconds, flops);
    }
  }

  private static void iteration(GanTrainer trainer, GanGraph g, Session session, ToyBatches batches, long step,
      List<RunMetadata> traces) {
    float[][] b = batches.at(step);
    trainer.iteration(g, session, b[0], b[1], step, traces);
  }
}
