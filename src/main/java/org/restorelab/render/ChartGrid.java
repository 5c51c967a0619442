package org.restorelab.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.font.FontRenderContext;
import java.awt.font.LineMetrics;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import org.jfree.chart.JFreeChart;

/**
 * A figure: JFreeChart charts laid out as a grid of equal cells, with an optional title band on
 * top, drawn on white onto any {@code Graphics2D} and written by {@link FigureWriter}. Drawing is
 * deterministic: the same charts give the same pixels, SVG and PDF bytes.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless that property is already set.
 */
public final class ChartGrid {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.BOLD, 15);
  private static final FontRenderContext FRC = new FontRenderContext(null, true, true);
  private static final double PAD = 6;

  private final int rows;
  private final int cols;
  private final int cellWidth;
  private final int cellHeight;
  private final JFreeChart[][] charts;
  private List<String> titleLines = List.of();

  /** A {@code rows x cols} grid of cells, each {@code cellWidthPx x cellHeightPx} pixels. */
  public ChartGrid(int rows, int cols, int cellWidthPx, int cellHeightPx) {
    if (rows < 1 || cols < 1 || cellWidthPx < 1 || cellHeightPx < 1) {
      throw new IllegalArgumentException("grid and cell sizes must be positive, got " + rows + "x" + cols
          + " cells of " + cellWidthPx + "x" + cellHeightPx + " px");
    }
    this.rows = rows;
    this.cols = cols;
    this.cellWidth = cellWidthPx;
    this.cellHeight = cellHeightPx;
    this.charts = new JFreeChart[rows][cols];
  }

  /** Sets a figure-wide title ({@code '\n'} separates lines), in a band above the cells. */
  public ChartGrid title(String title) {
    titleLines = List.of(title.split("\n", -1));
    return this;
  }

  /** Puts {@code chart} into cell ({@code row}, {@code col}), zero-based; cells left empty stay blank. */
  public ChartGrid put(int row, int col, XyChart chart) {
    check(row, col);
    charts[row][col] = chart.chart();
    return this;
  }

  /**
   * Puts an x-y chart with fixed ranges into a cell, its plot area shrunk so that a data unit
   * spans as many pixels across as up (a circle stays round).
   */
  public ChartGrid putEqualAspect(int row, int col, XyChart chart) {
    put(row, col, chart);
    EqualAspect.apply(chart.chart(), cellWidth, cellHeight);
    return this;
  }

  /** Width of the figure in pixels (points in a PDF). */
  public int width() {
    return cols * cellWidth;
  }

  /** Height of the figure, title band included. */
  public int height() {
    return rows * cellHeight + titleBand();
  }

  /** Writes the figure as {@code dir/stem.<ext>} in every format; returns the file the report embeds. */
  public String write(Path dir, String stem, FigureFormats formats) throws IOException {
    return FigureWriter.write(this, dir, stem, formats);
  }

  /** Draws the whole figure with its top left corner at (0, 0). */
  public void draw(Graphics2D g) {
    applyHints(g);
    g.setColor(Color.WHITE);
    g.fill(new Rectangle2D.Double(0, 0, width(), height()));
    drawTitle(g);
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (charts[r][c] != null) {
          charts[r][c].draw(g, cell(r, c));
        }
      }
    }
  }

  /** The pixel rectangle of cell ({@code row}, {@code col}) in the figure. */
  public Rectangle2D cell(int row, int col) {
    check(row, col);
    return new Rectangle2D.Double(col * cellWidth, titleBand() + row * cellHeight, cellWidth, cellHeight);
  }

  /** Anti-aliased shapes and text with fractional metrics, as every figure is drawn. */
  static void applyHints(Graphics2D g) {
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
  }

  private void check(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException("no cell (" + row + ", " + col + ") in a " + rows + "x" + cols + " grid");
    }
  }

  private double lineHeight() {
    LineMetrics m = TITLE_FONT.getLineMetrics("Xg", FRC);
    return m.getAscent() + m.getDescent() + m.getLeading();
  }

  private int titleBand() {
    return titleLines.isEmpty() ? 0 : (int) Math.ceil(2 * PAD + titleLines.size() * lineHeight());
  }

  private void drawTitle(Graphics2D g) {
    g.setColor(Color.BLACK);
    g.setFont(TITLE_FONT);
    double baseline = PAD + TITLE_FONT.getLineMetrics("Xg", FRC).getAscent();
    for (String line : titleLines) {
      double w = TITLE_FONT.getStringBounds(line, FRC).getWidth();
      g.drawString(line, (float) ((width() - w) / 2), (float) baseline);
      baseline += lineHeight();
    }
  }
}
