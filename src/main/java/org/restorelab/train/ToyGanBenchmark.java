package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.bench.TracedFlops;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.data.Points;
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
    ToyGanTrainer trainer = new ToyGanTrainer(config, seed, null);
    Points data = ToyGanTrainer.trainingSet(config, seed);
    float[] flat = data.toFeatures().data();
    try (ToyGanGraph g = new ToyGanGraph(config, seed); Session session = TfSessions.open(g.graph)) {
      g.variables.initialize(session);
      for (int i = 0; i < warmup; i++) {
        trainer.iteration(g, session, flat, data.size(), config.getBatchSize(), i);
      }
      List<RunMetadata> traces = new ArrayList<>();
      // step 0 of the schedule applies L_R (0 % apply_every == 0): trace a robust iteration
      trainer.iteration(g, session, flat, data.size(), config.getBatchSize(), 0, traces);
      long flops = TracedFlops.count(g.graph, traces);
      long t0 = System.nanoTime();
      for (int i = 0; i < iterations; i++) {
        trainer.iteration(g, session, flat, data.size(), config.getBatchSize(),
            (long) i * config.getRobustness().getApplyEvery());
      }
      double seconds = (System.nanoTime() - t0) / 1e9;
      return new Timing(config.getName(), iterations / seconds, flops);
    }
  }
}
