package org.restorelab.render;

import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.font.LineMetrics;

/** Measuring and placing strings in pixel coordinates. */
final class Text {

  private Text() {}

  /** Advance width of {@code s} in {@code font}. */
  static double width(String s, Font font) {
    return font.getStringBounds(s, Style.FRC).getWidth();
  }

  static double ascent(Font font) {
    return metrics(font).getAscent();
  }

  static double descent(Font font) {
    return metrics(font).getDescent();
  }

  /** Ascent plus descent: the height of one line without leading. */
  static double height(Font font) {
    LineMetrics m = metrics(font);
    return m.getAscent() + m.getDescent();
  }

  /** Height of a digit, used to centre numbers vertically on a tick. */
  static double digitHeight(Font font) {
    return font.createGlyphVector(Style.FRC, "0").getVisualBounds().getHeight();
  }

  /** Draws {@code s} horizontally centred on {@code cx} with its baseline at {@code baseline}. */
  static void drawCentered(Graphics2D g, String s, Font font, double cx, double baseline) {
    g.setFont(font);
    g.drawString(s, (float) (cx - width(s, font) / 2), (float) baseline);
  }

  private static LineMetrics metrics(Font font) {
    return font.getLineMetrics("Xg", Style.FRC);
  }
}
