package org.restorelab.evaluate;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.restorelab.config.ConfigException;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.MatlabImresize;
import org.restorelab.data.image.Split;
import org.restorelab.run.Seeds;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;

/**
 * Figure 8's numbers: for each model and each alpha, I-FGSM on the first {@code inputs}
 * validation images ({@link IfgsmMeasurement}), averaged: output PSNR and input PSNR. The z draws
 * and the attack's start depend on the seed and the batch only, so every model meets the same.
 */
public final class IfgsmEvaluation {
  /** One model's mean PSNRs per alpha (alpha in units of 1/255). */
  public record Curve(String name, boolean stochastic, double[] alpha255, double[] outputPsnr, double[] inputPsnr) {}

  private IfgsmEvaluation() {}

  public static void validate(IfgsmEvaluationConfig c) {
    if (c.getModelCount() == 0) {
      throw new ConfigException("no model to attack: give ifgsm_evaluation.model");
    }
    if (!c.getTask().hasSuperResolution()) {
      throw new ConfigException("ifgsm_evaluation.task must be super_resolution (Appendix G attacks super-resolution)");
    }
    if (c.getIfgsm().getAlpha255Count() == 0) {
      throw new ConfigException("ifgsm_evaluation.ifgsm.alpha_255 is empty: Appendix G uses 1, 2, 4, 8, 16, 32");
    }
    if (c.getInputs() < 1 || c.getBatchSize() < 1) {
      throw new ConfigException("ifgsm_evaluation.inputs and batch_size must be >= 1");
    }
    Tasks.create(c.getTask(), c.getData().getImageSize(), "ifgsm_evaluation.task");
    c.getModelList().forEach(LoadedEstimator::checkFolder);
  }

  /** The low-resolution inputs of b high-resolution images, as the config says. */
  static float[] lowResolution(IfgsmEvaluationConfig c, MeasurementGraph measurements, float[] hr, int b, ImageSet set) {
    if (c.getLowResolution() == IfgsmEvaluationConfig.LowResolution.TASK_DEGRADATION) {
      return measurements.degrade(hr, b);
    }
    int scale = c.getTask().getSuperResolution().getScale();
    int h = set.height();
    int w = set.width();
    int pixels = h * w * 3;
    int lowPixels = (h / scale) * (w / scale) * 3;
    float[] y = new float[b * lowPixels];
    for (int i = 0; i < b; i++) {
      float[] image = java.util.Arrays.copyOfRange(hr, i * pixels, (i + 1) * pixels);
      System.arraycopy(MatlabImresize.BICUBIC_UINT8.resize(image, h, w, 1.0 / scale), 0, y, i * lowPixels, lowPixels);
    }
    return y;
  }

  /** The curves of every model, or null when {@code stop} asked to stop. */
  public static List<Curve> run(IfgsmEvaluationConfig c, long seed, BooleanSupplier stop, PrintWriter log) {
    validate(c);
    RestorationTask task = Tasks.create(c.getTask(), c.getData().getImageSize(), "ifgsm_evaluation.task");
    ImageSet validation = ImageSets.open(c.getData(), Split.VALIDATION, seed);
    int n = Math.min(c.getInputs(), validation.size());
    double[] alphas = c.getIfgsm().getAlpha255List().stream().mapToDouble(Double::doubleValue).toArray();
    List<Curve> curves = new ArrayList<>();
    try (MeasurementGraph measurements = new MeasurementGraph(task)) {
      for (SavedModelConfig mc : c.getModelList()) {
        try (LoadedImageEstimator model = LoadedImageEstimator.load(
            mc.toBuilder().setName(ImageEvaluationRun.name(mc)).build(), task)) {
          double[] out = new double[alphas.length];
          double[] in = new double[alphas.length];
          for (int a = 0; a < alphas.length; a++) {
            for (int i0 = 0; i0 < n; i0 += c.getBatchSize()) {
              if (stop.getAsBoolean()) {
                return null;
              }
              int b = Math.min(c.getBatchSize(), n - i0);
              float[] y = lowResolution(c, measurements, ImageEvaluation.read(validation, i0, b), b, validation);
              String path = "ifgsm/batch-" + i0 / c.getBatchSize();
              IfgsmMeasurement.Result r = IfgsmMeasurement.measure(model, y, b, alphas[a] / 255, c.getIfgsm(),
                  task.measurementShape(), task.signalShape(), Seeds.random(seed, path + "/z"),
                  Seeds.random(seed, path + "/start"));
              for (int i = 0; i < b; i++) {
                out[a] += r.outputPsnr()[i] / n;
                in[a] += r.inputPsnr()[i] / n;
              }
            }
            log.printf(Locale.ROOT, "%s alpha %g/255: output PSNR %.2f dB, input PSNR %.2f dB%n", model.name(), alphas[a],
                out[a], in[a]);
            log.flush();
          }
          curves.add(new Curve(model.name(), model.stochastic(), alphas, out, in));
        }
      }
    }
    return curves;
  }
}
