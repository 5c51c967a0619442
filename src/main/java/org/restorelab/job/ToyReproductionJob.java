package org.restorelab.job;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.SineEstimatorConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.config.ToyReproductionConfig;
import org.restorelab.config.ToyVariantConfig;
import org.restorelab.data.UnitDisk;
import org.restorelab.estimator.SineEstimator;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.export.HandcraftedEstimatorExport;
import org.restorelab.export.EstimatorExport;
import org.restorelab.render.FigureFormats;
import org.restorelab.report.ToyFigure3;
import org.restorelab.report.ToyReproduction;
import org.restorelab.report.ToyReproduction.ConfigResult;
import org.restorelab.report.ToyReproduction.SeedResult;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFolder;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.StepMemory;
import org.restorelab.train.GanTrainer;
import org.restorelab.train.ToyVariants;

/**
 * A {@code toy_reproduction} job (Table 3, Figure 3): for each of its configs, side by side,
 * trains the four GAN estimators (resuming any that an interrupted run left unfinished), exports
 * them, evaluates them with the hand-crafted ones through the SavedModel harness, and renders
 * Table 3, the precision/recall of every estimator and Figure 3 ({@link ToyReproduction}); with
 * an analytic part, that runs first into {@code analytic/}.
 */
public final class ToyReproductionJob implements Job {
  /** The analytic part of a reproduction: its config and where it came from (for its run record). */
  public record AnalyticPart(ExperimentConfig config, String source) {}

  /** The subfolder of the analytic part. */
  private static final String ANALYTIC = "analytic";

  private final List<ExperimentConfig> configs;
  private final List<String> only;
  private final AnalyticPart analytic;
  private volatile GanTrainer current;

  /**
   * The reproduction of {@code configs} side by side (the first one's config is the run's), of
   * the variants named in {@code only} (all when empty), with the analytic part when it is not
   * null; every config and variant validated.
   */
  public ToyReproductionJob(List<ExperimentConfig> configs, List<String> only, AnalyticPart analytic) {
    if (configs.isEmpty()) {
      throw new ConfigException("toy_reproduction: no config to reproduce");
    }
    for (ExperimentConfig c : configs) {
      savedModelPath(c);
      for (ToyVariantConfig v : c.getToyReproduction().getVariantList()) {
        ToyVariants.validate(ToyVariants.resolve(c.getToyReproduction(), v), "toy_reproduction.variant[" + v.getName() + "]");
        checkVariantSeeds(c, v);
      }
    }
    for (String o : only) {
      if (configs.stream().noneMatch(c -> c.getToyReproduction().getVariantList().stream()
          .anyMatch(v -> v.getName().equals(o)))) {
        throw new ConfigException("--only " + o + ": no such variant in the configs");
      }
    }
    this.configs = List.copyOf(configs);
    this.only = List.copyOf(only);
    this.analytic = analytic;
  }

  /** The job of an experiment with a {@code toy_reproduction} job: that config alone, every variant, no analytic part. */
  static ToyReproductionJob of(ExperimentConfig config) {
    return new ToyReproductionJob(List.of(config), List.of(), null);
  }

  @Override
  public ExperimentConfig config() {
    return configs.get(0);
  }

  /** Refuses a config whose training step would not fit in memory ({@link StepMemory#check}). */
  @Override
  public void preflight() {
    configs.forEach(StepMemory::check);
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    PrintWriter log = context.console();
    RunFolder folder = context.folder();
    context.stop().onRequest(() -> {
      GanTrainer t = current;
      if (t != null) {
        t.requestStop();
      }
    });
    if (analytic != null) {
      log.println("analytic part ...");
      log.flush();
      AnalyticJob part = new AnalyticJob(analytic.config());
      RunExecutor.execute(RunFolder.at(folder.file(ANALYTIC), true), analytic.config(), "analytic", List.of(),
          analytic.source(), f -> part.run(new JobContext(f, log, context.stop(), "analytic", List.of(),
              "./restorelab analytic")));
    }
    List<ConfigResult> results = new ArrayList<>();
    for (ExperimentConfig c : configs) {
      ConfigResult r = runConfig(c, folder.dir(), savedModelDir(folder, c), context.stop(), log);
      if (r == null) {
        return new JobOutput(new JsonObject(), "# interrupted\n\nResume with `--resume`.\n",
            "interrupted");
      }
      results.add(r);
    }
    ToyReproduction.writeTables(folder.dir(), results);
    return ToyReproduction.output(results, context.commandLine(), analytic == null ? null : ANALYTIC + "/report.md");
  }

  /**
   * Whether every variant of every config is trained and exported in {@code folder}: a finished
   * {@code --only} part is not the whole reproduction, so resuming it goes on with the rest.
   */
  public boolean complete(RunFolder folder) throws IOException {
    for (ExperimentConfig c : configs) {
      if (!complete(c, folder.dir(), savedModelDir(folder, c))) {
        return false;
      }
    }
    return true;
  }

