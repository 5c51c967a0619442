package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/** A boxed list of labelled series in the upper right corner, inside the plot area. */
final class Legend {

  private static final double INSET = 6;
  private static final double SAMPLE_WIDTH = 22;
  private static final double ROW_SPACING = 3;
  private static final double CORNER = 6;
  private static final Color BACKGROUND = new Color(255, 255, 255, 220);
  private static final Color BORDER = new Color(0xCCCCCC);

  private Legend() {}

  /** Paints a legend of {@code entries} (all labelled) in {@code area}; no-op when empty. */
  static void paint(Graphics2D g, Rectangle2D area, List<Series> entries) {
    if (entries.isEmpty()) {
      return;
    }
    double rowHeight = Text.height(Style.LEGEND_FONT) + ROW_SPACING;
    double width = Style.PAD + SAMPLE_WIDTH + 2 * Style.GAP + maxLabelWidth(entries) + Style.PAD;
    double height = 2 * Style.GAP + entries.size() * rowHeight;
    double left = area.getMaxX() - INSET - width;
    double top = area.getMinY() + INSET;
    box(g, new RoundRectangle2D.Double(left, top, width, height, CORNER, CORNER));
    double sampleCentre = left + Style.PAD + SAMPLE_WIDTH / 2;
    double textLeft = left + Style.PAD + SAMPLE_WIDTH + 2 * Style.GAP;
    double rowCentre = top + Style.GAP + rowHeight / 2;
    double baselineShift = Text.digitHeight(Style.LEGEND_FONT) / 2;
    for (Series entry : entries) {
      entry.drawLegendSample(g, sampleCentre, rowCentre, SAMPLE_WIDTH);
      g.setColor(Color.BLACK);
      g.setFont(Style.LEGEND_FONT);
      g.drawString(entry.label(), (float) textLeft, (float) (rowCentre + baselineShift));
      rowCentre += rowHeight;
    }
  }

  private static void box(Graphics2D g, RoundRectangle2D shape) {
    g.setColor(BACKGROUND);
    g.fill(shape);
    g.setColor(BORDER);
    g.setStroke(new BasicStroke(1f));
    g.draw(shape);
  }

  private static double maxLabelWidth(List<Series> entries) {
    double max = 0;
    for (Series entry : entries) {
      max = Math.max(max, Text.width(entry.label(), Style.LEGEND_FONT));
    }
    return max;
  }
}
