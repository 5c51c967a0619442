package org.restorelab.job;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.export.EstimatorExport;
import org.restorelab.graph.ConvolutionPrecision;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.task.Tasks;
import org.restorelab.train.GanTrainer;
import org.restorelab.train.ImageGanValidation;

/**
 * An {@code image_gan} job: trains one image restoration GAN (or its L1 baseline) for inpainting or
 * super-resolution, resuming from the folder's checkpoint in a resumed run, and exports it into {@code savedmodel/}.
 */
public final class ImageGanTrainingJob extends TrainingJob {
  /** The job of an experiment with an {@code image_gan} job, validated. */
  public ImageGanTrainingJob(ExperimentConfig config) {
    super(config);
    ImageGanValidation.validate(config.getImageGan(), "image_gan");
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    ImageGanConfig image = config.getImageGan();
    PrintWriter out = context.console();
    GanTrainer trainer = GanTrainer.images(image, config.getSeed(), context.folder().dir());
    context.stop().onRequest(trainer::requestStop);
    ImageSplits data = ImageSplits.open(image.getData(), config.getSeed(), out);
    GanTrainer.Outcome outcome = trainer.train(data.train(), data.validation(), context.folder().resumed(), out);
    JsonObject results = TrainingResults.results(image.getName(), outcome.step(), image.getSteps(), outcome.secondsPerIteration());
    results.addProperty("task", Tasks.create(image.getTask(), image.getData().getImageSize(), "image_gan.task").name());
    results.addProperty("sample_pixel_std", outcome.samplePixelStd());
    results.addProperty("objective", image.getObjective().name());
    results.addProperty("precision", ConvolutionPrecision.resolve(image.getPrecision()).name());
    JsonObject last = new JsonObject();
    outcome.lastMetrics().forEach(last::addProperty);
    results.add("last_step_metrics", last);
    String report = String.format(Locale.ROOT, "# %s\n\nTrained %d of %d steps (%.3f s per iteration, objective %s)"
        + " by `%s`. Losses: `metrics.csv` and `tensorboard/`; sample grids: `samples/`. Per-pixel standard deviation"
        + " over the last grid's samples (%d per input, inference mode): %.4f. Last step: %s.\n", image.getName(),
        outcome.step(), image.getSteps(), outcome.secondsPerIteration(), image.getObjective().name(),
        context.commandLine(), image.getSamplesPerInput(), outcome.samplePixelStd(),
        TrainingResults.lastMetricsText(outcome.lastMetrics()));
    if (!outcome.finished()) {
      return new JobOutput(results, report, "interrupted");
    }
    Path export = context.folder().file(TrainingResults.SAVEDMODEL);
    EstimatorExport.export(image, outcome.estimatorWeights(), export,
        Provenance.capture(context.command(), context.args(), image.getName(),
            config.getSeed()));
    results.addProperty("savedmodel", TrainingResults.SAVEDMODEL);
    out.println("exported " + export);
    return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z) -> x_hat;"
        + " `sample`: (y, seed) -> x_hat; NHWC float32 in [0, 1]).\n");
  }
}
