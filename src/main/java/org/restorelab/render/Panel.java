package org.restorelab.render;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * One axes box of a {@link Figure}: a frame with ticks, labels and a title, and data series drawn
 * in call order (so a region added first lies beneath later points), clipped to the plot area.
 * Configure it fluently; every method returns this panel.
 */
public final class Panel {

  private static final float MARKER_LINE_WIDTH = 1.5f;

  private final List<Series> series = new ArrayList<>();
  private List<String> titleLines = List.of();
  private String xLabel;
  private String yLabel;
  private double[] xRange;
  private double[] yRange;
  private boolean equalAspect;
  private boolean logX;
  private boolean legend;

  Panel() {}

  /** Sets the title above the plot; {@code '\n'} separates lines. */
  public Panel title(String title) {
    titleLines = List.of(title.split("\n", -1));
    return this;
  }

  /** Sets the label below the x axis. */
  public Panel xLabel(String label) {
    xLabel = Objects.requireNonNull(label);
    return this;
  }

  /** Sets the label left of the y axis (drawn rotated). */
  public Panel yLabel(String label) {
    yLabel = Objects.requireNonNull(label);
    return this;
  }

  /** Fixes the x range; by default it is the data extent plus a 5% margin on each side. */
  public Panel xRange(double min, double max) {
    xRange = range(min, max);
    return this;
  }

  /** Fixes the y range; by default it is the data extent plus a 5% margin on each side. */
  public Panel yRange(double min, double max) {
    yRange = range(min, max);
    return this;
  }

  /** Uses the same number of data units per pixel on both axes, letterboxing the plot area. */
  public Panel equalAspect() {
    equalAspect = true;
    return this;
  }

  /** Uses a base-2 logarithmic x axis with ticks at powers of two; x values &lt;= 0 are skipped. */
  public Panel logX() {
    logX = true;
    return this;
  }

  /** Fills a region given in data coordinates, e.g. an {@code Ellipse2D} or an {@code Area}. */
  public Panel fillShape(Shape shapeInDataCoords, Color color) {
    series.add(new FilledShape(Objects.requireNonNull(shapeInDataCoords),
        Objects.requireNonNull(color)));
    return this;
  }

  /** Adds a polyline of the given pixel width; NaN points break it. {@code label} may be null. */
  public Panel line(double[] x, double[] y, Color color, float widthPx, String labelOrNull) {
    requireSameLength(x, y);
    series.add(new LineSeries(x.clone(), y.clone(), Objects.requireNonNull(color), widthPx, null,
        labelOrNull));
    return this;
  }

  /** Adds a 1.5 px polyline with a marker at each point. {@code label} may be null. */
  public Panel lineWithMarkers(double[] x, double[] y, Color color, Marker marker,
      String labelOrNull) {
    requireSameLength(x, y);
    series.add(new LineSeries(x.clone(), y.clone(), Objects.requireNonNull(color),
        MARKER_LINE_WIDTH, Objects.requireNonNull(marker), labelOrNull));
    return this;
  }

  /** Adds vertical error bars from {@code y - halfWidth} to {@code y + halfWidth}. */
  public Panel errorBars(double[] x, double[] y, double[] halfWidth, Color color) {
    requireSameLength(x, y);
    requireSameLength(x, halfWidth);
    series.add(new ErrorBarSeries(x.clone(), y.clone(), halfWidth.clone(),
        Objects.requireNonNull(color)));
    return this;
  }

  /** Adds markers {@code sizePx} wide at the points; NaN points are skipped. */
  public Panel scatter(double[] x, double[] y, Color color, Marker marker, double sizePx,
      String labelOrNull) {
    requireSameLength(x, y);
    if (!(sizePx > 0)) {
      throw new IllegalArgumentException("marker size must be positive, got " + sizePx);
    }
    series.add(new ScatterSeries(x.clone(), y.clone(), Objects.requireNonNull(color),
        Objects.requireNonNull(marker), sizePx, labelOrNull));
    return this;
  }

  /** Draws a legend of the labelled series in the upper right corner of the plot area. */
  public Panel legend() {
    legend = true;
    return this;
  }

  /** Draws the panel into {@code cell} (pixels); the graphics should be clipped to the cell. */
  void draw(Graphics2D g, Rectangle2D cell) {
    PanelLayout layout = layout(cell);
    Transform t = layout.transform();
    Graphics2D plot = (Graphics2D) g.create();
    try {
      plot.clip(t.area());
      for (Series s : series) {
        s.draw(plot, t);
      }
    } finally {
      plot.dispose();
    }
    AxesPainter.paint(g, layout, text());
    if (legend) {
      Legend.paint(g, t.area(), series.stream().filter(s -> s.label() != null).toList());
    }
  }

  /** Lays the panel out in {@code cell}: plot area, data-to-pixel transform and ticks. */
  PanelLayout layout(Rectangle2D cell) {
    Bounds bounds = new Bounds(logX);
    series.forEach(s -> s.addTo(bounds));
    Axis x = xRange == null ? bounds.xAxis() : new Axis(xRange[0], xRange[1], logX);
    Axis y = yRange == null ? bounds.yAxis() : new Axis(yRange[0], yRange[1], false);
    return PanelLayout.compute(cell, x, y, text(), equalAspect);
  }

  private PanelText text() {
    return new PanelText(titleLines, xLabel, yLabel);
  }

  private static double[] range(double min, double max) {
    if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
      throw new IllegalArgumentException("range needs finite min < max, got [" + min + ", "
          + max + "]");
    }
    return new double[] {min, max};
  }

  private static void requireSameLength(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs "
          + b.length);
    }
  }
}
