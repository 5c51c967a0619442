package org.restorelab.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.SineEstimatorConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.config.ToyReproductionConfig;
import org.restorelab.config.ToyVariantConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.estimator.SineEstimator;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.export.HandcraftedEstimatorExport;
import org.restorelab.export.ToyEstimatorExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.run.Seeds;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ToyGanTrainer;
import org.restorelab.train.ToyVariants;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.MarkdownTable;

/**
 * {@code restorelab reproduce toy}: for each toy_reproduction config, trains the four GAN
 * estimators (resuming any that a previous, interrupted run left unfinished), exports them,
 * evaluates them with the hand-crafted ones through the SavedModel harness, and writes Table 3,
 * the precision/recall of every estimator and Figure 3, with the configs side by side.
 */
public final class ToyReproduction {
  /** Table 3 as LaTeX, beside report.md. */
  public static final String TABLE3_TEX = "table3.tex";
  /** Table 3's numbers as CSV, beside report.md. */
  public static final String TABLE3_CSV = "table3.csv";
  /** Table 3 of the paper: sqrt(R~) x 1e3 at eps = 1e-3. */
  public static final Map<String, Double> PAPER_TABLE3 = Map.of(
      "ErraticGAN", 3.62, "RobustGAN", 0.77, "StoErraticGAN", 0.13, "StoRobustGAN", 0.51);

  /** One seed's evaluated estimators and training speeds. */
  public record SeedResult(long seed, List<ToyEvaluation.Result> results, Map<String, Double> secondsPerIteration) {}

  /**
   * One config's evaluated estimators, once per seed (the first seed's are drawn in Figure 3 and
   * kept as {@code results()} and {@code secondsPerIteration()}).
   */
  public record ConfigResult(ExperimentConfig config, List<SeedResult> seeds, String figure) {
    /** A config evaluated under its own seed alone. */
    public ConfigResult(ExperimentConfig config, List<ToyEvaluation.Result> results,
        Map<String, Double> secondsPerIteration, String figure) {
      this(config, List.of(new SeedResult(config.getSeed(), results, secondsPerIteration)), figure);
    }

    public List<ToyEvaluation.Result> results() {
      return seeds.get(0).results();
    }

    public Map<String, Double> secondsPerIteration() {
      return seeds.get(0).secondsPerIteration();
    }
  }

  /** The seeds of a reproduction config: its {@code seeds} list, or the experiment's seed alone. */
  public static List<Long> seeds(ExperimentConfig experiment) {
    List<Long> listed = experiment.getToyReproduction().getSeedsList();
    return listed.isEmpty() ? List.of(experiment.getSeed()) : listed;
  }

  private volatile ToyGanTrainer current;
  private volatile boolean stopRequested;

  /** Asks the running training to checkpoint and stop (Ctrl-C). */
  public void requestStop() {
    stopRequested = true;
    ToyGanTrainer t = current;
    if (t != null) {
      t.requestStop();
    }
  }

  /**
   * Runs one config. Returns null when interrupted (the training state is checkpointed under
   * {@code dir/training/}).
   */
  public ConfigResult run(ExperimentConfig experiment, Path dir, Path savedModels, PrintWriter log) throws IOException {
    return run(experiment, dir, savedModels, List.of(), log);
  }

