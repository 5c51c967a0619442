package org.restorelab.render;

import java.awt.Color;
import java.awt.Graphics2D;

/** Unconnected markers at the data points; NaN points are skipped. */
final class ScatterSeries implements Series {

  /** Legend samples are drawn at the marker size clamped to this range, in pixels. */
  private static final double MIN_LEGEND_SIZE = 5;
  private static final double MAX_LEGEND_SIZE = 12;

  private final double[] x;
  private final double[] y;
  private final Color color;
  private final Marker marker;
  private final double size;
  private final String label;

  /** Markers {@code size} pixels wide; {@code label} may be {@code null}. */
  ScatterSeries(double[] x, double[] y, Color color, Marker marker, double size, String label) {
    this.x = x;
    this.y = y;
    this.color = color;
    this.marker = marker;
    this.size = size;
    this.label = label;
  }

  @Override
  public void addTo(Bounds bounds) {
    for (int i = 0; i < x.length; i++) {
      bounds.add(x[i], y[i]);
    }
  }

  @Override
  public void draw(Graphics2D g, Transform t) {
    g.setColor(color);
    for (int i = 0; i < x.length; i++) {
      if (t.accepts(x[i], y[i])) {
        marker.draw(g, t.x(x[i]), t.y(y[i]), size);
      }
    }
  }

  @Override
  public String label() {
    return label;
  }

  @Override
  public void drawLegendSample(Graphics2D g, double cx, double cy, double sampleWidth) {
    g.setColor(color);
    marker.draw(g, cx, cy, Math.max(MIN_LEGEND_SIZE, Math.min(MAX_LEGEND_SIZE, size)));
  }
}
