package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.render.MarkdownTable;

/**
 * Table 1's layout (section 6.1.2): one column per estimator, stochastic erratic and robust
 * first, then deterministic erratic and robust (the paper's names), then any other model in
 * config order, then the reference columns (the exact posterior sampler); rows FID, precision,
 * recall, per-pixel std, robustness (Eq. 9), AI-PSNR, plus the consistency PSNR. With posterior
 * metrics, rows for the factor TV (mean and per hidden factor, with the classifier's held-out
 * accuracy), mode coverage and collapse rate, and a last column with their floor (the exact
 * sampler at the same M and N, from its own z stream). Also as CSV, one row per model.
 */
public final class Table1 {
  /** The paper's column order. */
  public static final List<String> PAPER_ORDER = List.of("StoErraticGAN", "StoRobustGAN", "ErraticGAN", "RobustGAN");
  /** The cell of a metric that is not defined for a reference (it does not read y's pixels). */
  static final String NOT_DEFINED = "not defined (reads the factors)";

  private Table1() {}

  /** The results in the paper's column order, references last. */
  public static List<ImageEvaluation.Result> ordered(List<ImageEvaluation.Result> results) {
    List<ImageEvaluation.Result> out = new ArrayList<>();
    for (String name : PAPER_ORDER) {
      results.stream().filter(r -> r.name().equals(name) && !r.reference()).forEach(out::add);
    }
    results.stream().filter(r -> !PAPER_ORDER.contains(r.name()) && !r.reference()).forEach(out::add);
    results.stream().filter(ImageEvaluation.Result::reference).forEach(out::add);
    return out;
  }

  public static String markdown(List<ImageEvaluation.Result> results) {
    return markdown(results, null);
  }

  /** The table; {@code posterior} (null without posterior metrics) adds the posterior rows and floor column. */
  public static String markdown(List<ImageEvaluation.Result> results, PosteriorSummary posterior) {
    List<ImageEvaluation.Result> cols = ordered(results);
    List<String> header = new ArrayList<>(List.of("Metric"));
    for (ImageEvaluation.Result r : cols) {
      header.add(r.name() + (r.reference() ? " (reference)" : r.stochastic() ? " (stochastic)" : " (deterministic)"));
    }
    if (posterior != null) {
      header.add(String.format(Locale.ROOT, "floor (exact sampler, M = %d, N = %d)", posterior.floor().inputs(),
          posterior.floor().samples()));
    }
    MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
    boolean floor = posterior != null;
    row(t, cols, "FID ↓", ImageEvaluation.Result::fid, "%.2f", floor);
    row(t, cols, "Precision ↑", ImageEvaluation.Result::precision, "%.3f", floor);
    row(t, cols, "Recall ↑", ImageEvaluation.Result::recall, "%.3f", floor);
    row(t, cols, "Per-pixel std ↑", ImageEvaluation.Result::pixelStd, "%.4f", floor);
    row(t, cols, "Robustness ↑ (dB)", ImageEvaluation.Result::robustness, "%.2f", floor);
    row(t, cols, "AI-PSNR (dB)", ImageEvaluation.Result::aiPsnr, "%.2f", floor);
    row(t, cols, "Consistency (dB)", ImageEvaluation.Result::consistency, "%.1f", floor);
    if (posterior != null) {
      PosteriorMetrics.Result fl = posterior.floor();
      posteriorRow(t, cols, "Factor TV ↓ (mean of " + fl.factorTv().length + ")", PosteriorMetrics.Result::meanTv, fl);
      List<String> names = posterior.posterior().names();
      for (int f = 0; f < names.size(); f++) {
        int j = f;
        double acc = posterior.heldOutAccuracy()[f];
        posteriorRow(t, cols, "TV " + names.get(f) + " ↓ (K = " + posterior.posterior().cardinalities()[f]
            + (Double.isNaN(acc) ? ", classifier accuracy unknown)" : String.format(Locale.ROOT,
                ", classifier %.1f%%)", 100 * acc)), m -> m.factorTv()[j], fl);
      }
      posteriorRow(t, cols, String.format(Locale.ROOT, "Mode coverage ↑ (1 = posterior: %.2f of %,d modes)",
          posterior.expectedDistinct(), posterior.posterior().modes()), PosteriorMetrics.Result::coverage, fl);
      posteriorRow(t, cols, "Collapse rate ↓", PosteriorMetrics.Result::collapseRate, fl);
      posteriorRow(t, cols, "Marginal factor TV ↓ (pooled over inputs, mean of " + fl.marginalTv().length + ")",
          PosteriorMetrics.Result::meanMarginalTv, fl);
    }
    return t.render();
  }

