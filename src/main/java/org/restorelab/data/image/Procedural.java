package org.restorelab.data.image;

import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.function.IntFunction;
import org.restorelab.run.AtomicFiles;

/** Shared plumbing of the procedural image sets: canvases, downsampling, checks, factor CSVs. */
final class Procedural {
  /** Smallest image side the procedural sets draw. */
  static final int MIN_SIZE = 8;

  private Procedural() {}

  static void checkSize(int imageSize) {
    if (imageSize < MIN_SIZE) {
      throw new IllegalArgumentException(
          "image size must be at least " + MIN_SIZE + ", got " + imageSize);
    }
  }

  static void checkCount(String what, int n) {
    if (n < 0) {
      throw new IllegalArgumentException(what + " must be >= 0, got " + n);
    }
  }

  static void checkIndex(int index, int size, String name) {
    if (index < 0 || index >= size) {
      throw new IndexOutOfBoundsException(
          name + ": index " + index + " out of range [0, " + size + ")");
    }
  }

  static void checkDst(float[] dst, int offset, int pixels) {
    if (offset < 0 || offset > dst.length - pixels) {
      throw new IndexOutOfBoundsException(
          "destination of length " + dst.length + " cannot hold " + pixels + " floats at "
              + offset);
    }
  }

  /** Supersampling factor: draw at size * k, then average k x k blocks (at most 256 wide). */
  static int supersample(int size) {
    return Math.max(2, Math.min(4, 256 / size));
  }

  static BufferedImage canvas(int side) {
    return new BufferedImage(side, side, BufferedImage.TYPE_INT_RGB);
  }

  static Graphics2D graphics(BufferedImage img) {
    Graphics2D g = img.createGraphics();
    g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
    g.setRenderingHint(RenderingHints.KEY_RENDERING, RenderingHints.VALUE_RENDER_QUALITY);
    g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    g.setRenderingHint(
        RenderingHints.KEY_COLOR_RENDERING, RenderingHints.VALUE_COLOR_RENDER_QUALITY);
    return g;
  }

  /** Averages k x k blocks of the (size * k)-wide canvas into HWC floats in [0, 1]. */
  static void boxDownsample(BufferedImage img, int k, int size, float[] dst, int offset) {
    int[] argb = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    int side = size * k;
    float norm = 1f / (255f * k * k);
    for (int y = 0; y < size; y++) {
      for (int x = 0; x < size; x++) {
        int r = 0;
        int gr = 0;
        int b = 0;
        for (int dy = 0; dy < k; dy++) {
          int row = (y * k + dy) * side + x * k;
          for (int dx = 0; dx < k; dx++) {
            int p = argb[row + dx];
            r += (p >>> 16) & 0xff;
            gr += (p >>> 8) & 0xff;
            b += p & 0xff;
          }
        }
        int o = offset + (y * size + x) * 3;
        dst[o] = r * norm;
        dst[o + 1] = gr * norm;
        dst[o + 2] = b * norm;
      }
    }
  }

  /** Packs RGB in [0, 1] (clamped) into an int RGB pixel. */
  static int rgb(double r, double g, double b) {
    return (channel(r) << 16) | (channel(g) << 8) | channel(b);
  }

  private static int channel(double v) {
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }

  static String lower(Enum<?> e) {
    return e.name().toLowerCase(Locale.ROOT);
  }

  /**
   * Writes {@code index,source,<factor columns>} rows (factor values by name) to {@code csv},
   * through a temporary file renamed over the target.
   */
  static void writeFactorsCsv(
      Path csv,
      List<String> factorNames,
      int[] indices,
      IntFunction<String> source,
      IntFunction<List<String>> values)
      throws IOException {
    StringBuilder sb = new StringBuilder("index,source");
    for (String name : factorNames) {
      sb.append(',').append(name);
    }
    sb.append('\n');
    for (int index : indices) {
      sb.append(index).append(',').append(source.apply(index));
      for (String v : values.apply(index)) {
        sb.append(',').append(v);
      }
      sb.append('\n');
    }
    AtomicFiles.writeString(csv, sb.toString());
  }

  /** The number of values of each enum factor type. */
  static int[] cardinalities(List<Class<? extends Enum<?>>> types) {
    int[] card = new int[types.size()];
    for (int j = 0; j < card.length; j++) {
      card[j] = types.get(j).getEnumConstants().length;
    }
    return card;
  }

  /** Lower-case value names of each enum factor type, indexed by code. */
  static List<List<String>> valueNames(List<Class<? extends Enum<?>>> types) {
    List<List<String>> out = new java.util.ArrayList<>();
    for (Class<? extends Enum<?>> type : types) {
      out.add(java.util.Arrays.stream(type.getEnumConstants()).map(Procedural::lower).toList());
    }
    return out;
  }
}
