package org.restorelab.train;

import java.io.PrintWriter;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;

class ImageGanSmokeTest {
  @TempDir Path dir;

  @Test
  void paperScaleStep() throws Exception {
    ImageGanConfig c = org.restorelab.config.ConfigLoader.load(java.nio.file.Path.of(System.getProperty("cfg"))).getImageGan();
    long t0 = System.nanoTime();
    try (ImageGanGraph g = new ImageGanGraph(c, 1); org.tensorflow.Session s = new org.tensorflow.Session(g.graph)) {
      System.out.printf("build %.1f s, G %d D %d%n", (System.nanoTime() - t0) / 1e9, g.estimator().parameterCount(),
          g.critic().parameterCount());
      g.variables.initialize(s);
      ImageGanTrainer tr = new ImageGanTrainer(c, 1, dir);
      RandomImages imgs = new RandomImages(64, c.getData().getImageSize(), 1);
      float[] batch = org.restorelab.data.image.BatchLoader.readAll(imgs, java.util.stream.IntStream.range(0, c.getBatchSize()).toArray());
      for (int step = 0; step < 7; step++) {
        long t = System.nanoTime();
        double[] l = tr.iteration(g, s, batch, batch, step, null);
        System.out.printf("step %d: %.2f s %s%n", step, (System.nanoTime() - t) / 1e9, java.util.Arrays.toString(l));
      }
    }
  }
}