  private static void row(MarkdownTable t, List<ImageEvaluation.Result> cols, String label,
      ToDoubleFunction<ImageEvaluation.Result> f, String format, boolean floorColumn) {
    List<Object> cells = new ArrayList<>(List.of(label));
    for (ImageEvaluation.Result r : cols) {
      double v = f.applyAsDouble(r);
      cells.add(r.reference() && Double.isNaN(v) ? NOT_DEFINED : String.format(Locale.ROOT, format, v));
    }
    if (floorColumn) {
      cells.add("");
    }
    t.row(cells.toArray());
  }

  private static void posteriorRow(MarkdownTable t, List<ImageEvaluation.Result> cols, String label,
      ToDoubleFunction<PosteriorMetrics.Result> f, PosteriorMetrics.Result floor) {
    List<Object> cells = new ArrayList<>(List.of(label));
    for (ImageEvaluation.Result r : cols) {
      cells.add(r.posterior() == null ? "" : String.format(Locale.ROOT, "%.3f", f.applyAsDouble(r.posterior())));
    }
    cells.add(String.format(Locale.ROOT, "%.3f", f.applyAsDouble(floor)));
    t.row(cells.toArray());
  }

  public static String csv(List<ImageEvaluation.Result> results) {
    return csv(results, null);
  }

  /**
   * One row per model; with {@code posterior} (may be null), the posterior metrics and, beside
   * each, its floor ({@code <metric>_floor}). A metric not defined for a reference is empty.
   */
  public static String csv(List<ImageEvaluation.Result> results, PosteriorSummary posterior) {
    List<String> header = new ArrayList<>(List.of("model", "stochastic", "fid", "precision", "recall", "pixel_std",
        "robustness_db", "ai_psnr_db", "consistency_db", "per_input_inputs", "generated_samples"));
    if (posterior != null) {
      header.addAll(List.of("reference", "factor_tv_mean", "factor_tv_mean_floor"));
      for (String name : posterior.posterior().names()) {
        header.addAll(List.of("tv_" + name, "tv_" + name + "_floor"));
      }
      header.addAll(List.of("mode_coverage", "mode_coverage_floor", "collapse_rate", "collapse_rate_floor",
          "marginal_tv_mean", "marginal_tv_mean_floor"));
    }
    List<List<String>> rows = new ArrayList<>();
    for (ImageEvaluation.Result r : ordered(results)) {
      List<String> row = new ArrayList<>(List.of(r.name(), Boolean.toString(r.stochastic()), number(r.fid()),
          number(r.precision()), number(r.recall()), number(r.pixelStd()), number(r.robustness()),
          number(r.aiPsnr()), number(r.consistency()), Integer.toString(r.perInputs()),
          Integer.toString(r.generated())));
      if (posterior != null && r.posterior() != null) {
        PosteriorMetrics.Result p = r.posterior();
        PosteriorMetrics.Result fl = posterior.floor();
        row.add(Boolean.toString(r.reference()));
        pair(row, p.meanTv(), fl.meanTv());
        for (int f = 0; f < p.factorTv().length; f++) {
          pair(row, p.factorTv()[f], fl.factorTv()[f]);
        }
        pair(row, p.coverage(), fl.coverage());
        pair(row, p.collapseRate(), fl.collapseRate());
        pair(row, p.meanMarginalTv(), fl.meanMarginalTv());
      }
      rows.add(row);
    }
    return CsvTable.of(header, rows);
  }

  private static void pair(List<String> row, double value, double floor) {
    row.add(number(value));
    row.add(number(floor));
  }

  private static String number(double v) {
    return CsvTable.number(v);
  }
}
