package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;
import org.restorelab.bench.OpProfile;
import org.restorelab.bench.TracedFlops;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.tensorflow.Session;
import org.tensorflow.proto.RunMetadata;

/**
 * Times image GAN training iterations on the real training graph: a plain iteration (estimator
 * GAN step + critic step with R1) and a robust one (with L_R and its unrolled attack), and
 * counts the FLOPs of each from a traced run (MatMul and convolutions, {@link TracedFlops}).
 * The schedule applies L_R on one estimator step in {@code apply_every}, so the mean iteration
 * is (apply_every - 1) plain + 1 robust.
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
   * @param images at least batch_size images of the config's size (random ones are fine: the
   *     cost does not depend on the pixels)
   * @param repeats timed runs of each kind of iteration
   */
  public static Timing measure(ImageGanConfig config, long seed, ImageSet images, int repeats) {
    ImageGanTrainer trainer = new ImageGanTrainer(config, seed, null);
    float[] batch = BatchLoader.readAll(images, IntStream.range(0, config.getBatchSize()).map(i -> i % images.size())
        .toArray());
    int every = config.getRobustness().getApplyEvery();
    boolean robust = config.getRobustness().getLambdaR() > 0;
    try (ImageGanGraph g = new ImageGanGraph(config, seed); Session session = new Session(g.graph)) {
      g.variables.initialize(session);
      // warm-up: the first run of each kind pays graph optimisation and allocation
      trainer.iteration(g, session, batch, batch, 1, null);
      if (robust) {
        trainer.iteration(g, session, batch, batch, 0, null);
      }
      List<RunMetadata> plainTrace = new ArrayList<>();
      trainer.iteration(g, session, batch, batch, 1, plainTrace);
      long plainFlops = TracedFlops.count(g.graph, plainTrace);
      List<OpProfile.Entry> plainOps = OpProfile.of(plainTrace);
      List<OpProfile.Entry> robustOps = List.of();
      double plain = time(() -> trainer.iteration(g, session, batch, batch, 1, null), repeats);
      double robustSeconds = 0;
      long robustFlops = 0;
      if (robust) {
        List<RunMetadata> robustTrace = new ArrayList<>();
        trainer.iteration(g, session, batch, batch, 0, robustTrace);
        robustFlops = TracedFlops.count(g.graph, robustTrace);
        robustOps = OpProfile.of(robustTrace);
        robustSeconds = time(() -> trainer.iteration(g, session, batch, batch, 0, null), repeats);
      }
      return new Timing(config.getName(), plain, plainFlops, robustSeconds, robustFlops, every, plainOps, robustOps);
    }
  }

  private static double time(Runnable r, int repeats) {
    long t0 = System.nanoTime();
    for (int i = 0; i < repeats; i++) {
      r.run();
    }
    return (System.nanoTime() - t0) / 1e9 / repeats;
  }
}
