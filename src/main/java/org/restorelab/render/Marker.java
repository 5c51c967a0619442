package org.restorelab.render;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.geom.Rectangle2D;

/**
 * Point markers as shapes centred on the origin, the form JFreeChart's renderers take; the size
 * is the marker's overall width in pixels. JFreeChart has no star, so the shapes are ours.
 */
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

  /** The outline of this marker, {@code size} pixels wide, centred on (0, 0). */
  public Shape shape(double size) {
    double r = size / 2;
    return switch (this) {
      case DOT, CIRCLE -> new Ellipse2D.Double(-r, -r, size, size);
      case SQUARE -> new Rectangle2D.Double(-r, -r, size, size);
      case STAR -> star(r * 1.3);
      case CROSS -> cross(r);
      case TRIANGLE -> triangle(r * 1.15);
    };
  }

  private static Shape star(double outer) {
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < 10; i++) {
      double radius = i % 2 == 0 ? outer : outer * STAR_INNER;
      double angle = -Math.PI / 2 + i * Math.PI / 5;
      addVertex(p, i, radius * Math.cos(angle), radius * Math.sin(angle));
    }
    p.closePath();
    return p;
  }

  /** An upward equilateral triangle of circumradius {@code radius}, its box centred on (0, 0). */
  private static Shape triangle(double radius) {
    Path2D.Double p = new Path2D.Double();
    double centreY = radius / 4;
    for (int i = 0; i < 3; i++) {
      double angle = -Math.PI / 2 + i * 2 * Math.PI / 3;
      addVertex(p, i, radius * Math.cos(angle), centreY + radius * Math.sin(angle));
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

  private static Shape cross(double r) {
    Path2D.Double p = new Path2D.Double();
    p.moveTo(-r, -r);
    p.lineTo(r, r);
    p.moveTo(-r, r);
    p.lineTo(r, -r);
    return p;
  }
}
