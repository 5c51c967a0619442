package org.restorelab.evaluate;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.IfgsmConfig;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.config.PsnrConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.MatlabImresize;
import org.restorelab.data.image.Split;
import org.restorelab.run.Seeds;
import org.restorelab.savedmodel.SpatialSizes;
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

  /**
   * The attacked images: their source, how many, their side, and for an image folder the files
   * converted on reading (grayscale replicated to RGB; alpha channel dropped), by name. With a
   * folder of size policy CROP_TO_MULTIPLE, {@code ownSizes} lists the distinct sizes ("h x w")
   * the any-size models ran at, and {@code centreCropped} the fixed-size models, which ran on
   * side x side centre crops as before (both empty otherwise).
   */
  public record Images(String source, int count, int side, List<String> grayscaleToRgb, List<String> alphaDropped,
      List<String> ownSizes, List<String> centreCropped) {}

  /** Every model's curve and the images they were measured on. */
  public record Outcome(List<Curve> curves, Images images) {}

  private IfgsmEvaluation() {}

  public static void validate(IfgsmEvaluationConfig c) {
    ConfigValidator.requireInRange(c, "ifgsm_evaluation");
    if (c.getModelCount() == 0) {
      throw new ConfigException("no model to attack: give ifgsm_evaluation.model");
    }
    if (!c.getTask().hasSuperResolution()) {
      throw new ConfigException("ifgsm_evaluation.task must be super_resolution (Appendix G attacks super-resolution)");
    }
    if (c.getIfgsm().getAlpha255Count() == 0) {
      throw new ConfigException("ifgsm_evaluation.ifgsm.alpha_255 is empty: Appendix G uses 1, 2, 4, 8, 16, 32");
    }
    ImageSets.validate(c.getData(), "ifgsm_evaluation.data");
    Tasks.create(c.getTask(), c.getData().getImageSize(), "ifgsm_evaluation.task");
    int scale = c.getTask().getSuperResolution().getScale();
    OwnSizes.requireMultipleOfScale(c.getData(), scale, "ifgsm_evaluation.data.folder.multiple_of");
    IfgsmConfig resolved = withPsnrDefaults(c);
    int side = c.getData().getImageSize();
    checkShave(resolved.getOutputPsnr(), side, "ifgsm_evaluation.ifgsm.output_psnr.shave", "output");
    checkShave(resolved.getInputPsnr(), side / c.getTask().getSuperResolution().getScale(),
        "ifgsm_evaluation.ifgsm.input_psnr.shave", "low-resolution input");
    c.getModelList().forEach(LoadedEstimator::checkFolder);
  }

  /**
   * The attack config with the community's PSNR conventions where a PSNR is not given: outputs
   * shaved by the scale, low-resolution inputs not shaved (Y channel, peak 255 for both).
   */
  public static IfgsmConfig withPsnrDefaults(IfgsmEvaluationConfig c) {
    IfgsmConfig.Builder b = c.getIfgsm().toBuilder();
    if (!b.hasOutputPsnr()) {
      b.getOutputPsnrBuilder().setShave(c.getTask().getSuperResolution().getScale());
    }
    if (!b.hasInputPsnr()) {
      b.getInputPsnrBuilder().setShave(0);
    }
    return b.build();
  }

  /** Whether the images keep their own sizes: an image folder of size policy CROP_TO_MULTIPLE. */
  public static boolean ownSizes(IfgsmEvaluationConfig c) {
    return OwnSizes.applies(c.getData());
  }

  private static void checkShave(PsnrConfig p, int side, String field, String what) {
    if (p.getShave() < 0 || 2 * p.getShave() >= side) {
      throw new ConfigException(field + " = " + p.getShave() + " leaves nothing of the " + side + "x" + side + " "
          + what + " images; use 0 <= shave < " + (side + 1) / 2);
    }
  }

  /** The low-resolution inputs of b high-resolution images, as the config says. */
  static float[] lowResolution(IfgsmEvaluationConfig c, MeasurementGraph measurements, float[] hr, int b, ImageSet set) {
    return lowResolution(c, measurements, hr, b, set.height(), set.width());
  }

  /** The low-resolution inputs of b high-resolution h x w images, as the config says. */
  static float[] lowResolution(IfgsmEvaluationConfig c, MeasurementGraph measurements, float[] hr, int b, int h, int w) {
    if (c.getLowResolution() == IfgsmEvaluationConfig.LowResolution.TASK_DEGRADATION) {
      return measurements.degrade(hr, b);
    }
    int scale = c.getTask().getSuperResolution().getScale();
    int pixels = h * w * 3;
    int lowPixels = (h / scale) * (w / scale) * 3;
    float[] y = new float[b * lowPixels];
    for (int i = 0; i < b; i++) {
      float[] image = java.util.Arrays.copyOfRange(hr, i * pixels, (i + 1) * pixels);
      System.arraycopy(MatlabImresize.BICUBIC_UINT8.resize(image, h, w, 1.0 / scale), 0, y, i * lowPixels, lowPixels);
    }
    return y;
  }

  /**
   * The curves of every model, or null when {@code stop} asked to stop. With images at their own
   * sizes ({@link #ownSizes}), an any-size model ({@link SpatialSizes}) is attacked on each image
   * alone at its size ({@link IfgsmAtOwnSizes}); a fixed-size model gets the side x side centre
   * crops, in batches, as without.
   */
  public static Outcome run(IfgsmEvaluationConfig c, long seed, BooleanSupplier stop, PrintWriter log) {
    validate(c);
    RestorationTask task = Tasks.create(c.getTask(), c.getData().getImageSize(), "ifgsm_evaluation.task");
    boolean own = ownSizes(c);
    ImageFolderSet whole = own ? new ImageFolderSet(c.getData().getFolder(), c.getData().getImageSize(), Split.VALIDATION)
        : null;
    ImageDataConfig cropped = OwnSizes.centreCropped(c.getData());
    ImageSet validation = ImageSets.open(cropped, Split.VALIDATION, seed);
    int n = Math.min(c.getInputs(), validation.size());
    double[] alphas = c.getIfgsm().getAlpha255List().stream().mapToDouble(Double::doubleValue).toArray();
    IfgsmConfig attack = withPsnrDefaults(c);
    List<Curve> curves = new ArrayList<>();
    java.util.Set<String> sizesRun = new java.util.TreeSet<>();
    List<String> centreCropped = new ArrayList<>();
    try (MeasurementGraph measurements = new MeasurementGraph(task)) {
      for (SavedModelConfig mc : c.getModelList()) {
        SavedModelConfig named = mc.toBuilder().setName(LoadedEstimator.name(mc)).build();
        if (own && OwnSizes.anySize(mc)) {
          IfgsmAtOwnSizes.Means m = IfgsmAtOwnSizes.measure(c, named, whole, n, alphas, attack, seed, stop);
          if (m == null) {
            return null;
          }
          sizesRun.addAll(m.sizes());
          for (int a = 0; a < alphas.length; a++) {
            log(log, named.getName(), alphas[a], m.outputPsnr()[a], m.inputPsnr()[a]);
          }
          curves.add(new Curve(named.getName(), m.stochastic(), alphas, m.outputPsnr(), m.inputPsnr()));
          continue;
        }
        if (own) {
          centreCropped.add(named.getName());
        }
        try (LoadedEstimator model = LoadedEstimator.load(named, task)) {
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
              IfgsmMeasurement.Result r = IfgsmMeasurement.measure(model, y, b, alphas[a] / 255, attack,
                  task.measurementShape(), task.signalShape(), Seeds.random(seed, path + "/z"),
                  Seeds.random(seed, path + "/start"));
              for (int i = 0; i < b; i++) {
                out[a] += r.outputPsnr()[i] / n;
                in[a] += r.inputPsnr()[i] / n;
              }
            }
            log(log, model.name(), alphas[a], out[a], in[a]);
          }
          curves.add(new Curve(model.name(), model.stochastic(), alphas, out, in));
        }
      }
    }
    Images images = images(c, validation, n);
    if (!own) {
      return new Outcome(curves, images);
    }
    return new Outcome(curves, new Images(images.source(), images.count(), images.side(),
        union(images.grayscaleToRgb(), whole.grayscaleFiles()), union(images.alphaDropped(), whole.alphaDroppedFiles()),
        List.copyOf(sizesRun), List.copyOf(centreCropped)));
  }

  private static void log(PrintWriter log, String model, double alpha255, double out, double in) {
    log.printf(Locale.ROOT, "%s alpha %g/255: output PSNR %.2f dB, input PSNR %.2f dB%n", model, alpha255, out, in);
    log.flush();
  }

  private static List<String> union(List<String> a, List<String> b) {
    java.util.TreeSet<String> all = new java.util.TreeSet<>(a);
    all.addAll(b);
    return List.copyOf(all);
  }

  private static Images images(IfgsmEvaluationConfig c, ImageSet set, int n) {
    String source = c.getData().getSourceCase().name().toLowerCase(Locale.ROOT);
    if (set instanceof ImageFolderSet folder) {
      return new Images(source, n, c.getData().getImageSize(), folder.grayscaleFiles(), folder.alphaDroppedFiles(),
          List.of(), List.of());
    }
    return new Images(source, n, c.getData().getImageSize(), List.of(), List.of(), List.of(), List.of());
  }
}
