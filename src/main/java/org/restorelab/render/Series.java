package org.restorelab.render;

import java.awt.Graphics2D;

/** One layer of a panel, drawn in data coordinates through a {@link Transform}. */
interface Series {

  /** Adds the data extent of this series to {@code bounds}. */
  void addTo(Bounds bounds);

  /** Draws the series; the graphics is already clipped to the plot area. */
  void draw(Graphics2D g, Transform t);

  /** The legend label, or {@code null} when the series is not listed in the legend. */
  default String label() {
    return null;
  }

  /** Draws the legend sample centred at {@code (cx, cy)}, {@code width} pixels wide. */
  default void drawLegendSample(Graphics2D g, double cx, double cy, double width) {}
}
