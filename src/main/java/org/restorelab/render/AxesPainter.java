package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.util.List;

/** Draws a panel's frame, outward ticks with labels, axis labels and title. */
final class AxesPainter {

  private static final Color INK = Color.BLACK;

  private AxesPainter() {}

  /** Paints the axes decorations of {@code layout}. */
  static void paint(Graphics2D g, PanelLayout layout, PanelText text) {
    Rectangle2D a = layout.transform().area();
    g.setColor(INK);
    g.setStroke(new BasicStroke(1f));
    g.draw(new Rectangle2D.Double(a.getMinX() + 0.5, a.getMinY() + 0.5, a.getWidth() - 1,
        a.getHeight() - 1));
    xTicks(g, layout);
    yTicks(g, layout);
    axisLabels(g, layout, text);
    title(g, a, text.titleLines());
  }

  private static void xTicks(Graphics2D g, PanelLayout layout) {
    Transform t = layout.transform();
    Rectangle2D a = t.area();
    double baseline = a.getMaxY() + PanelLayout.xTickBaselineOffset(layout.xLabels());
    for (int i = 0; i < layout.xTicks().length; i++) {
      double px = t.x(layout.xTicks()[i]);
      double snapped = snap(px, a.getMinX(), a.getMaxX());
      g.draw(new Line2D.Double(snapped, a.getMaxY(), snapped, a.getMaxY() + Style.TICK_LENGTH));
      TickLabel label = layout.xLabels()[i];
      label.draw(g, px - label.width() / 2, baseline);
    }
  }

  private static void yTicks(Graphics2D g, PanelLayout layout) {
    Transform t = layout.transform();
    Rectangle2D a = t.area();
    double right = a.getMinX() - Style.TICK_LENGTH - Style.GAP;
    double centring = Text.digitHeight(Style.TICK_FONT) / 2;
    for (int i = 0; i < layout.yTicks().length; i++) {
      double py = t.y(layout.yTicks()[i]);
      double snapped = snap(py, a.getMinY(), a.getMaxY());
      g.draw(new Line2D.Double(a.getMinX() - Style.TICK_LENGTH, snapped, a.getMinX(), snapped));
      TickLabel label = layout.yLabels()[i];
      label.draw(g, right - label.width(), py + centring);
    }
  }

  /** The centre of the pixel containing {@code p}, kept on the frame's pixels [lo, hi). */
  private static double snap(double p, double lo, double hi) {
    return Math.max(lo + 0.5, Math.min(hi - 0.5, Math.floor(p) + 0.5));
  }

  private static void axisLabels(Graphics2D g, PanelLayout layout, PanelText text) {
    Rectangle2D a = layout.transform().area();
    if (text.xLabel() != null) {
      Text.drawCentered(g, text.xLabel(), Style.LABEL_FONT, a.getCenterX(),
          a.getMaxY() + PanelLayout.xLabelOffset(layout.xLabels()));
    }
    if (text.yLabel() != null) {
      Graphics2D rotated = (Graphics2D) g.create();
      try {
        rotated.translate(a.getMinX() - PanelLayout.yLabelOffset(layout.yLabels()),
            a.getCenterY());
        rotated.rotate(-Math.PI / 2);
        Text.drawCentered(rotated, text.yLabel(), Style.LABEL_FONT, 0, 0);
      } finally {
        rotated.dispose();
      }
    }
  }

  private static void title(Graphics2D g, Rectangle2D a, List<String> lines) {
    double lineHeight = Text.height(Style.TITLE_FONT);
    double baseline = a.getMinY() - 2 * Style.GAP - Text.descent(Style.TITLE_FONT)
        - (lines.size() - 1) * lineHeight;
    for (String line : lines) {
      Text.drawCentered(g, line, Style.TITLE_FONT, a.getCenterX(), baseline);
      baseline += lineHeight;
    }
  }
}