  /** A variant's own seeds must be among the reproduction's and hold its first (Figure 3's). */
  static void checkVariantSeeds(ExperimentConfig c, ToyVariantConfig v) {
    if (v.getSeedsCount() == 0) {
      return;
    }
    List<Long> all = seeds(c);
    String path = "toy_reproduction.variant[" + v.getName() + "].seeds";
    for (long s : v.getSeedsList()) {
      if (!all.contains(s)) {
        throw new ConfigException(path + ": seed " + Long.toUnsignedString(s) + " is not one of the reproduction's seeds "
            + all.stream().map(Long::toUnsignedString).toList());
      }
    }
    if (!v.getSeedsList().contains(all.get(0))) {
      throw new ConfigException(path + " must hold the reproduction's first seed, " + Long.toUnsignedString(all.get(0))
          + " (Figure 3 draws it)");
    }
  }

  /** Whether variant {@code v} runs with master seed {@code seed}: its own seeds, or all of them when it lists none. */
  static boolean runsWith(ToyVariantConfig v, long seed) {
    return v.getSeedsCount() == 0 || v.getSeedsList().contains(seed);
  }

  /** The seeds of a reproduction config: its {@code seeds} list, or the experiment's seed alone. */
  static List<Long> seeds(ExperimentConfig experiment) {
    List<Long> listed = experiment.getToyReproduction().getSeedsList();
    return listed.isEmpty() ? List.of(experiment.getSeed()) : listed;
  }

  /**
   * Runs one config, restricted to the variants named in {@code only} (all when empty); null when
   * interrupted (the training state is checkpointed under {@code dir/training/}). A variant is
   * trained in {@code dir/training/<variant>-<hash>}, the hash being that of its
   * resolved training config and seed, so a variant that two configs share (lambda_R = 0 makes
   * ErraticGAN and StoErraticGAN identical under the paper-literal and effective configs) is
   * trained once.
   */
  private ConfigResult runConfig(ExperimentConfig experiment, Path dir, Path savedModels, StopFlag stop,
      PrintWriter log) throws IOException {
    boolean listed = experiment.getToyReproduction().getSeedsCount() > 0;
    List<SeedResult> seeds = new ArrayList<>();
    for (long seed : seeds(experiment)) {
      SeedResult r = runSeed(experiment, seed, dir, seedModels(experiment, savedModels, seed), stop, log);
      if (r == null) {
        return null;
      }
      seeds.add(r);
    }
    String name = experiment.getName();
    String figure = ToyFigure3.draw(seeds.get(0).results(), new UnitDisk(), name + (listed ? ", seed "
        + Long.toUnsignedString(seeds.get(0).seed()) : ""), dir, "figure3_" + name,
        FigureFormats.of(experiment.getFigureFormatsList()));
    return new ConfigResult(experiment, seeds, figure);
  }

  /** Where one seed's SavedModels go: {@code savedModels}, or its {@code seed-<s>/} with a seeds list. */
  private static Path seedModels(ExperimentConfig experiment, Path savedModels, long seed) {
    return experiment.getToyReproduction().getSeedsCount() > 0
        ? savedModels.resolve("seed-" + Long.toUnsignedString(seed)) : savedModels;
  }

  /** A variant of one seed: its resolved training config, folders, and the step its checkpoint reached. */
  private record VariantState(ToyGanConfig toy, Path trainDir, Path target, long reached) {
    static VariantState of(ToyReproductionConfig rc, ToyVariantConfig v, long seed, Path dir, Path savedModels)
        throws IOException {
      ToyGanConfig toy = ToyVariants.resolve(rc, v);
      ToyVariants.validate(toy, "toy_reproduction.variant[" + v.getName() + "]");
      Path trainDir = dir.resolve("training").resolve(v.getName() + "-" + trainingKey(toy, seed));
      Path ckpt = trainDir.resolve(Checkpoint.FILE);
      return new VariantState(toy, trainDir, savedModels.resolve(v.getName()),
          Files.exists(ckpt) ? Checkpoint.step(ckpt) : 0);
    }

    boolean trained() {
      return reached >= toy.getSteps();
    }

    /** Trained to the end and exported. */
    boolean done() {
      return trained() && Files.exists(target.resolve("saved_model.pb"));
    }
  }

  /**
   * Whether every variant of every seed of {@code experiment} is trained and exported in
   * {@code dir} (so resuming the reproduction would only evaluate again).
   */
  private static boolean complete(ExperimentConfig experiment, Path dir, Path savedModels) throws IOException {
    ToyReproductionConfig rc = experiment.getToyReproduction();
    for (long seed : seeds(experiment)) {
      for (ToyVariantConfig v : rc.getVariantList()) {
        if (runsWith(v, seed) && !VariantState.of(rc, v, seed, dir, seedModels(experiment, savedModels, seed)).done()) {
          return false;
        }
      }
    }
    return true;
  }