  /**
   * Runs one config, restricted to the variants named in {@code only} (all when empty). A
   * variant is trained in {@code dir/training/<variant>-<hash>}, the hash being that of its
   * resolved training config and seed, so a variant that two configs share (lambda_R = 0 makes
   * ErraticGAN and StoErraticGAN identical under the paper-literal and effective configs) is
   * trained once.
   */
  public ConfigResult run(ExperimentConfig experiment, Path dir, Path savedModels, List<String> only,
      PrintWriter log) throws IOException {
    boolean listed = experiment.getToyReproduction().getSeedsCount() > 0;
    List<SeedResult> seeds = new ArrayList<>();
    for (long seed : seeds(experiment)) {
      SeedResult r = runSeed(experiment, seed, dir, seedModels(experiment, savedModels, seed), only, log);
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
  public static boolean complete(ExperimentConfig experiment, Path dir, Path savedModels) throws IOException {
    ToyReproductionConfig rc = experiment.getToyReproduction();
    for (long seed : seeds(experiment)) {
      for (ToyVariantConfig v : rc.getVariantList()) {
        if (!VariantState.of(rc, v, seed, dir, seedModels(experiment, savedModels, seed)).done()) {
          return false;
        }
      }
    }
    return true;
  }

  /** One seed of a config: trains (or resumes), exports and evaluates; null when interrupted. */
  private SeedResult runSeed(ExperimentConfig experiment, long seed, Path dir, Path savedModels, List<String> only,
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
      if (!only.isEmpty() && !only.contains(v.getName())) {
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
        if (stopRequested) {
          return null;
        }
        log.println("[" + name + "] " + (trained ? "exporting " : "training ") + v.getName() + " (" + toy.getSteps() + " steps)"
            + (reached > 0 ? ", resuming from step " + reached : ""));
        log.flush();
        ToyGanTrainer trainer = new ToyGanTrainer(toy, seed, trainDir);
        current = trainer;
        if (stopRequested) {
          trainer.requestStop();
        }
        ToyGanTrainer.Outcome outcome = trainer.train(Files.exists(ckpt), log);
        current = null;
        if (!outcome.finished()) {
          return null;
        }
        if (!trained) {
          speeds.put(v.getName(), outcome.secondsPerIteration());
          org.restorelab.run.AtomicFiles.writeString(speed, outcome.secondsPerIteration() + "\n");
        }
        ToyEstimatorExport.export(toy, outcome.estimatorWeights(), target,
            Provenance.capture("reproduce toy", List.of(), name + "/" + v.getName(), seed));
      }
      models.add(SavedModelConfig.newBuilder().setPath(target.toString()).setName(v.getName()).build());
    }
    List<ToyEvaluation.Result> results = evaluateAll(models, rc.getEvaluation(),
        rc.getBase().getData().getValidationSize(), seed, name, log);
    return new SeedResult(seed, results, speeds);
  }

  /** Evaluates each SavedModel on validation data of the unit disk drawn from {@code seed}. */
  public static List<ToyEvaluation.Result> evaluateAll(List<SavedModelConfig> models,
      org.restorelab.config.ToyEvaluationConfig evaluation, int validationSize, long seed, String name,
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

  /**
   * A short hash of a variant's resolved training config and seed. The name does not count, nor
   * the robustness settings of an estimator trained with lambda_R = 0 (they are not used).
   */
  static String trainingKey(ToyGanConfig toy, long seed) {
    try {
      java.security.MessageDigest md = java.security.MessageDigest.getInstance("SHA-256");
      ToyGanConfig.Builder key = toy.toBuilder().setName("");
      if (toy.getRobustness().getLambdaR() == 0) {
        key.clearRobustness();
      }
      md.update(key.build().toByteArray());
      md.update(Long.toString(seed).getBytes(java.nio.charset.StandardCharsets.UTF_8));
      return java.util.HexFormat.of().formatHex(md.digest()).substring(0, 10);
    } catch (java.security.NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The numbers of Table 3 and the precision/recall table, by results.json key. */
  static final Map<String, java.util.function.ToDoubleFunction<ToyEvaluation.Result>> METRICS;

  static {
    Map<String, java.util.function.ToDoubleFunction<ToyEvaluation.Result>> m = new LinkedHashMap<>();
    m.put("precision", ToyEvaluation.Result::precision);
    m.put("recall", ToyEvaluation.Result::recall);
    m.put("sensitivity_sqrt_r_tilde_x1e3", ToyEvaluation.Result::sensitivity);
    m.put("sensitivity_sqrt_r_tilde_x1e3_exact_inputs", ToyEvaluation.Result::sensitivityOnExactInputs);
    m.put("exact_sensitivity_sqrt_r_x1e3", ToyEvaluation.Result::exactSensitivity);
    METRICS = java.util.Collections.unmodifiableMap(m);
  }

  /** Writes {@link #TABLE3_TEX} and {@link #TABLE3_CSV} into the run folder {@code dir} (beside report.md). */
  public static void writeTables(Path dir, List<ConfigResult> configs) throws IOException {
    org.restorelab.run.AtomicFiles.writeString(dir.resolve(TABLE3_TEX), Table3Latex.of(configs));
    org.restorelab.run.AtomicFiles.writeString(dir.resolve(TABLE3_CSV), Table3Csv.of(configs));
  }

  /** Mean and sample standard deviation (n - 1; NaN for one value) of a metric over a config's seeds. */
  record Spread(double mean, double std, int n) {
    static Spread of(double[] values) {
      double mean = java.util.Arrays.stream(values).average().orElse(Double.NaN);
      double ss = 0;
      for (double v : values) {
        ss += (v - mean) * (v - mean);
      }
      return new Spread(mean, values.length > 1 ? Math.sqrt(ss / (values.length - 1)) : Double.NaN, values.length);
    }

    String text() {
      return n > 1 ? fmt(mean) + " +- " + fmt(std) : fmt(mean);
    }
  }

  /** The spread over seeds of estimator {@code i}'s metric {@code key} in {@code c}. */
  static Spread spread(ConfigResult c, int i, String key) {
    return Spread.of(c.seeds().stream().mapToDouble(s -> METRICS.get(key).applyAsDouble(s.results().get(i))).toArray());
  }

  /**
   * results.json and report.md for the configs, side by side. With several seeds each number is
   * the mean over seeds, with {@code <key>_std} (sample standard deviation), {@code seeds} and the
   * seeds' own values in {@code per_seed}.
   */
  public static JobOutput output(List<ConfigResult> configs, String reproduce, String analyticReport) {
    JsonObject json = new JsonObject();
    json.addProperty("schema", "restorelab.reproduce.toy/1");
    JsonArray arr = new JsonArray();
    for (ConfigResult c : configs) {
      JsonObject o = new JsonObject();
      o.addProperty("config", c.config().getName());
      o.addProperty("figure", c.figure());
      boolean several = c.seeds().size() > 1;
      if (several) {
        JsonArray seeds = new JsonArray();
        c.seeds().forEach(s -> seeds.add(Long.toUnsignedString(s.seed())));
        o.add("seeds", seeds);
      }
      JsonArray est = new JsonArray();
      for (int i = 0; i < c.results().size(); i++) {
        ToyEvaluation.Result r = c.results().get(i);
        JsonObject e = new JsonObject();
        e.addProperty("name", r.name());
        e.addProperty("stochastic", r.stochastic());
        for (String key : METRICS.keySet()) {
          Spread sp = spread(c, i, key);
          e.addProperty(key, sp.mean());
          if (several) {
            e.addProperty(key + "_std", sp.std());
          }
        }
        if (PAPER_TABLE3.containsKey(r.name())) {
          e.addProperty("paper_table3", PAPER_TABLE3.get(r.name()));
        }
        double[] speeds = c.seeds().stream().filter(s -> s.secondsPerIteration().containsKey(r.name()))
            .mapToDouble(s -> s.secondsPerIteration().get(r.name())).toArray();
        if (speeds.length > 0) {
          e.addProperty("seconds_per_iteration", Spread.of(speeds).mean());
        }
        if (several) {
          JsonArray perSeed = new JsonArray();
          for (SeedResult s : c.seeds()) {
            JsonObject one = new JsonObject();
            one.addProperty("seed", Long.toUnsignedString(s.seed()));
            for (var m : METRICS.entrySet()) {
              one.addProperty(m.getKey(), m.getValue().applyAsDouble(s.results().get(i)));
            }
            perSeed.add(one);
          }
          e.add("per_seed", perSeed);
        }
        est.add(e);
      }
      o.add("estimators", est);
      arr.add(o);
    }
    json.add("configs", arr);
    return new JobOutput(json, markdown(configs, reproduce, analyticReport));
  }

  private static String markdown(List<ConfigResult> configs, String reproduce, String analyticReport) {
    StringBuilder md = new StringBuilder("# Toy GAN estimators: Table 3 and Figure 3\n\n");
    md.append("Made by `").append(reproduce).append("`; configs, seeds and provenance are in `config.pbtxt`, "
        + "`configs/` and `run.json` beside this file, numbers in `results.json`.\n\n");
    for (ConfigResult c : configs) {
      if (c.seeds().size() > 1) {
        md.append("- ").append(c.config().getName()).append(": mean +- sample standard deviation over ")
            .append(c.seeds().size()).append(" seeds (").append(String.join(", ", c.seeds().stream()
                .map(x -> Long.toUnsignedString(x.seed())).toList()))
            .append("); each seed's values are in `results.json` (`per_seed`); Figure 3 shows the first seed.\n");
      }
    }
    if (configs.stream().anyMatch(c -> c.seeds().size() > 1)) {
      md.append('\n');
    }
    List<String> header = new ArrayList<>(List.of("Estimator", "paper"));
    for (ConfigResult c : configs) {
      header.add(c.config().getName() + ": sqrt(R~) x 1e3");
      header.add(c.config().getName() + ": exact sqrt(R) x 1e3");
    }
    MarkdownTable t3 = new MarkdownTable(header.toArray(String[]::new));
    for (int i = 0; i < configs.get(0).results().size(); i++) {
      String name = configs.get(0).results().get(i).name();
      List<Object> row = new ArrayList<>(List.of(name, PAPER_TABLE3.containsKey(name) ? fmt(PAPER_TABLE3.get(name)) : "-"));
      for (ConfigResult c : configs) {
        row.add(spread(c, i, "sensitivity_sqrt_r_tilde_x1e3").text());
        row.add(spread(c, i, "exact_sensitivity_sqrt_r_x1e3").text() + " (R~ on the same inputs: "
            + spread(c, i, "sensitivity_sqrt_r_tilde_x1e3_exact_inputs").text() + ")");
      }
      t3.row(row.toArray());
    }
    md.append("## Table 3: sensitivity (lower is more robust)\n\n")
        .append("sqrt(R~) x 1e3 with eps = 1e-3 (Eq. 7), measured with the evaluation attack of each config "
            + "around the exported SavedModel (the paper labels this column 'higher is better'; it is a "
            + "sensitivity, so lower means more robust). Beyond the paper, the exact sqrt(R) x 1e3 of Eq. 4-5 "
            + "(W2 between output distributions at y and y + delta, by sorting, maximised over a grid of delta) "
            + "on the first validation inputs; Appendix D proves R <= R~ for the true maximiser of Eq. 6, so an "
            + "exact R above the attack's R~ means the attack did not find the maximiser.\n\n")
        .append(t3.render()).append('\n')
        .append("LaTeX (booktabs; the best estimator per row in bold): `" + TABLE3_TEX + "`; the numbers as CSV: `"
            + TABLE3_CSV + "`.\n\n");
    List<String> prHeader = new ArrayList<>(List.of("Estimator"));
    for (ConfigResult c : configs) {
      prHeader.add(c.config().getName() + ": precision");
      prHeader.add(c.config().getName() + ": recall");
    }
    MarkdownTable pr = new MarkdownTable(prHeader.toArray(String[]::new));
    for (int i = 0; i < configs.get(0).results().size(); i++) {
      List<Object> row = new ArrayList<>(List.of(configs.get(0).results().get(i).name()));
      for (ConfigResult c : configs) {
        row.add(spread(c, i, "precision").text());
        row.add(spread(c, i, "recall").text());
      }
      pr.row(row.toArray());
    }
    md.append("## Precision and recall (k = 5, outputs from distinct validation y's with one z each, against "
        + "as many validation samples)\n\n").append(pr.render()).append('\n');
    for (ConfigResult c : configs) {
      md.append("## Figure 3, ").append(c.config().getName()).append("\n\n![Figure 3](").append(c.figure())
          .append(")\n\n");
      if (!c.secondsPerIteration().isEmpty()) {
        md.append("Training time per iteration (one estimator and one critic step): ");
        List<String> parts = new ArrayList<>();
        c.secondsPerIteration().forEach((k, v) -> parts.add(k + " " + String.format(Locale.ROOT, "%.1f ms", 1e3 * v)));
        md.append(String.join(", ", parts)).append(".\n\n");
      }
    }
    if (analyticReport != null) {
      md.append("## The analytic part\n\nSee [analytic/report.md](analytic/report.md).\n\n");
    }
    return md.toString();
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3f", v);
  }
}
