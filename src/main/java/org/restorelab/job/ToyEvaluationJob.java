package org.restorelab.job;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.ToyEvaluationConfig;
import org.restorelab.config.ToyModelEvaluationConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.render.FigureFormats;
import org.restorelab.report.ToyFigure3;
import org.restorelab.report.ToyReproduction;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Seeds;

/**
 * A {@code toy_evaluation} job: precision/recall, sqrt(R~) (the attack built around each loaded
 * graph) and exact sqrt(R) of any toy SavedModels, with Figure 3 panels, in Table 3's layout.
 */
public final class ToyEvaluationJob implements Job {
  private final ExperimentConfig config;

  /** The job of an experiment with a {@code toy_evaluation} job; it needs at least one model. */
  public ToyEvaluationJob(ExperimentConfig config) {
    if (config.getToyEvaluation().getModelCount() == 0) {
      throw new ConfigException("no model to evaluate: give --model PATH or toy_evaluation.model in the config");
    }
    this.config = config;
  }

  @Override
  public ExperimentConfig config() {
    return config;
  }

  /** Every model's folder must hold a SavedModel ({@link LoadedEstimator#checkFolder}). */
  @Override
  public void preflight() {
    config.getToyEvaluation().getModelList().forEach(LoadedEstimator::checkFolder);
  }

  /** The evaluation checks no stop flag: Ctrl-C ends it at once. */
  @Override
  public boolean stoppable() {
    return false;
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    ToyModelEvaluationConfig c = config.getToyEvaluation();
    List<ToyEvaluation.Result> results = evaluateAll(c.getModelList(), c.getEvaluation(), c.getValidationSize(),
        config.getSeed(), config.getName(), context.console());
    String figure = ToyFigure3.draw(results, new UnitDisk(), config.getName(), context.folder().dir(),
        "figure3_" + config.getName(), FigureFormats.of(config.getFigureFormatsList()));
    List<ToyReproduction.ConfigResult> configs = List.of(new ToyReproduction.ConfigResult(config, results,
        Map.of(), figure));
    ToyReproduction.writeTables(context.folder().dir(), configs);
    return ToyReproduction.output(configs, context.commandLine(), null);
  }

  /** Evaluates each SavedModel on validation data of the unit disk drawn from {@code seed}. */
  static List<ToyEvaluation.Result> evaluateAll(List<SavedModelConfig> models,
      ToyEvaluationConfig evaluation, int validationSize, long seed, String name,
      PrintWriter log) {
    Points validation = new UnitDisk().sample(validationSize, Seeds.random(seed, "toy/data/validation"));
    List<ToyEvaluation.Result> results = new ArrayList<>();
    for (SavedModelConfig m : models) {
      log.println("[" + name + "] evaluating " + (m.getName().isEmpty() ? m.getPath() : m.getName()));
      log.flush();
      try (LoadedEstimator loaded = LoadedEstimator.load(m)) {
        results.add(ToyEvaluation.evaluate(loaded, evaluation, validation, seed));
      }
    }
    return results;
  }
}
