package org.restorelab.job;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.export.ConditionalFlowExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.train.ConditionalFlowTrainer;

/**
 * A {@code conditional_flow} job: trains an SRFlow-style conditional normalizing flow for
 * super-resolution by maximum likelihood and exports it into {@code savedmodel/}.
 */
public final class ConditionalFlowTrainingJob extends TrainingJob {
  /** The job of an experiment with a {@code conditional_flow} job, validated. */
  public ConditionalFlowTrainingJob(ExperimentConfig config) {
    super(config);
    ConditionalFlowTrainer.validate(config.getConditionalFlow(), "conditional_flow");
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    ConditionalFlowConfig flow = config.getConditionalFlow();
    PrintWriter out = context.console();
    ConditionalFlowTrainer trainer = new ConditionalFlowTrainer(flow, config.getSeed(), context.folder().dir());
    context.stop().onRequest(trainer::requestStop);
    ImageSplits data = ImageSplits.open(flow.getData(), config.getSeed(), out);
    ConditionalFlowTrainer.Outcome outcome = trainer.train(data.train(), data.validation(), context.folder().resumed(), out);
    JsonObject results = TrainingResults.results(flow.getName(), outcome.step(), flow.getSteps(), outcome.secondsPerIteration());
    results.addProperty("task", ConditionalFlowTrainer.task(flow, "conditional_flow").name());
    results.addProperty("sample_pixel_std", outcome.samplePixelStd());
    results.addProperty("validation_bits_per_dim", outcome.validationBitsPerDim());
    results.addProperty("validation_images", outcome.validationImages());
    String finite = "";
    if (outcome.finiteCheck() != null) {
      ConditionalFlowTrainer.FiniteCheck check = outcome.finiteCheck();
      JsonObject c = new JsonObject();
      c.addProperty("images", check.images());
      JsonArray temps = new JsonArray();
      JsonArray counts = new JsonArray();
      for (int t = 0; t < check.temperatures().length; t++) {
        temps.add(check.temperatures()[t]);
        counts.add(check.nonFinite()[t]);
      }
      c.add("temperatures", temps);
      c.add("non_finite_samples", counts);
      results.add("finite_check", c);
      finite = String.format(Locale.ROOT, " Samples of all %d checked validation images at temperatures %s:"
          + " %d of %d hold a NaN or infinity before clipping (%s per temperature).", check.images(),
          Arrays.toString(check.temperatures()), check.total(),
          check.images() * check.temperatures().length, Arrays.toString(check.nonFinite()));
    }
    String report = String.format(Locale.ROOT, "# %s\n\nConditional flow trained by maximum likelihood: %d of %d"
        + " steps (%.3f s per iteration) by `%s`. Held-out negative log-likelihood: %.4f bits per dimension on %d"
        + " validation images. Losses: `metrics.csv` and `tensorboard/`; sample grids (temperature %.2f):"
        + " `samples/`. Per-pixel standard deviation over the last grid's samples (%d per input): %.4f.\n",
        flow.getName(), outcome.step(), flow.getSteps(), outcome.secondsPerIteration(), context.commandLine(),
        outcome.validationBitsPerDim(), outcome.validationImages(), flow.getTemperature(),
        flow.getSamplesPerInput(), outcome.samplePixelStd()) + (finite.isEmpty() ? "" : finite.substring(1) + "\n")
        + "Held-out bits per dimension every " + flow.getValidateEvery() + " steps: `metrics.csv`, column"
        + " `validation_bits_per_dim`.\n";
    if (!outcome.finished()) {
      return new JobOutput(results, report, "interrupted");
    }
    Path export = context.folder().file(TrainingResults.SAVEDMODEL);
    ConditionalFlowExport.export(flow, outcome.weights(), export,
        Provenance.capture(context.command(), context.args(), flow.getName(),
            config.getSeed()), results);
    results.addProperty("savedmodel", TrainingResults.SAVEDMODEL);
    out.println("exported " + export);
    return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z,"
        + " temperature) -> x_hat with z every level's latent flattened; `per_level`: (y, z1..zL, temperature)"
        + " -> x_hat; `sample`: (y, seed, temperature) -> x_hat; temperature defaults to "
        + flow.getTemperature() + ").\n");
  }
}
