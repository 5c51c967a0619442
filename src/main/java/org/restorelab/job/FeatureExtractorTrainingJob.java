package org.restorelab.job;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.export.FeatureExtractorExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.train.FeatureExtractorReport;
import org.restorelab.train.FeatureExtractorTrainer;

/**
 * A {@code feature_extractor} job: trains the project's own feature extractor for FID and
 * precision/recall (a CNN classifier of the procedural faces' factors) and exports it into {@code savedmodel/}.
 */
public final class FeatureExtractorTrainingJob extends TrainingJob {
  /** The job of an experiment with a {@code feature_extractor} job, validated. */
  public FeatureExtractorTrainingJob(ExperimentConfig config) {
    super(config);
    FeatureExtractorTrainer.validate(config.getFeatureExtractor(), "feature_extractor");
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    FeatureExtractorConfig fe = config.getFeatureExtractor();
    PrintWriter out = context.console();
    FeatureExtractorTrainer trainer = new FeatureExtractorTrainer(fe, config.getSeed(), context.folder().dir());
    context.stop().onRequest(trainer::requestStop);
    ProceduralFaces train = FeatureExtractorTrainer.faces(fe, Split.TRAIN, config.getSeed());
    ProceduralFaces validation = FeatureExtractorTrainer.faces(fe, Split.VALIDATION, config.getSeed());
    out.printf("data: %,d training and %,d validation faces, %dx%d%n", train.size(), validation.size(),
        train.width(), train.height());
    FeatureExtractorTrainer.Outcome outcome = trainer.train(train, validation, context.folder().resumed(), out);
    JsonObject results = FeatureExtractorReport.results(fe, outcome);
    String report = FeatureExtractorReport.markdown(fe, outcome, context.commandLine());
    if (!outcome.finished()) {
      return new JobOutput(results, report, "interrupted");
    }
    Path export = context.folder().file(TrainingResults.SAVEDMODEL);
    FeatureExtractorExport.export(fe, outcome.weights(), outcome.heldOut(), export,
        Provenance.capture(context.command(), context.args(), fe.getName(),
            config.getSeed()));
    results.addProperty("savedmodel", TrainingResults.SAVEDMODEL);
    out.println("exported " + export);
    return new JobOutput(results, report + FeatureExtractorReport.savedModelNote(fe));
  }
}
