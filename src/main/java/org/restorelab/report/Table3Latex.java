package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.report.LatexTable.Better;
import org.restorelab.report.LatexTable.Cell;
import org.restorelab.report.ToyReproduction.ConfigResult;

/**
 * The toy reproduction's Table 3 as a LaTeX {@code table} with booktabs rules ({@code table3.tex},
 * a {@link LatexTable}): one column per estimator, a row with the paper's sqrt(R~) x 1e3, then for
 * each config its sensitivity rows (sqrt(R~) x 1e3 of Eq. 7, the exact sqrt(R) x 1e3 of Eq. 4-5
 * and sqrt(R~) on the exact one's inputs; lower is more robust) and precision and recall (higher
 * is better), the best estimator of each row in bold. With several seeds a cell is the mean
 * +- the sample standard deviation, and the mean decides. Needs the booktabs package.
 */
public final class Table3Latex {
  private static final String R_TILDE = "$\\sqrt{\\tilde R} \\times 10^3$";

  private Table3Latex() {}

  private record Row(String label, Better better, String key) {}

  private static final List<Row> ROWS = List.of(
      new Row(R_TILDE, Better.LOWER, "sensitivity_sqrt_r_tilde_x1e3"),
      new Row("Exact $\\sqrt{R} \\times 10^3$", Better.LOWER, "exact_sensitivity_sqrt_r_x1e3"),
      new Row(R_TILDE + " on the exact one's inputs", Better.LOWER, "sensitivity_sqrt_r_tilde_x1e3_exact_inputs"),
      new Row("Precision", Better.HIGHER, "precision"),
      new Row("Recall", Better.HIGHER, "recall"));

  /** The table of {@code configs} (side by side as row groups; every config has the same estimators in order). */
  public static String of(List<ConfigResult> configs) {
    List<ToyEvaluation.Result> estimators = configs.get(0).results();
    List<String> header = new ArrayList<>(List.of("Metric"));
    estimators.forEach(r -> header.add(LatexTable.escape(r.name())));
    LatexTable table = new LatexTable(
        "Table 3 (section 5), written by restorelab reproduce toy; needs \\usepackage{booktabs}", header);
    List<Cell> paper = new ArrayList<>();
    for (ToyEvaluation.Result r : estimators) {
      Double v = ToyReproduction.PAPER_TABLE3.get(r.name());
      paper.add(Cell.of(v == null ? Double.NaN : v, "%.2f"));
    }
    table.row("Paper: " + R_TILDE, Better.LOWER, paper);
    for (ConfigResult c : configs) {
      int seeds = c.seeds().size();
      table.group("\\emph{" + LatexTable.escape(c.config().getName()) + "}"
          + (seeds > 1 ? " (mean $\\pm$ sample std over " + seeds + " seeds)" : ""));
      for (Row row : ROWS) {
        List<Cell> cells = new ArrayList<>();
        for (int i = 0; i < estimators.size(); i++) {
          ToyReproduction.Spread s = ToyReproduction.spread(c, i, row.key());
          cells.add(new Cell(s.mean(), Double.isNaN(s.mean()) ? "--" : ToyReproduction.fmt(s.mean()),
              s.n() > 1 ? " $\\pm$ " + ToyReproduction.fmt(s.std()) : "", true));
        }
        table.row(row.label(), row.better(), cells);
      }
    }
    return table.render("Table 3 layout: " + R_TILDE + " with $\\epsilon = 10^{-3}$ (Eq. 7) is a sensitivity, "
        + "so lower is more robust (the paper's column says higher is better); the exact $\\sqrt{R}$ of Eq. 4-5 "
        + "on the first validation inputs; precision and recall with $k = 5$. Bold: the best estimator per row; "
        + "arrows: which direction is better.");
  }
}