  /** One seed of a config: trains (or resumes), exports and evaluates; null when interrupted. */
  private SeedResult runSeed(ExperimentConfig experiment, long seed, Path dir, Path savedModels, StopFlag stop,
      PrintWriter log) throws IOException {
    ToyReproductionConfig rc = experiment.getToyReproduction();
    String name = experiment.getName() + (rc.getSeedsCount() > 0 ? " seed " + Long.toUnsignedString(seed) : "");
    Map<String, Double> speeds = new LinkedHashMap<>();
    List<SavedModelConfig> models = new ArrayList<>();
    for (SineEstimatorConfig h : rc.getHandcraftedList()) {
      Path target = savedModels.resolve("handcrafted").resolve(h.getName());
      HandcraftedEstimatorExport.export(new SineEstimator(h.getName(), h.getAlpha()), target);
      models.add(SavedModelConfig.newBuilder().setPath(target.toString()).setName(h.getName()).build());
    }
    for (ToyVariantConfig v : rc.getVariantList()) {
      if (!only.isEmpty() && !only.contains(v.getName()) || !runsWith(v, seed)) {
        continue;
      }
      VariantState state = VariantState.of(rc, v, seed, dir, savedModels);
      ToyGanConfig toy = state.toy();
      Path trainDir = state.trainDir();
      Path target = state.target();
      Path ckpt = trainDir.resolve(Checkpoint.FILE);
      Path speed = trainDir.resolve("seconds_per_iteration.txt");
      long reached = state.reached();
      boolean trained = state.trained();
      boolean done = state.done();
      if (trained && Files.exists(speed)) {
        speeds.put(v.getName(), Double.parseDouble(Files.readString(speed).trim()));
      }
      if (!done) {
        if (stop.getAsBoolean()) {
          return null;
        }
        log.println("[" + name + "] " + (trained ? "exporting " : "training ") + v.getName() + " (" + toy.getSteps() + " steps)"
            + (reached > 0 ? ", resuming from step " + reached : ""));
        log.flush();
        GanTrainer trainer = GanTrainer.toy(toy, seed, trainDir);
        current = trainer;
        if (stop.getAsBoolean()) {
          trainer.requestStop();
        }
        GanTrainer.Outcome outcome = trainer.train(Files.exists(ckpt), log);
        current = null;
        if (!outcome.finished()) {
          return null;
        }
        if (!trained) {
          speeds.put(v.getName(), outcome.secondsPerIteration());
          AtomicFiles.writeString(speed, outcome.secondsPerIteration() + "\n");
        }
        EstimatorExport.export(toy, outcome.estimatorWeights(), target,
            Provenance.capture("reproduce toy", List.of(), name + "/" + v.getName(), seed));
      }
      models.add(SavedModelConfig.newBuilder().setPath(target.toString()).setName(v.getName()).build());
    }
    List<ToyEvaluation.Result> results = ToyEvaluationJob.evaluateAll(models, rc.getEvaluation(),
        rc.getBase().getData().getValidationSize(), seed, name, log);
    return new SeedResult(seed, results, speeds);
  }

  /**
   * A short hash of a variant's resolved training config and seed. The name does not count, nor
   * the robustness settings of an estimator trained with lambda_R = 0 (they are not used).
   */
  private static String trainingKey(ToyGanConfig toy, long seed) {
    try {
      MessageDigest md = MessageDigest.getInstance("SHA-256");
      ToyGanConfig.Builder key = toy.toBuilder().setName("");
      if (toy.getRobustness().getLambdaR() == 0) {
        key.clearRobustness();
      }
      md.update(key.build().toByteArray());
      md.update(Long.toString(seed).getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(md.digest()).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /**
   * Where a config's SavedModels go: its {@code savedmodel_dir}, inside the run folder (a run
   * never writes outside its own folder; the committed savedmodels/ change only by a copy made
   * by hand). An absolute path, or one that leaves the folder, is refused.
   */
  private static Path savedModelDir(RunFolder folder, ExperimentConfig c) {
    return folder.dir().resolve(savedModelPath(c));
  }

  /** {@code savedmodel_dir} as a normalised relative path, or an error naming the field. */
  private static Path savedModelPath(ExperimentConfig c) {
    String dir = c.getToyReproduction().getSavedmodelDir();
    Path relative = Path.of(dir).normalize();
    if (dir.isEmpty() || relative.isAbsolute() || relative.startsWith("..")) {
      throw new ConfigException(c.getName() + ": toy_reproduction.savedmodel_dir = \"" + dir + "\": expected a"
          + " relative path inside the run folder, such as savedmodels/toy/effective");
    }
    return relative;
  }
}
