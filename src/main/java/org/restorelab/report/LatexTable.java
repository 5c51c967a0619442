package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A LaTeX {@code table} with booktabs rules whose rows are metrics and whose columns are
 * estimators, as the paper's tables are laid out: each metric's label carries the paper's arrow
 * for which direction is better, and the best value of each row among the cells that compete is
 * in bold (every cell showing the same value as the best, so ties are all bold). Labels, header
 * cells and captions are LaTeX already; {@link #escape} makes plain text literal. Needs the booktabs
 * package.
 */
public final class LatexTable {
  /** Which direction of a metric is better. */
  public enum Better { HIGHER, LOWER, NEITHER }

  /**
   * One cell: {@code value} ranks it (NaN: no value), {@code shown} is its formatted value (the part
   * made bold), {@code suffix} follows it unbolded (e.g. a standard deviation), {@code competes}
   * says whether it may be the row's best (a reference column never is).
   */
  public record Cell(double value, String shown, String suffix, boolean competes) {
    /** A competing value printed with {@code format}, or {@code --} when NaN. */
    public static Cell of(double value, String format) {
      return new Cell(value, Double.isNaN(value) ? "--" : String.format(Locale.ROOT, format, value), "", true);
    }

    /** The same cell, never bold. */
    public Cell reference() {
      return new Cell(value, shown, suffix, false);
    }
  }

  private final String comment;
  private final List<String> header;
  private final StringBuilder body = new StringBuilder();

  /** {@code comment} becomes the first line (a LaTeX comment); {@code header}'s first cell heads the labels. */
  public LatexTable(String comment, List<String> header) {
    this.comment = comment;
    this.header = List.copyOf(header);
  }

  /** A metric's row: the label with the arrow of {@code better}, then the cells, the best in bold. */
  public LatexTable row(String label, Better better, List<Cell> cells) {
    if (cells.size() != header.size() - 1) {
      throw new IllegalArgumentException("row " + label + ": " + cells.size() + " cells, expected " + (header.size() - 1));
    }
    Cell best = null;
    for (Cell c : cells) {
      if (c.competes() && !Double.isNaN(c.value()) && (best == null
          || (better == Better.LOWER ? c.value() < best.value() : c.value() > best.value()))) {
        best = c;
      }
    }
    List<String> texts = new ArrayList<>(List.of(label + arrow(better)));
    for (Cell c : cells) {
      boolean bold = better != Better.NEITHER && best != null && c.competes() && !Double.isNaN(c.value())
          && c.shown().equals(best.shown());
      texts.add((bold ? "\\textbf{" + c.shown() + "}" : c.shown()) + c.suffix());
    }
    body.append(String.join(" & ", texts)).append(" \\\\\n");
    return this;
  }

  /** A heading row spanning the table (e.g. the config the rows below belong to), after a rule. */
  public LatexTable group(String title) {
    if (body.length() > 0) {
      body.append("\\midrule\n");
    }
    body.append("\\multicolumn{").append(header.size()).append("}{l}{").append(title).append("} \\\\\n");
    return this;
  }

  /** A rule between row groups. */
  public LatexTable rule() {
    body.append("\\midrule\n");
    return this;
  }

  /** The whole table with {@code caption}. */
  public String render(String caption) {
    return "% " + comment + "\n"
        + "\\begin{table}[t]\n\\centering\n\\small\n\\begin{tabular}{l" + "r".repeat(header.size() - 1) + "}\n\\toprule\n"
        + String.join(" & ", header) + " \\\\\n\\midrule\n"
        + body
        + "\\bottomrule\n\\end{tabular}\n\\caption{" + caption + "}\n\\end{table}\n";
  }

  /** The paper's arrow after a metric's label: up for higher is better, down for lower. */
  static String arrow(Better b) {
    return switch (b) {
      case HIGHER -> " $\\uparrow$";
      case LOWER -> " $\\downarrow$";
      case NEITHER -> "";
    };
  }

  /** LaTeX's special characters in text made literal. */
  public static String escape(String s) {
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
