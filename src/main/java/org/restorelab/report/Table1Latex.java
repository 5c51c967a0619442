package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.metric.PosteriorMetrics;

/**
 * Table 1 as a LaTeX {@code table} with booktabs rules ({@code table1.tex}): the columns of
 * {@link Table1}, the paper's arrows for which direction is better, and the best estimator of
 * each row with an arrow in bold (reference columns and the floor are shown, never bolded).
 * Needs the booktabs package.
 */
public final class Table1Latex {
  private Table1Latex() {}

  private enum Better { HIGHER, LOWER, NEITHER }

  private record Row(String label, Better better, String format, ToDoubleFunction<ImageEvaluation.Result> value,
      Double floor) {}

  /** The table; {@code posterior} (may be null) adds the posterior rows and the floor column. */
  public static String of(List<ImageEvaluation.Result> results, PosteriorSummary posterior) {
    List<ImageEvaluation.Result> cols = Table1.ordered(results);
    List<Row> rows = new ArrayList<>(List.of(
        new Row("FID", Better.LOWER, "%.2f", ImageEvaluation.Result::fid, null),
        new Row("Precision", Better.HIGHER, "%.3f", ImageEvaluation.Result::precision, null),
        new Row("Recall", Better.HIGHER, "%.3f", ImageEvaluation.Result::recall, null),
        new Row("Per-pixel std", Better.HIGHER, "%.4f", ImageEvaluation.Result::pixelStd, null),
        new Row("Robustness (dB)", Better.HIGHER, "%.2f", ImageEvaluation.Result::robustness, null),
        new Row("AI-PSNR (dB)", Better.NEITHER, "%.2f", ImageEvaluation.Result::aiPsnr, null),
        new Row("Consistency (dB)", Better.HIGHER, "%.1f", ImageEvaluation.Result::consistency, null)));
    if (posterior != null) {
      PosteriorMetrics.Result fl = posterior.floor();
      rows.add(posteriorRow("Factor TV", Better.LOWER, PosteriorMetrics.Result::meanTv, fl));
      List<String> names = posterior.posterior().names();
      for (int f = 0; f < names.size(); f++) {
        int j = f;
        rows.add(posteriorRow("TV " + names.get(f), Better.LOWER, m -> m.factorTv()[j], fl));
      }
      rows.add(posteriorRow("Mode coverage", Better.HIGHER, PosteriorMetrics.Result::coverage, fl));
      rows.add(posteriorRow("Collapse rate", Better.LOWER, PosteriorMetrics.Result::collapseRate, fl));
      rows.add(posteriorRow("Marginal factor TV", Better.LOWER, PosteriorMetrics.Result::meanMarginalTv, fl));
    }
    StringBuilder sb = new StringBuilder();
    sb.append("% Table 1 (section 6.1.2), written by restorelab evaluate images; needs \\usepackage{booktabs}\n");
    sb.append("\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{l");
    sb.append("r".repeat(cols.size() + (posterior != null ? 1 : 0))).append("}\n\\toprule\n");
    List<String> header = new ArrayList<>(List.of("Metric"));
    for (ImageEvaluation.Result r : cols) {
      header.add(escape(r.name()) + (r.reference() ? " (ref.)" : ""));
    }
    if (posterior != null) {
      header.add("floor");
    }
    sb.append(String.join(" & ", header)).append(" \\\\\n\\midrule\n");
    for (Row row : rows) {
      double best = best(row, cols);
      List<String> cells = new ArrayList<>(List.of(escape(row.label()) + arrow(row.better())));
      for (ImageEvaluation.Result r : cols) {
        double v = row.value().applyAsDouble(r);
        String cell = Double.isNaN(v) ? "--" : String.format(Locale.ROOT, row.format(), v);
        boolean bold = !r.reference() && row.better() != Better.NEITHER && !Double.isNaN(v)
            && cell.equals(String.format(Locale.ROOT, row.format(), best));
        cells.add(bold ? "\\textbf{" + cell + "}" : cell);
      }
      if (posterior != null) {
        cells.add(row.floor() == null ? "" : String.format(Locale.ROOT, row.format(), row.floor()));
      }
      sb.append(String.join(" & ", cells)).append(" \\\\\n");
    }
    sb.append("\\bottomrule\n\\end{tabular}\n");
    sb.append("\\caption{Table 1 layout: ").append(escape(String.join(", ", cols.stream()
        .map(ImageEvaluation.Result::name).toList()))).append(". Bold: the best estimator per row "
        + "(references excluded); arrows: which direction is better.}\n\\end{table}\n");
    return sb.toString();
  }

  private static Row posteriorRow(String label, Better better, ToDoubleFunction<PosteriorMetrics.Result> f,
      PosteriorMetrics.Result floor) {
    return new Row(label, better, "%.3f", r -> r.posterior() == null ? Double.NaN : f.applyAsDouble(r.posterior()),
        f.applyAsDouble(floor));
  }

  /** The best value of the row among the estimators (not the references); NaN if none. */
  private static double best(Row row, List<ImageEvaluation.Result> cols) {
    double best = Double.NaN;
    for (ImageEvaluation.Result r : cols) {
      double v = row.value().applyAsDouble(r);
      if (r.reference() || Double.isNaN(v)) {
        continue;
      }
      if (Double.isNaN(best) || (row.better() == Better.LOWER ? v < best : v > best)) {
        best = v;
      }
    }
    return best;
  }

  private static String arrow(Better b) {
    return switch (b) {
      case HIGHER -> " $\\uparrow$";
      case LOWER -> " $\\downarrow$";
      case NEITHER -> "";
    };
  }

  /** LaTeX's special characters in text made literal. */
  static String escape(String s) {
    StringBuilder sb = new StringBuilder();
    for (char c : s.toCharArray()) {
      switch (c) {
        case '\\' -> sb.append("\\textbackslash{}");
        case '&', '%', '$', '#', '_', '{', '}' -> sb.append('\\').append(c);
        case '~' -> sb.append("\\textasciitilde{}");
        case '^' -> sb.append("\\textasciicircum{}");
        default -> sb.append(c);
      }
    }
    return sb.toString();
  }
}
