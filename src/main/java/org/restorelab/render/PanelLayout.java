package org.restorelab.render;

import java.awt.Rectangle;
import java.awt.geom.Rectangle2D;

/**
 * Where a panel's parts go inside its cell: the plot area (with its data-to-pixel transform) and
 * the ticks. Margins are sized from the texts so that nothing is clipped.
 */
record PanelLayout(Transform transform, double[] xTicks, double[] yTicks, TickLabel[] xLabels,
    TickLabel[] yLabels) {

  /**
   * Lays out a panel in {@code cell}. With {@code equalAspect} the plot area is shrunk and centred
   * (letterboxed) so that one data unit spans the same number of pixels on both axes.
   */
  static PanelLayout compute(Rectangle2D cell, Axis x, Axis y, PanelText text,
      boolean equalAspect) {
    double[] xTicks = x.ticks();
    double[] yTicks = y.ticks();
    TickLabel[] xLabels = TickLabel.forTicks(xTicks, x.log());
    TickLabel[] yLabels = TickLabel.forTicks(yTicks, false);
    double left = cell.getMinX() + leftMargin(yLabels, text);
    double right = cell.getMaxX() - rightMargin(xLabels);
    double top = cell.getMinY() + topMargin(text);
    double bottom = cell.getMaxY() - bottomMargin(xLabels, text);
    int x0 = (int) Math.round(left);
    int y0 = (int) Math.round(top);
    Rectangle area = new Rectangle(x0, y0, Math.max(1, (int) Math.round(right) - x0),
        Math.max(1, (int) Math.round(bottom) - y0));
    Transform transform = equalAspect ? letterbox(area, x, y) : new Transform(area, x, y);
    return new PanelLayout(transform, xTicks, yTicks, xLabels, yLabels);
  }

  /** Distance from the plot area's left edge to the y axis label's baseline (rotated text). */
  static double yLabelOffset(TickLabel[] yLabels) {
    return Style.TICK_LENGTH + Style.GAP + TickLabel.maxWidth(yLabels) + Style.GAP
        + Text.descent(Style.LABEL_FONT);
  }

  /** Distance from the plot area's bottom edge to the x tick labels' baseline. */
  static double xTickBaselineOffset(TickLabel[] xLabels) {
    return Style.TICK_LENGTH + Style.GAP + TickLabel.maxAscent(xLabels);
  }

  /** Distance from the plot area's bottom edge to the x axis label's baseline. */
  static double xLabelOffset(TickLabel[] xLabels) {
    return xTickBaselineOffset(xLabels) + Style.GAP + Text.ascent(Style.LABEL_FONT);
  }

  private static double leftMargin(TickLabel[] yLabels, PanelText text) {
    double ticks = Style.TICK_LENGTH + Style.GAP + TickLabel.maxWidth(yLabels);
    return text.yLabel() == null
        ? Style.PAD + ticks
        : Style.PAD + yLabelOffset(yLabels) + Text.ascent(Style.LABEL_FONT);
  }

  private static double rightMargin(TickLabel[] xLabels) {
    double overhang = xLabels.length == 0 ? 0 : xLabels[xLabels.length - 1].width() / 2;
    return Math.max(2 * Style.PAD, overhang + Style.PAD);
  }

  private static double topMargin(PanelText text) {
    int lines = text.titleLines().size();
    return lines == 0
        ? 2 * Style.PAD
        : Style.PAD + lines * Text.height(Style.TITLE_FONT) + 2 * Style.GAP;
  }

  private static double bottomMargin(TickLabel[] xLabels, PanelText text) {
    return Style.PAD + (text.xLabel() == null
        ? xTickBaselineOffset(xLabels)
        : xLabelOffset(xLabels) + Text.descent(Style.LABEL_FONT));
  }

  /** Shrinks {@code area} to equal data units per pixel, widening an axis by under a pixel. */
  private static Transform letterbox(Rectangle area, Axis x, Axis y) {
    double unitsPerPixel = Math.max(x.span() / area.width, y.span() / area.height);
    int w = Math.max(1, (int) Math.round(x.span() / unitsPerPixel));
    int h = Math.max(1, (int) Math.round(y.span() / unitsPerPixel));
    double exact = Math.max(x.span() / w, y.span() / h);
    Rectangle box = new Rectangle(area.x + (area.width - w) / 2, area.y + (area.height - h) / 2,
        w, h);
    return new Transform(box, x.widenedTo(exact * w), y.widenedTo(exact * h));
  }
}
