package org.restorelab.job;

import java.io.PrintWriter;
import java.nio.file.Path;
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
public final class ToyEvaluationJob implements ShardableJob {
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
        config.getSeed(), config.getName(), context.console(), context.folder().dir().resolve("partial"));
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
    return evaluateAll(models, evaluation, validationSize, seed, name, log, null);
  }

  /**
   * {@link #evaluateAll(List, ToyEvaluationConfig, int, long, String, PrintWriter)}; a model whose
   * merged shards ({@link #mergeShards}) are in {@code partial} takes its per-input work from there.
   */
  static List<ToyEvaluation.Result> evaluateAll(List<SavedModelConfig> models,
      ToyEvaluationConfig evaluation, int validationSize, long seed, String name,
      PrintWriter log, Path partial) {
    Points validation = validation(validationSize, seed);
    List<ToyEvaluation.Result> results = new ArrayList<>();
    for (int i = 0; i < models.size(); i++) {
      SavedModelConfig m = models.get(i);
      log.println("[" + name + "] evaluating " + (m.getName().isEmpty() ? m.getPath() : m.getName()));
      log.flush();
      try (LoadedEstimator loaded = LoadedEstimator.load(m)) {
        results.add(ToyEvaluation.evaluate(loaded, evaluation, validation, seed,
            partial == null ? null : partial.resolve(key(i))));
      }
    }
    return results;
  }

  private static Points validation(int validationSize, long seed) {
    return new UnitDisk().sample(validationSize, Seeds.random(seed, "toy/data/validation"));
  }

  /** The partial file of model i (by position: two models may share a name). */
  private static String key(int i) {
    return "toy-model-" + i + ".json";
  }

  /** Shard {@code shard} of {@code shards} of every model's per-input work, into partial/shards/shard-k/. */
  @Override
  public void runShard(Path dir, int shard, int shards, PrintWriter log) throws Exception {
    ToyModelEvaluationConfig c = config.getToyEvaluation();
    Points validation = validation(c.getValidationSize(), config.getSeed());
    for (int i = 0; i < c.getModelCount(); i++) {
      SavedModelConfig m = c.getModel(i);
      log.println("[" + config.getName() + "] shard " + shard + " of " + shards + ": evaluating "
          + (m.getName().isEmpty() ? m.getPath() : m.getName()));
      log.flush();
      try (LoadedEstimator loaded = LoadedEstimator.load(m)) {
        ToyEvaluation.evaluateShard(loaded, c.getEvaluation(), validation, config.getSeed(), shard, shards,
            shardDir(dir, shard).resolve(key(i)));
      }
    }
  }

  @Override
  public void mergeShards(Path dir, int shards) throws Exception {
    ToyModelEvaluationConfig c = config.getToyEvaluation();
    for (int i = 0; i < c.getModelCount(); i++) {
      List<Path> files = new ArrayList<>();
      for (int k = 0; k < shards; k++) {
        files.add(shardDir(dir, k).resolve(key(i)));
      }
      ToyEvaluation.mergeShards(files, c.getEvaluation(), dir.resolve("partial").resolve(key(i)));
    }
    org.restorelab.run.Folders.delete(dir.resolve("partial").resolve("shards"));
  }

  private static Path shardDir(Path dir, int shard) {
    return dir.resolve("partial").resolve("shards").resolve("shard-" + shard);
  }
}
