package org.restorelab.render;

import java.awt.Graphics2D;
import java.util.Locale;

/** The text of one tick label: a decimal number, or a power {@code base^exponent}. */
record TickLabel(String base, String exponent) {

  private static final int MAX_DECIMALS = 8;
  private static final char MINUS = '\u2212';

  /**
   * Labels for {@code ticks}, all with the same number of decimals (the fewest that show every
   * tick exactly); on a log axis, exact powers of two are written as {@code 2^k}.
   */
  static TickLabel[] forTicks(double[] ticks, boolean log) {
    int decimals = decimals(ticks);
    TickLabel[] labels = new TickLabel[ticks.length];
    for (int i = 0; i < ticks.length; i++) {
      labels[i] = log && isPowerOfTwo(ticks[i])
          ? new TickLabel("2", signed(Math.getExponent(ticks[i])))
          : new TickLabel(number(ticks[i], decimals), null);
    }
    return labels;
  }

  /** Widest of {@code labels}, in pixels. */
  static double maxWidth(TickLabel[] labels) {
    double max = 0;
    for (TickLabel label : labels) {
      max = Math.max(max, label.width());
    }
    return max;
  }

  /** Tallest ink extent above the baseline among {@code labels}, in pixels. */
  static double maxAscent(TickLabel[] labels) {
    double max = Text.digitHeight(Style.TICK_FONT);
    for (TickLabel label : labels) {
      max = Math.max(max, label.ascent());
    }
    return max;
  }

  /** Width of the label in tick-label fonts. */
  double width() {
    double w = Text.width(base, Style.TICK_FONT);
    return exponent == null ? w : w + Text.width(exponent, Style.EXPONENT_FONT);
  }

  /** Ink extent above the baseline: digit height, plus the raised exponent if any. */
  double ascent() {
    return exponent == null
        ? Text.digitHeight(Style.TICK_FONT)
        : exponentRaise() + Text.digitHeight(Style.EXPONENT_FONT);
  }

  /** Draws the label with its left end at {@code x} and its baseline at {@code baseline}. */
  void draw(Graphics2D g, double x, double baseline) {
    g.setFont(Style.TICK_FONT);
    g.drawString(base, (float) x, (float) baseline);
    if (exponent != null) {
      g.setFont(Style.EXPONENT_FONT);
      g.drawString(exponent, (float) (x + Text.width(base, Style.TICK_FONT)),
          (float) (baseline - exponentRaise()));
    }
  }

  private static double exponentRaise() {
    return 0.5 * Text.digitHeight(Style.TICK_FONT);
  }

  private static boolean isPowerOfTwo(double v) {
    return v > 0 && v == Math.scalb(1.0, Math.getExponent(v));
  }

  private static int decimals(double[] values) {
    for (int d = 0; d < MAX_DECIMALS; d++) {
      if (allExact(values, d)) {
        return d;
      }
    }
    return MAX_DECIMALS;
  }

  private static boolean allExact(double[] values, int decimals) {
    double scale = Math.pow(10, decimals);
    for (double v : values) {
      double scaled = v * scale;
      if (Math.abs(scaled - Math.rint(scaled)) > 1e-6 * Math.max(1, Math.abs(scaled))) {
        return false;
      }
    }
    return true;
  }

  private static String number(double v, int decimals) {
    return signed(String.format(Locale.ROOT, "%." + decimals + "f", v + 0.0));
  }

  private static String signed(long v) {
    return signed(Long.toString(v));
  }

  private static String signed(String s) {
    return s.startsWith("-") ? MINUS + s.substring(1) : s;
  }
}
