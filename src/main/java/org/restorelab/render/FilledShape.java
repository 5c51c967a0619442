package org.restorelab.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;

/** A region given in data coordinates, filled with one colour. */
final class FilledShape implements Series {

  private final Shape shape;
  private final Color color;

  FilledShape(Shape shape, Color color) {
    this.shape = shape;
    this.color = color;
  }

  @Override
  public void addTo(Bounds bounds) {
    Rectangle2D box = shape.getBounds2D();
    bounds.add(box.getMinX(), box.getMinY());
    bounds.add(box.getMaxX(), box.getMaxY());
  }

  @Override
  public void draw(Graphics2D g, Transform t) {
    g.setColor(color);
    g.fill(t.apply(shape));
  }
}
