package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.report.LatexTable.Better;
import org.restorelab.report.LatexTable.Cell;

/**
 * Table 1 as a LaTeX {@code table} with booktabs rules ({@code table1.tex}, a {@link LatexTable}):
 * the columns of {@link Table1}, the paper's arrows for which direction is better, and the best
 * estimator of each row with an arrow in bold (reference columns and the floor are shown, never
 * bolded). Needs the booktabs package.
 */
public final class Table1Latex {
  private Table1Latex() {}

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
    List<String> header = new ArrayList<>(List.of("Metric"));
    for (ImageEvaluation.Result r : cols) {
      header.add(LatexTable.escape(r.name()) + (r.reference() ? " (ref.)" : ""));
    }
    if (posterior != null) {
      header.add("floor");
    }
    LatexTable table = new LatexTable(
        "Table 1 (section 6.1.2), written by restorelab evaluate images; needs \\usepackage{booktabs}", header);
    for (Row row : rows) {
      List<Cell> cells = new ArrayList<>();
      for (ImageEvaluation.Result r : cols) {
        Cell cell = Cell.of(row.value().applyAsDouble(r), row.format());
        cells.add(r.reference() ? cell.reference() : cell);
      }
      if (posterior != null) {
        cells.add(new Cell(Double.NaN, row.floor() == null ? "" : String.format(Locale.ROOT, row.format(), row.floor()),
            "", false));
      }
      table.row(LatexTable.escape(row.label()), row.better(), cells);
    }
    return table.render("Table 1 layout: " + LatexTable.escape(String.join(", ", cols.stream()
        .map(ImageEvaluation.Result::name).toList())) + ". Bold: the best estimator per row "
        + "(references excluded); arrows: which direction is better.");
  }

  private static Row posteriorRow(String label, Better better, ToDoubleFunction<PosteriorMetrics.Result> f,
      PosteriorMetrics.Result floor) {
    return new Row(label, better, "%.3f", r -> r.posterior() == null ? Double.NaN : f.applyAsDouble(r.posterior()),
        f.applyAsDouble(floor));
  }
}
