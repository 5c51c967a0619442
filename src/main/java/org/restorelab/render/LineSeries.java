package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;

/** A polyline through the points in order, optionally with markers; NaN points break it. */
final class LineSeries implements Series {

  /** Marker width used by lines with markers, in pixels. */
  static final double MARKER_SIZE = 6;

  private final double[] x;
  private final double[] y;
  private final Color color;
  private final float width;
  private final Marker marker;
  private final String label;

  /** A line; {@code marker} and {@code label} may be {@code null}. */
  LineSeries(double[] x, double[] y, Color color, float width, Marker marker, String label) {
    this.x = x;
    this.y = y;
    this.color = color;
    this.width = width;
    this.marker = marker;
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
    g.setStroke(stroke());
    g.draw(path(t));
    if (marker != null) {
      for (int i = 0; i < x.length; i++) {
        if (t.accepts(x[i], y[i])) {
          marker.draw(g, t.x(x[i]), t.y(y[i]), MARKER_SIZE);
        }
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
    g.setStroke(stroke());
    g.draw(new Line2D.Double(cx - sampleWidth / 2, cy, cx + sampleWidth / 2, cy));
    if (marker != null) {
      marker.draw(g, cx, cy, MARKER_SIZE);
    }
  }

  private BasicStroke stroke() {
    return new BasicStroke(width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
  }

  private Path2D path(Transform t) {
    Path2D.Double path = new Path2D.Double(Path2D.WIND_NON_ZERO, x.length);
    boolean penDown = false;
    for (int i = 0; i < x.length; i++) {
      if (!t.accepts(x[i], y[i])) {
        penDown = false;
      } else if (penDown) {
        path.lineTo(t.x(x[i]), t.y(y[i]));
      } else {
        path.moveTo(t.x(x[i]), t.y(y[i]));
        penDown = true;
      }
    }
    return path;
  }
}
