package org.restorelab.render;

import java.awt.Shape;
import java.awt.geom.AffineTransform;
import java.awt.geom.Path2D;
import java.awt.geom.PathIterator;
import java.awt.geom.Rectangle2D;

/** Maps data coordinates to pixels in a plot area (data y grows upwards, pixel y downwards). */
final class Transform {

  /** Curves are flattened to this fraction of the x span before a nonlinear mapping. */
  private static final double FLATNESS = 1e-4;

  private final Rectangle2D area;
  private final Axis x;
  private final Axis y;

  Transform(Rectangle2D area, Axis x, Axis y) {
    this.area = area;
    this.x = x;
    this.y = y;
  }

  /** The plot area in pixels. */
  Rectangle2D area() {
    return area;
  }

  Axis xAxis() {
    return x;
  }

  Axis yAxis() {
    return y;
  }

  /** Pixel column of data abscissa {@code v}. */
  double x(double v) {
    return area.getMinX() + x.fraction(v) * area.getWidth();
  }

  /** Pixel row of data ordinate {@code v}. */
  double y(double v) {
    return area.getMaxY() - y.fraction(v) * area.getHeight();
  }

  /** True when the point can be placed (finite, positive on a log axis); NaNs are rejected. */
  boolean accepts(double dataX, double dataY) {
    return x.accepts(dataX) && y.accepts(dataY);
  }

  /** The shape mapped to pixels: exactly for linear axes, as a fine polygon otherwise. */
  Shape apply(Shape shape) {
    if (!x.log() && !y.log()) {
      return linear().createTransformedShape(shape);
    }
    PathIterator it = shape.getPathIterator(null, FLATNESS * (x.max() - x.min()));
    Path2D.Double out = new Path2D.Double(it.getWindingRule());
    double[] c = new double[6];
    for (; !it.isDone(); it.next()) {
      int type = it.currentSegment(c);
      if (type == PathIterator.SEG_CLOSE) {
        out.closePath();
      } else if (accepts(c[0], c[1])) {
        addPoint(out, type, x(c[0]), y(c[1]));
      }
    }
    return out;
  }

  private static void addPoint(Path2D.Double out, int type, double px, double py) {
    if (type == PathIterator.SEG_MOVETO || out.getCurrentPoint() == null) {
      out.moveTo(px, py);
    } else {
      out.lineTo(px, py);
    }
  }

  private AffineTransform linear() {
    double sx = area.getWidth() / x.span();
    double sy = -area.getHeight() / y.span();
    return new AffineTransform(sx, 0, 0, sy, area.getMinX() - sx * x.min(),
        area.getMaxY() - sy * y.min());
  }
}
