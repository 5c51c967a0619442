package org.restorelab.evaluate;

import java.util.List;
import java.util.function.BooleanSupplier;
import org.restorelab.config.ConfigException;
import org.restorelab.config.IfgsmConfig;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.run.Seeds;
import org.restorelab.task.SuperResolution;

/**
 * Figure 8's numbers for an any-size model on an image folder at the images' own sizes (Set5,
 * Set14, BSD100 as the community measures them): each image attacked alone (n = 1), its z and
 * start drawn from {@code Seeds.random(seed, "ifgsm/<file name>/z")} and {@code .../start}, so a
 * folder's means are the means of its images' single-image runs; the model is loaded once per
 * distinct size ({@link OwnSizes#group}), for a {@link SuperResolution} task of that size.
 */
final class IfgsmAtOwnSizes {
  /** The mean PSNRs per alpha over the images, whether the model is stochastic, the sizes run ("h x w"). */
  record Means(double[] outputPsnr, double[] inputPsnr, boolean stochastic, List<String> sizes) {}

  private IfgsmAtOwnSizes() {}

  /** The first n images of {@code folder} (read whole), or null when {@code stop} asked to stop. */
  static Means measure(IfgsmEvaluationConfig c, SavedModelConfig model, ImageFolderSet folder, int n, double[] alphas,
      IfgsmConfig attack, long seed, BooleanSupplier stop) {
    int scale = c.getTask().getSuperResolution().getScale();
    List<OwnSizes.Group> groups = OwnSizes.group(folder, n);
    for (OwnSizes.Group g : groups) {
      for (OwnSizes.Entry e : g.entries()) {
        checkSize(attack, g, scale, folder.describe(e.index()));
      }
    }
    double[] out = new double[alphas.length];
    double[] in = new double[alphas.length];
    boolean stochastic = false;
    for (OwnSizes.Group group : groups) {
      SuperResolution task = new SuperResolution(group.height(), group.width(), scale);
      try (MeasurementGraph measurements = new MeasurementGraph(task);
          LoadedEstimator loaded = LoadedEstimator.load(model, task)) {
        stochastic = loaded.stochastic();
        for (OwnSizes.Entry e : group.entries()) {
          String path = "ifgsm/" + e.name();
          float[] y = IfgsmEvaluation.lowResolution(c, measurements, folder.readWhole(e.index()).hwc(), 1,
              group.height(), group.width());
          for (int a = 0; a < alphas.length; a++) {
            if (stop.getAsBoolean()) {
              return null;
            }
            IfgsmMeasurement.Result r = IfgsmMeasurement.measure(loaded, y, 1, alphas[a] / 255, attack,
                task.measurementShape(), task.signalShape(), Seeds.random(seed, path + "/z"),
                Seeds.random(seed, path + "/start"));
            out[a] += r.outputPsnr()[0] / n;
            in[a] += r.inputPsnr()[0] / n;
          }
        }
      }
    }
    return new Means(out, in, stochastic, OwnSizes.labels(groups));
  }

  /** An image at its own size must leave pixels after the PSNR shaves: else an error naming the file. */
  private static void checkSize(IfgsmConfig attack, OwnSizes.Group image, int scale, String file) {
    int side = Math.min(image.height(), image.width());
    if (2 * attack.getOutputPsnr().getShave() >= side || 2 * attack.getInputPsnr().getShave() >= side / scale) {
      throw new ConfigException(file + " is " + image.height() + "x" + image.width() + ": too small for the PSNR shaves ("
          + attack.getOutputPsnr().getShave() + " output, " + attack.getInputPsnr().getShave() + " input pixels)");
    }
  }
}
