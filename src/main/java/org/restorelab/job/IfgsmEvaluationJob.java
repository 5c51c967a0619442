package org.restorelab.job;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.evaluate.IfgsmEvaluation;
import org.restorelab.render.FigureFormats;
import org.restorelab.report.Figure8;
import org.restorelab.run.JobOutput;

/** An {@code ifgsm_evaluation} job: Figure 8 (Appendix G), I-FGSM against image SavedModels. */
public final class IfgsmEvaluationJob implements Job {
  /** Version of the layout of this job's results.json. */
  public static final String RESULTS_SCHEMA = "restorelab.evaluate-ifgsm/1";
  /** The base name of Figure 8's files in the run folder. */
  public static final String FIGURE = "figure8";

  private final ExperimentConfig config;

  /** The job of an experiment with an {@code ifgsm_evaluation} job, validated. */
  public IfgsmEvaluationJob(ExperimentConfig config) {
    IfgsmEvaluation.validate(config.getIfgsmEvaluation());
    this.config = config;
  }

  @Override
  public ExperimentConfig config() {
    return config;
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    IfgsmEvaluationConfig c = config.getIfgsmEvaluation();
    IfgsmEvaluation.Outcome outcome = IfgsmEvaluation.run(c, config.getSeed(), context.stop(), context.console());
    JsonObject results = new JsonObject();
    results.addProperty("schema", RESULTS_SCHEMA);
    if (outcome == null) {
      return new JobOutput(results, "# " + config.getName() + "\n\nInterrupted; run it again.\n", "interrupted");
    }
    List<IfgsmEvaluation.Curve> curves = outcome.curves();
    results.add("images", images(outcome.images()));
    JsonArray models = new JsonArray();
    for (IfgsmEvaluation.Curve k : curves) {
      JsonObject m = new JsonObject();
      m.addProperty("name", k.name());
      m.addProperty("stochastic", k.stochastic());
      m.add("alpha_255", array(k.alpha255()));
      m.add("output_psnr_db", array(k.outputPsnr()));
      m.add("input_psnr_db", array(k.inputPsnr()));
      models.add(m);
    }
    results.add("models", models);
    String figure = Figure8.write(curves, config.getName() + ": I-FGSM (Figure 8 layout)", context.folder().dir(),
        FIGURE, FigureFormats.of(config.getFigureFormatsList()));
    var o = IfgsmEvaluation.withPsnrDefaults(c).getOutputPsnr();
    var in = IfgsmEvaluation.withPsnrDefaults(c).getInputPsnr();
    String report = "# " + config.getName() + ": I-FGSM (Figure 8 layout)\n\nMade by `" + context.commandLine()
        + "` (config: `config.pbtxt`, seed " + config.getSeed() + ").\n\n" + Figure8.markdown(curves)
        + String.format(Locale.ROOT, "%n- %d validation images, %d I-FGSM steps, %d z draws for stochastic models"
            + " (held fixed on both sides).%n- Output PSNR: %s channel, shave %d, peak %g; input PSNR: %s channel,"
            + " shave %d, peak %g.%n", c.getInputs(), c.getIfgsm().getSteps(),
            c.getIfgsm().getZDraws(), o.getChannel(), o.getShave(), o.getPeak(), in.getChannel(), in.getShave(),
            in.getPeak())
        + imagesNote(outcome.images(), c)
        + "\n![Figure 8](" + figure + ")\n";
    return new JobOutput(results, report);
  }

  private static JsonObject images(IfgsmEvaluation.Images images) {
    JsonObject o = new JsonObject();
    o.addProperty("source", images.source());
    o.addProperty("count", images.count());
    o.addProperty("side", images.side());
    JsonArray gray = new JsonArray();
    images.grayscaleToRgb().forEach(gray::add);
    JsonArray alpha = new JsonArray();
    images.alphaDropped().forEach(alpha::add);
    o.add("grayscale_to_rgb", gray);
    o.add("alpha_dropped", alpha);
    JsonArray own = new JsonArray();
    images.ownSizes().forEach(own::add);
    JsonArray cropped = new JsonArray();
    images.centreCropped().forEach(cropped::add);
    o.add("own_sizes", own);
    o.add("centre_cropped_models", cropped);
    return o;
  }

  /** The report's line on the images, with the conversions of an image folder named. */
  private static String imagesNote(IfgsmEvaluation.Images images, IfgsmEvaluationConfig c) {
    String note = String.format(Locale.ROOT, "- Images: %d validation images of %s, %dx%d", images.count(),
        images.source(), images.side(), images.side());
    if (IfgsmEvaluation.ownSizes(c)) {
      note = String.format(Locale.ROOT, "- Images: %d validation images of %s at their own sizes, cropped at the bottom"
          + " and right to multiples of %d (%s) for the any-size models; %s", images.count(), images.source(),
          c.getData().getFolder().getMultipleOf(), images.ownSizes().isEmpty() ? "none run" : String.join(", ",
              images.ownSizes()), images.centreCropped().isEmpty() ? "no fixed-size model"
              : "fixed-size models on " + images.side() + "x" + images.side() + " centre crops: "
                  + String.join(", ", images.centreCropped()));
    }
    if (c.getData().hasFolder()) {
      note += String.format(Locale.ROOT, " (%s of each file); grayscale replicated to RGB: %s; alpha channel dropped: %s",
          switch (c.getData().getFolder().getSizePolicy()) {
            case CENTER_CROP -> "centre crop";
            case CROP_TO_MULTIPLE -> "modcrop";
            default -> "exact size";
          },
          images.grayscaleToRgb().isEmpty() ? "none" : images.grayscaleToRgb().size() + " (" + String.join(", ",
              images.grayscaleToRgb()) + ")",
          images.alphaDropped().isEmpty() ? "none" : images.alphaDropped().size() + " (" + String.join(", ",
              images.alphaDropped()) + ")");
    }
    return note + ".\n";
  }

  private static JsonArray array(double[] v) {
    JsonArray a = new JsonArray();
    for (double x : v) {
      a.add(x);
    }
    return a;
  }
}
