package org.restorelab.job;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Locale;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.export.EstimatorExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.train.GanTrainer;
import org.restorelab.train.ToyVariants;

/**
 * A {@code toy_gan} job: trains one toy GAN estimator (resuming from the folder's checkpoint in a
 * resumed run) and exports it as a SavedModel into {@code savedmodel/}.
 */
public final class ToyGanTrainingJob extends TrainingJob {
  /** The job of an experiment with a {@code toy_gan} job, validated. */
  public ToyGanTrainingJob(ExperimentConfig config) {
    super(config);
    ToyVariants.validate(config.getToyGan(), "toy_gan");
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    ToyGanConfig toy = config.getToyGan();
    PrintWriter out = context.console();
    GanTrainer trainer = GanTrainer.toy(toy, config.getSeed(), context.folder().dir());
    context.stop().onRequest(trainer::requestStop);
    GanTrainer.Outcome outcome = trainer.train(context.folder().resumed(), out);
    JsonObject results = TrainingResults.results(toy.getName(), outcome.step(), toy.getSteps(),
        outcome.secondsPerIteration());
    String report = String.format(Locale.ROOT, "# %s\n\nTrained %d of %d steps (%.2f ms per iteration) by `%s`."
        + " Losses: `metrics.csv` and `tensorboard/`.\n", toy.getName(), outcome.step(), toy.getSteps(),
        1e3 * outcome.secondsPerIteration(), context.commandLine());
    if (!outcome.finished()) {
      return new JobOutput(results, report, "interrupted");
    }
    Path export = context.folder().file(TrainingResults.SAVEDMODEL);
    EstimatorExport.export(toy, outcome.estimatorWeights(), export,
        Provenance.capture(context.command(), context.args(), toy.getName(), config.getSeed()));
    results.addProperty("savedmodel", TrainingResults.SAVEDMODEL);
    out.println("exported " + export);
    return new JobOutput(results, report + "\nSavedModel: `savedmodel/` (signatures `serving_default`: (y, z) -> x_hat;"
        + " `sample`: (y, seed) -> x_hat).\n");
  }
}
