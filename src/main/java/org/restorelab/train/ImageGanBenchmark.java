package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.restorelab.bench.OpProfile;
import org.restorelab.bench.TracedFlops;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.run.TfSessions;
import org.tensorflow.Session;
import org.tensorflow.proto.RunMetadata;

/**
 * Times image GAN training iterations on the real training graph: a plain iteration (estimator
 * GAN step + critic step) and a robust one (with L_R and its unrolled attack), and counts the
 * FLOPs of each from a traced run (MatMul and convolutions, {@link TracedFlops}). The schedule
 * applies L_R on one estimator step in {@code apply_every}, so the mean iteration is
 * (apply_every - 1) plain + 1 robust; with lazy R1 ({@code r1_every} = k) the plain and robust
 * figures are themselves means over their steps with and without R1 in the cycle.
 */
public final class ImageGanBenchmark {

  /** Seconds and FLOPs of the two kinds of iteration. */
  public record Timing(String name, double plainSeconds, long plainFlops, double robustSeconds, long robustFlops,
      int applyEvery, List<OpProfile.Entry> plainOps, List<OpProfile.Entry> robustOps) {
    /** Mean seconds per iteration over one apply_every cycle. */
    public double meanSeconds() {
      return robustFlops == 0 ? plainSeconds : ((applyEvery - 1) * plainSeconds + robustSeconds) / applyEvery;
    }

    public double meanFlops() {
      return robustFlops == 0 ? plainFlops : ((applyEvery - 1.0) * plainFlops + robustFlops) / applyEvery;
    }

    public double gflops() {
      return meanFlops() / meanSeconds() / 1e9;
    }
  }

  private ImageGanBenchmark() {}

  /**
   * Times one iteration of each kind that a schedule cycle holds and weights them by how often
   * they occur in the cycle of lcm(apply_every, r1_every) steps: plain or robust (L_R, on one
   * estimator step in apply_every), each with or without R1 (on one critic step in r1_every).
   *
   * @param images at least batch_size images of the config's size (random ones are fine: the
   *     cost does not depend on the pixels)
   * @param repeats timed runs of each kind of iteration
   */
  public static Timing measure(ImageGanConfig config, long seed, ImageSet images, int repeats) {
    GanTrainer trainer = GanTrainer.images(config, seed, null);
    float[] batch = BatchLoader.readAll(images, IntStream.range(0, config.getBatchSize()).map(i -> i % images.size())
        .toArray());
    boolean robust = config.getRobustness().getLambdaR() > 0;
    int every = robust ? config.getRobustness().getApplyEvery() : 1;
    int lazy = config.getR1Every();
    long cycle = (long) every * lazy / gcd(every, lazy);
    // kind -> (first step of that kind in the cycle, occurrences): kind = 2 * robust + r1
    long[] first = {-1, -1, -1, -1};
    long[] count = new long[4];
    for (long s = 0; s < cycle; s++) {
      int kind = 2 * (robust && s % every == 0 ? 1 : 0) + (LazyR1.isR1Step(s, lazy) ? 1 : 0);
      if (first[kind] < 0) {
        first[kind] = s;
      }
      count[kind]++;
    }
    try (GanGraph g = trainer.graph(); Session session = TfSessions.open(g.graph)) {
      g.variables.initialize(session);
      double[] seconds = new double[4];
      long[] flops = new long[4];
      List<RunMetadata> plainTrace = new ArrayList<>();
      List<RunMetadata> robustTrace = new ArrayList<>();
      for (int kind = 0; kind < 4; kind++) {
        if (first[kind] < 0) {
          continue;
        }
        long step = first[kind];
        // warm-up: the first run of each kind pays graph optimisation and allocation
        trainer.iteration(g, session, batch, batch, step, null);
        List<RunMetadata> trace = new ArrayList<>();
        trainer.iteration(g, session, batch, batch, step, trace);
        flops[kind] = TracedFlops.count(g.graph, trace);
        (kind >= 2 ? robustTrace : plainTrace).addAll(trace);
        seconds[kind] = time(() -> trainer.iteration(g, session, batch, batch, step, null), repeats);
      }
      return new Timing(config.getName(), weighted(seconds, count, 0), Math.round(weighted(flops, count, 0)),
          robust ? weighted(seconds, count, 2) : 0, robust ? Math.round(weighted(flops, count, 2)) : 0, every,
          OpProfile.of(plainTrace), OpProfile.of(robustTrace));
    }
  }

  /** The mean of kinds {@code from}, {@code from + 1}, weighted by their counts in the cycle. */
  private static double weighted(double[] values, long[] count, int from) {
    double total = 0;
    long n = 0;
    for (int k = from; k < from + 2; k++) {
      total += values[k] * count[k];
      n += count[k];
    }
    return total / n;
  }

  private static double weighted(long[] values, long[] count, int from) {
    return weighted(java.util.Arrays.stream(values).asDoubleStream().toArray(), count, from);
  }

  private static long gcd(long a, long b) {
    return b == 0 ? a : gcd(b, a % b);
  }

  private static double time(Runnable r, int repeats) {
    long t0 = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e9 / repeats;
  }
}
