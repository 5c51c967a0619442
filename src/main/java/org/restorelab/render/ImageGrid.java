package org.restorelab.render;

import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.restorelab.run.AtomicFiles;

/**
 * A grid of equally sized RGB images (HWC floats in [0, 1], clipped), with optional column
 * titles, each cell magnified by an integer factor with nearest-neighbour pixels: the sample
 * grids of training (input, samples, ground truth) and the Figure 1 style grids of evaluation.
 */
public final class ImageGrid {
  private static final int GAP = 2;
  private static final int TITLE = 14;

  private final int height;
  private final int width;
  private final int columns;
  private final int zoom;
  private final List<String> titles;
  private final List<float[]> cells = new ArrayList<>();

  /**
   * @param titles one title per column, or empty for none
   */
  public ImageGrid(int height, int width, int columns, int zoom, List<String> titles) {
    if (!titles.isEmpty() && titles.size() != columns) {
      throw new IllegalArgumentException(columns + " columns but " + titles.size() + " titles");
    }
    this.height = height;
    this.width = width;
    this.columns = columns;
    this.zoom = zoom;
    this.titles = List.copyOf(titles);
  }

  /**
   * The grid whose row i holds image i of each of {@code columns} in order, e.g. (the input, one
   * column per sample or model, the ground truth); each column array is [rows, height, width, 3].
   */
  public static ImageGrid ofRows(int height, int width, int zoom, List<String> titles, List<float[]> columns,
      int rows) {
    ImageGrid grid = new ImageGrid(height, width, columns.size(), zoom, titles);
    int pixels = height * width * 3;
    for (int i = 0; i < rows; i++) {
      for (float[] column : columns) {
        grid.add(column, i * pixels);
      }
    }
    return grid;
  }

  /** Appends the image at {@code offset} of {@code hwc} as the next cell (row by row). */
  public ImageGrid add(float[] hwc, int offset) {
    float[] cell = new float[height * width * 3];
    System.arraycopy(hwc, offset, cell, 0, cell.length);
    cells.add(cell);
    return this;
  }

  public BufferedImage render() {
    int rows = (cells.size() + columns - 1) / columns;
    int top = titles.isEmpty() ? 0 : TITLE;
    int cw = width * zoom;
    int ch = height * zoom;
    BufferedImage out = new BufferedImage(columns * (cw + GAP) + GAP, top + rows * (ch + GAP) + GAP,
        BufferedImage.TYPE_INT_RGB);
    Graphics2D g = out.createGraphics();
    g.setColor(Color.WHITE);
    g.fillRect(0, 0, out.getWidth(), out.getHeight());
    if (!titles.isEmpty()) {
      g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
      g.setColor(Color.BLACK);
      g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 10));
      for (int c = 0; c < columns; c++) {
        g.drawString(titles.get(c), GAP + c * (cw + GAP) + 1, TITLE - 3);
      }
    }
    g.dispose();
    for (int i = 0; i < cells.size(); i++) {
      int x0 = GAP + (i % columns) * (cw + GAP);
      int y0 = top + GAP + (i / columns) * (ch + GAP);
      float[] cell = cells.get(i);
      for (int y = 0; y < ch; y++) {
        for (int x = 0; x < cw; x++) {
          int p = ((y / zoom) * width + x / zoom) * 3;
          out.setRGB(x0 + x, y0 + y, (byte255(cell[p]) << 16) | (byte255(cell[p + 1]) << 8) | byte255(cell[p + 2]));
        }
      }
    }
    return out;
  }

  /** PNG bytes of the grid. */
  public byte[] png() {
    return png(render());
  }

  /** PNG bytes of a rendered image. */
  public static byte[] png(BufferedImage image) {
    try {
      ByteArrayOutputStream bytes = new ByteArrayOutputStream();
      ImageIO.write(image, "png", bytes);
      return bytes.toByteArray();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Writes the grid as a PNG, atomically. */
  public void write(Path file) throws IOException {
    AtomicFiles.write(file, png());
  }

  private static int byte255(float v) {
    return Math.round(Math.max(0, Math.min(1, v)) * 255);
  }
}
