package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;

/** Vertical error bars {@code y ± halfWidth} with short caps; NaN entries are skipped. */
final class ErrorBarSeries implements Series {

  private static final float LINE_WIDTH = 1.2f;
  private static final double CAP_HALF_WIDTH = 3;

  private final double[] x;
  private final double[] y;
  private final double[] halfWidth;
  private final Color color;

  ErrorBarSeries(double[] x, double[] y, double[] halfWidth, Color color) {
    this.x = x;
    this.y = y;
    this.halfWidth = halfWidth;
    this.color = color;
  }

  @Override
  public void addTo(Bounds bounds) {
    for (int i = 0; i < x.length; i++) {
      bounds.add(x[i], y[i] - halfWidth[i]);
      bounds.add(x[i], y[i] + halfWidth[i]);
    }
  }

  @Override
  public void draw(Graphics2D g, Transform t) {
    g.setColor(color);
    g.setStroke(new BasicStroke(LINE_WIDTH, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER));
    for (int i = 0; i < x.length; i++) {
      double lo = y[i] - halfWidth[i];
      double hi = y[i] + halfWidth[i];
      if (t.accepts(x[i], lo) && t.accepts(x[i], hi)) {
        drawBar(g, t.x(x[i]), t.y(lo), t.y(hi));
      }
    }
  }

  private static void drawBar(Graphics2D g, double px, double bottom, double top) {
    g.draw(new Line2D.Double(px, bottom, px, top));
    g.draw(new Line2D.Double(px - CAP_HALF_WIDTH, bottom, px + CAP_HALF_WIDTH, bottom));
    g.draw(new Line2D.Double(px - CAP_HALF_WIDTH, top, px + CAP_HALF_WIDTH, top));
  }
}
