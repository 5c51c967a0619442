package org.restorelab.report;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.ToyEvaluationConfig;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.metric.MetricProtocol;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.JobOutput;

/**
 * The results of a toy reproduction or toy evaluation (the evaluated estimators of each config,
 * per seed) rendered as results.json and report.md: Table 3, the precision/recall of every
 * estimator and Figure 3, with the configs side by side; Table 3 also as LaTeX and CSV.
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

  /** The numbers of Table 3 and the precision/recall table, by results.json key. */
  static final Map<String, java.util.function.ToDoubleFunction<ToyEvaluation.Result>> METRICS;

  static {
    Map<String, java.util.function.ToDoubleFunction<ToyEvaluation.Result>> m = new LinkedHashMap<>();
    m.put("precision", ToyEvaluation.Result::precision);
    m.put("recall", ToyEvaluation.Result::recall);
    m.put("sensitivity_sqrt_r_tilde_x1e3", ToyEvaluation.Result::sensitivity);
    m.put("sensitivity_sqrt_r_tilde_x1e3_exact_inputs", ToyEvaluation.Result::sensitivityOnExactInputs);
    m.put("exact_sensitivity_sqrt_r_x1e3", ToyEvaluation.Result::exactSensitivity);
    m.put("posterior_w2", ToyEvaluation.Result::posteriorW2);
    m.put("posterior_uncovered_share", ToyEvaluation.Result::posteriorUncovered);
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

  /**
   * The spread of estimator {@code i}'s metric {@code key} (estimator i of the first seed) over the
   * seeds of {@code c} that evaluated it: all of them, or a variant's own seeds.
   */
  static Spread spread(ConfigResult c, int i, String key) {
    String name = c.results().get(i).name();
    return Spread.of(seedsOf(c, name).stream().mapToDouble(s -> METRICS.get(key).applyAsDouble(result(s, name)))
        .toArray());
  }

  /** The seeds of {@code c} whose results hold estimator {@code name}. */
  static List<SeedResult> seedsOf(ConfigResult c, String name) {
    return c.seeds().stream().filter(s -> s.results().stream().anyMatch(r -> r.name().equals(name))).toList();
  }

  private static ToyEvaluation.Result result(SeedResult s, String name) {
    return s.results().stream().filter(r -> r.name().equals(name)).findFirst().orElseThrow();
  }

  /** The spread's text, with how many of the config's seeds it covers when not all. */
  static String text(ConfigResult c, int i, String key) {
    Spread sp = spread(c, i, key);
    return sp.text() + (sp.n() < c.seeds().size() ? " (" + sp.n() + " of " + c.seeds().size() + " seeds)" : "");
  }

  /** The evaluation settings of a toy_reproduction or toy_evaluation config. */
  static ToyEvaluationConfig evaluation(ExperimentConfig config) {
    return switch (config.getJobCase()) {
      case TOY_REPRODUCTION -> config.getToyReproduction().getEvaluation();
      case TOY_EVALUATION -> config.getToyEvaluation().getEvaluation();
      default -> throw new IllegalArgumentException("config " + config.getName()
          + ": expected a toy_reproduction or toy_evaluation job, got " + config.getJobCase());
    };
  }

  /** results.json's {@code metrics}: precision/recall's protocol, num_samples outputs against as many data samples. */
  static JsonObject metrics(ToyEvaluationConfig evaluation) {
    JsonObject metrics = new JsonObject();
    int n = evaluation.getPrecisionRecall().getNumSamples();
    MetricProtocol.precisionRecall(evaluation.getPrecisionRecall().getK(), n, n).addTo(metrics);
    return metrics;
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
      o.add("metrics", metrics(evaluation(c.config())));
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
        List<SeedResult> own = seedsOf(c, r.name());
        for (String key : METRICS.keySet()) {
          Spread sp = spread(c, i, key);
          e.addProperty(key, sp.mean());
          if (several && sp.n() > 1) {
            e.addProperty(key + "_std", sp.std());
          }
        }
        if (several && own.size() < c.seeds().size()) {
          JsonArray ownSeeds = new JsonArray();
          own.forEach(s -> ownSeeds.add(Long.toUnsignedString(s.seed())));
          e.add("seeds", ownSeeds);
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
          for (SeedResult s : own) {
            JsonObject one = new JsonObject();
            one.addProperty("seed", Long.toUnsignedString(s.seed()));
            for (var m : METRICS.entrySet()) {
              one.addProperty(m.getKey(), m.getValue().applyAsDouble(result(s, r.name())));
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
        row.add(text(c, i, "sensitivity_sqrt_r_tilde_x1e3"));
        row.add(text(c, i, "exact_sensitivity_sqrt_r_x1e3") + " (R~ on the same inputs: "
            + text(c, i, "sensitivity_sqrt_r_tilde_x1e3_exact_inputs") + ")");
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
    String pr = perConfigTable(configs, "precision", "precision", "recall", "recall");
    md.append("## Precision and recall (k = 5, outputs from distinct validation y's with one z each, against "
        + "as many validation samples)\n\n").append(pr).append('\n');
    String post = perConfigTable(configs, "W2 to the posterior", "posterior_w2", "share of [-c, c] not reached",
        "posterior_uncovered_share");
    ToyEvaluationConfig ev = evaluation(configs.get(0).config());
    md.append("## Distance to the exact posterior (beyond the paper)\n\n")
        .append("Given Y = y the posterior of X(2) is U[-c, c], c = sqrt(1 - y^2). Per validation y (the first ")
        .append(ev.getPosteriorInputs()).append(", at most all of them), ").append(ev.getPosteriorZDraws())
        .append(" outputs of a stochastic estimator (one of a deterministic one): the exact W2 between them and "
            + "U[-c, c] (root mean square over y's), and the share of [-c, c] outside the outputs' range, the part of "
            + "the posterior's support never reached at the chord's ends (mean over y's; a posterior sampler's is "
            + "2 / (draws + 1), a deterministic estimator's 1).\n\n")
        .append(post).append('\n');
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

  /** A markdown table of two metrics per config (column "config: label"), a row per estimator. */
  private static String perConfigTable(List<ConfigResult> configs, String label1, String key1, String label2,
      String key2) {
    List<String> header = new ArrayList<>(List.of("Estimator"));
    for (ConfigResult c : configs) {
      header.add(c.config().getName() + ": " + label1);
      header.add(c.config().getName() + ": " + label2);
    }
    MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
    for (int i = 0; i < configs.get(0).results().size(); i++) {
      List<Object> row = new ArrayList<>(List.of(configs.get(0).results().get(i).name()));
      for (ConfigResult c : configs) {
        row.add(text(c, i, key1));
        row.add(text(c, i, key2));
      }
      t.row(row.toArray());
    }
    return t.render();
  }

  static String fmt(double v) {
    return String.format(Locale.ROOT, Math.abs(v) >= 100 ? "%.0f" : "%.3f", v);
  }
}
