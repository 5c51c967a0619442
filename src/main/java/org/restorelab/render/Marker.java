package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/** Point markers; the size passed when drawing is the marker's overall width in pixels. */
public enum Marker {
  /** Filled disk. */
  DOT(true),
  /** Open circle. */
  CIRCLE(false),
  /** Filled five-pointed star, one point up. */
  STAR(true),
  /** Diagonal cross ("x"). */
  CROSS(false),
  /** Filled square. */
  SQUARE(true),
  /** Filled triangle, pointing up. */
  TRIANGLE(true);

  /** Ratio of inner to outer radius of a regular five-pointed star. */
  private static final double STAR_INNER =
      Math.sin(Math.toRadians(18)) / Math.sin(Math.toRadians(54));

  private final boolean filled;

  Marker(boolean filled) {
    this.filled = filled;
  }

  /** Whether the shape is filled; an open marker is stroked instead. */
  public boolean filled() {
    return filled;
  }

  /** The outline of this marker, {@code size} pixels wide, centred on (0, 0) (for JFreeChart's renderers). */
  public Shape shape(double size) {
    return shape(0, 0, size);
  }

  /** Draws this marker centred at pixel {@code (cx, cy)} with the graphics' current colour. */
  void draw(Graphics2D g, double cx, double cy, double size) {
    Shape shape = shape(cx, cy, size);
    if (filled) {
      g.fill(shape);
    } else {
      g.setStroke(new BasicStroke((float) Math.max(1.0, size / 6), BasicStroke.CAP_ROUND,
          BasicStroke.JOIN_ROUND));
      g.draw(shape);
    }
  }

  /** The outline of this marker centred at {@code (cx, cy)} in pixel coordinates. */
  Shape shape(double cx, double cy, double size) {
    double r = size / 2;
    return switch (this) {
      case DOT, CIRCLE -> new Ellipse2D.Double(cx - r, cy - r, size, size);
      case SQUARE -> new Rectangle2D.Double(cx - r, cy - r, size, size);
      case STAR -> star(cx, cy, r * 1.3);
      case CROSS -> cross(cx, cy, r);
      case TRIANGLE -> triangle(cx, cy, r * 1.15);
    };
  }

  private static Shape star(double cx, double cy, double outer) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < 10; i++) {
      double radius = i % 2 == 0 ? outer : outer * STAR_INNER;
      double angle = -Math.PI / 2 + i * Math.PI / 5;
      addVertex(p, i, cx + radius * Math.cos(angle), cy + radius * Math.sin(angle));
    }
    p.closePath();
    return p;
  }

  /** An upward equilateral triangle of circumradius {@code radius}, box centred on (cx, cy). */
  private static Shape triangle(double cx, double cy, double radius) {
    Path2D.Double p = new Path2D.Double();
    double centreY = cy + radius / 4;
    for (int i = 0; i < 3; i++) {
      double angle = -Math.PI / 2 + i * 2 * Math.PI / 3;
      addVertex(p, i, cx + radius * Math.cos(angle), centreY + radius * Math.sin(angle));
    }
    p.closePath();
    return p;
  }

  private static void addVertex(Path2D.Double p, int index, double x, double y) {
    if (index == 0) {
      p.moveTo(x, y);
    } else {
      p.lineTo(x, y);
    }
  }

  private static Shape cross(double cx, double cy, double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(cx - r, cy - r);
    p.lineTo(cx + r, cy + r);
    p.moveTo(cx - r, cy + r);
    p.lineTo(cx + r, cy - r);
    return p;
  }
}
