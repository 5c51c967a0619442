package org.restorelab.job;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.evaluate.images.ImageEvaluationRun;
import org.restorelab.render.FigureFormats;
import org.restorelab.report.Figure4;
import org.restorelab.report.ImageEvaluationReport;
import org.restorelab.report.PosteriorChart;
import org.restorelab.report.Table1;
import org.restorelab.report.Table1Latex;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.JobOutput;
import org.restorelab.task.Tasks;

/**
 * An {@code image_evaluation_suite} job: several image evaluations, one task each (e.g.
 * super-resolution across scale factors), each in its own subfolder named for its task, with
 * Table 1 per task and Figure 4 across the super-resolution ones. Stopped early, it keeps the
 * finished batches in {@code partial/} for a resumed run.
 */
public final class ImageEvaluationSuiteJob implements ShardableJob {
  /** The base name of Figure 4's files in the run folder. */
  public static final String FIGURE4 = "figure4";

  private final ExperimentConfig config;
  private final List<ImageEvaluationConfig> evaluations;

  /**
   * The job of an experiment with an {@code image_evaluation_suite} job, or with an
   * {@code image_evaluation} job as a suite of one (written into the run folder itself); every
   * evaluation validated.
   */
  public ImageEvaluationSuiteJob(ExperimentConfig config) {
    this.evaluations = evaluations(config);
    this.config = config;
  }

  @Override
  public ExperimentConfig config() {
    return config;
  }

  /**
   * Loads the feature extractor and every model once (see {@link ImageEvaluationRun#preflight}),
   * so that a bad SavedModel is refused before a run folder exists.
   */
  @Override
  public void preflight() {
    evaluations.forEach(ImageEvaluationRun::preflight);
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    JsonArray all = new JsonArray();
    StringBuilder report = new StringBuilder("# " + config.getName() + ": image evaluation\n\nMade by `"
        + context.commandLine() + "` (config: `config.pbtxt`, seed " + config.getSeed() + ").\n");
    List<Figure4.Point> superResolution = new ArrayList<>();
    FigureFormats formats = FigureFormats.of(config.getFigureFormatsList());
    for (ImageEvaluationConfig c : evaluations) {
      String task = Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task").name();
      Path dir = evaluations.size() == 1 ? context.folder().dir() : context.folder().dir().resolve(task);
      ImageEvaluationRun.Outcome o = ImageEvaluationRun.run(c, config.getSeed(), dir, dir.resolve(ImageEvaluationReport.GRID),
          context.stop(), context.console());
      JsonObject results = ImageEvaluationReport.results(o, c);
      all.add(results);
      if (!o.finished()) {
        JsonObject partial = new JsonObject();
        partial.add("evaluations", all);
        return new JobOutput(partial, report + "\nInterrupted in task " + task + " after " + o.results().size()
            + " of " + c.getModelCount() + " models; finished batches are kept in `partial/`.\n", "interrupted");
      }
      String chart = null;
      if (o.posterior() != null) {
        chart = PosteriorChart.write(o.posterior(), dir, ImageEvaluationRun.POSTERIOR_CHART, formats);
      }
      AtomicFiles.writeString(dir.resolve("table1.csv"), Table1.csv(o.results(), o.posterior()));
      AtomicFiles.writeString(dir.resolve("table1.tex"), Table1Latex.of(o.results(), o.posterior()));
      report.append(ImageEvaluationReport.section(c, o, context.folder().dir().relativize(dir), chart));
      if (c.getTask().hasSuperResolution()) {
        superResolution.add(new Figure4.Point(c.getTask().getSuperResolution().getScale(), o.results()));
      }
    }
    if (!superResolution.isEmpty()) {
      String figure4 = Figure4.write(superResolution, config.getName() + ": super-resolution (Figure 4 layout)",
          context.folder().dir(), FIGURE4, formats);
      report.append("\n## Figure 4\n\n![Figure 4](" + figure4 + ")\n");
    }
    JsonObject results = new JsonObject();
    results.addProperty("schema", ImageEvaluationReport.RESULTS_SCHEMA);
    results.add("evaluations", all);
    return new JobOutput(results, report.toString());
  }

  /** Shard {@code shard} of {@code shards} of every evaluation (its folder as {@link #run} uses it). */
  @Override
  public void runShard(Path dir, int shard, int shards, java.io.PrintWriter log) throws Exception {
    for (ImageEvaluationConfig c : evaluations) {
      if (!ImageEvaluationRun.runShard(c, config.getSeed(), folder(dir, c), shard, shards, () -> false, log)) {
        throw new IllegalStateException("shard " + shard + " stopped before it finished");
      }
    }
  }

  @Override
  public void mergeShards(Path dir, int shards) throws Exception {
    for (ImageEvaluationConfig c : evaluations) {
      ImageEvaluationRun.mergeShards(c, config.getSeed(), folder(dir, c), shards);
    }
  }

  /** The folder of evaluation {@code c} in run folder {@code dir}: itself for one, else its task's subfolder. */
  private Path folder(Path dir, ImageEvaluationConfig c) {
    return evaluations.size() == 1 ? dir
        : dir.resolve(Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task").name());
  }

  /** The evaluations of an image_evaluation or image_evaluation_suite job, validated. */
  private static List<ImageEvaluationConfig> evaluations(ExperimentConfig config) {
    List<ImageEvaluationConfig> list = switch (config.getJobCase()) {
      case IMAGE_EVALUATION -> List.of(config.getImageEvaluation());
      case IMAGE_EVALUATION_SUITE -> config.getImageEvaluationSuite().getEvaluationList();
      default -> throw new ConfigException(config.getName() + ": an image evaluation needs an image_evaluation or"
          + " image_evaluation_suite job, the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
    };
    if (list.isEmpty()) {
      throw new ConfigException("image_evaluation_suite has no evaluation");
    }
    List<String> tasks = new ArrayList<>();
    for (ImageEvaluationConfig c : list) {
      ImageEvaluationRun.validate(c);
      String task = Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task").name();
      if (tasks.contains(task)) {
        throw new ConfigException("image_evaluation_suite evaluates task " + task + " twice");
      }
      tasks.add(task);
    }
    return list;
  }
}
