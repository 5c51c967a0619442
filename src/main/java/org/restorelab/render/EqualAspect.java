package org.restorelab.render;

import java.awt.Graphics2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import org.jfree.chart.ChartRenderingInfo;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.Plot;
import org.jfree.chart.ui.RectangleInsets;

/**
 * Gives an x-y chart the same number of pixels per data unit on both axes, keeping its ranges,
 * as matplotlib's {@code set_aspect('equal')}: the plot area is shrunk about its centre
 * (letterboxed) by widening the plot's insets. JFreeChart has no such option.
 */
final class EqualAspect {

  private EqualAspect() {}

  /** Letterboxes {@code chart}'s plot area for a cell of {@code width x height} pixels. */
  static void apply(JFreeChart chart, double width, double height) {
    Plot plot = chart.getPlot();
    RectangleInsets base = plot.getInsets();
    Rectangle2D area = dataArea(chart, width, height);
    double xSpan = chart.getXYPlot().getDomainAxis().getRange().getLength();
    double ySpan = chart.getXYPlot().getRangeAxis().getRange().getLength();
    double unitsPerPixel = Math.max(xSpan / area.getWidth(), ySpan / area.getHeight());
    double dx = (area.getWidth() - xSpan / unitsPerPixel) / 2;
    double dy = (area.getHeight() - ySpan / unitsPerPixel) / 2;
    plot.setInsets(new RectangleInsets(base.getTop() + dy, base.getLeft() + dx, base.getBottom() + dy,
        base.getRight() + dx));
  }

  /** The plot area, in pixels, of {@code chart} drawn into a cell of the given size. */
  static Rectangle2D dataArea(JFreeChart chart, double width, double height) {
    BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
    Graphics2D g = scratch.createGraphics();
    try {
      ChartGrid.applyHints(g);
      ChartRenderingInfo info = new ChartRenderingInfo();
      chart.draw(g, new Rectangle2D.Double(0, 0, width, height), info);
      return info.getPlotInfo().getDataArea();
    } finally {
      g.dispose();
    }
  }
}
