package org.restorelab.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import org.restorelab.run.AtomicFiles;

/**
 * A figure: a grid of {@link Panel}s of equal pixel size, with an optional title band on top,
 * rendered with Java2D on a white background and written as PNG. Rendering is deterministic: the
 * same figure always gives the same pixels and the same PNG bytes.
 *
 * <p>Loading this class sets {@code java.awt.headless=true} unless that property is already set.
 */
public final class Figure {

  static {
    if (System.getProperty("java.awt.headless") == null) {
      System.setProperty("java.awt.headless", "true");
    }
  }

  private final int rows;
  private final int cols;
  private final int panelWidth;
  private final int panelHeight;
  private final Panel[][] panels;
  private List<String> titleLines = List.of();

  /** A {@code rows x cols} grid of panels, each {@code panelWidthPx x panelHeightPx} pixels. */
  public Figure(int rows, int cols, int panelWidthPx, int panelHeightPx) {
    if (rows < 1 || cols < 1 || panelWidthPx < 1 || panelHeightPx < 1) {
      throw new IllegalArgumentException("grid and panel sizes must be positive");
    }
    this.rows = rows;
    this.cols = cols;
    this.panelWidth = panelWidthPx;
    this.panelHeight = panelHeightPx;
    this.panels = new Panel[rows][cols];
  }

  /** The panel at ({@code row}, {@code col}), zero-based; cells never asked for stay blank. */
  public Panel panel(int row, int col) {
    if (row < 0 || row >= rows || col < 0 || col >= cols) {
      throw new IndexOutOfBoundsException("no panel (" + row + ", " + col + ") in a " + rows
          + "x" + cols + " figure");
    }
    if (panels[row][col] == null) {
      panels[row][col] = new Panel();
    }
    return panels[row][col];
  }

  /**
   * Sets a figure-wide title ({@code '\n'} separates lines), drawn in a band above the panels;
   * the band makes the image taller than {@code rows * panelHeightPx}.
   */
  public Figure title(String supTitle) {
    titleLines = List.of(supTitle.split("\n", -1));
    return this;
  }

  /** Renders the figure to a new RGB image. */
  public BufferedImage render() {
    int band = titleBandHeight();
    BufferedImage image = new BufferedImage(cols * panelWidth, rows * panelHeight + band,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      Style.applyHints(g);
      g.setColor(Color.WHITE);
      g.fillRect(0, 0, image.getWidth(), image.getHeight());
      drawTitle(g, image.getWidth());
      drawPanels(g, band);
    } finally {
      g.dispose();
    }
    return image;
  }

  /** Renders the figure and writes it as PNG to {@code file} atomically (parents are created). */
  public void writePng(Path file) throws IOException {
    BufferedImage image = render();
    AtomicFiles.write(file, out -> encodePng(image, out));
  }

  /** The data-to-pixel transform of a panel as rendered (for tests). */
  Transform transform(int row, int col) {
    return panel(row, col).layout(cell(row, col, titleBandHeight())).transform();
  }

  private void drawPanels(Graphics2D g, int band) {
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < cols; c++) {
        if (panels[r][c] != null) {
          drawPanel(g, panels[r][c], cell(r, c, band));
        }
      }
    }
  }

  private static void drawPanel(Graphics2D g, Panel panel, Rectangle2D cell) {
    Graphics2D pg = (Graphics2D) g.create();
    try {
      pg.clip(cell);
      panel.draw(pg, cell);
    } finally {
      pg.dispose();
    }
  }

  private Rectangle2D cell(int row, int col, int band) {
    return new Rectangle2D.Double(col * panelWidth, band + row * panelHeight, panelWidth,
        panelHeight);
  }

  private int titleBandHeight() {
    if (titleLines.isEmpty()) {
      return 0;
    }
    return (int) Math.ceil(2 * Style.PAD + titleLines.size() * Text.height(Style.SUPTITLE_FONT));
  }

  private void drawTitle(Graphics2D g, int width) {
    g.setColor(Color.BLACK);
    double lineHeight = Text.height(Style.SUPTITLE_FONT);
    double baseline = Style.PAD + Text.ascent(Style.SUPTITLE_FONT);
    for (String line : titleLines) {
      Text.drawCentered(g, line, Style.SUPTITLE_FONT, width / 2.0, baseline);
      baseline += lineHeight;
    }
  }

  private static void encodePng(BufferedImage image, OutputStream out) throws IOException {
    Iterator<ImageWriter> writers = ImageIO.getImageWritersByFormatName("png");
    if (!writers.hasNext()) {
      throw new IOException("no PNG encoder available");
    }
    ImageWriter writer = writers.next();
    try (ImageOutputStream stream = new MemoryCacheImageOutputStream(out)) {
      writer.setOutput(stream);
      writer.write(image);
    } finally {
      writer.dispose();
    }
  }
}
