package org.restorelab.train;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.render.ImageGrid;
import org.restorelab.run.AtomicFiles;
import org.restorelab.train.log.TrainingLog;

/**
 * The sample grid a trainer writes every {@code sample_every} steps: per input a row of (what the
 * network sees, one column per sample, the ground truth), as {@code samples/step-<step>.png} and a
 * TensorBoard image.
 */
final class SampleGrid {
  static final String DIR = "samples";

  private SampleGrid() {}

  /**
   * Writes the grid and returns the per-pixel standard deviation over the samples (0 for one sample).
   *
   * @param view what the network sees, [n, side, side, 3]
   * @param samples one [n, side, side, 3] array per sample column
   * @param truth the ground truth, [n, side, side, 3]
   */
  static double write(Path runDir, TrainingLog log, long step, int side, float[] view, List<float[]> samples,
      float[] truth) throws IOException {
    int pixels = side * side * 3;
    int n = truth.length / pixels;
    int k = samples.size();
    List<String> titles = new ArrayList<>();
    titles.add("input");
    for (int j = 0; j < k; j++) {
      titles.add(k == 1 ? "output" : "z" + (j + 1));
    }
    titles.add("truth");
    List<float[]> columns = new ArrayList<>();
    columns.add(view);
    columns.addAll(samples);
    columns.add(truth);
    ImageGrid grid = ImageGrid.ofRows(side, side, side <= 32 ? 3 : 2, titles, columns, n);
    java.awt.image.BufferedImage image = grid.render();
    byte[] png = ImageGrid.png(image);
    AtomicFiles.write(runDir.resolve(DIR).resolve(String.format("step-%08d.png", step)), png);
    log.image(step, "samples", png, image.getHeight(), image.getWidth());
    return GanTrainer.pixelStd(samples);
  }
}
