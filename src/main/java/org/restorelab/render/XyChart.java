package org.restorelab.render;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Shape;
import java.text.DecimalFormat;
import java.text.DecimalFormatSymbols;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.Locale;
import java.util.Objects;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYShapeAnnotation;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.block.ColumnArrangement;
import org.jfree.chart.plot.DatasetRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYErrorRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.text.TextUtils;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.xy.XYDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

/**
 * One JFreeChart x-y chart in the figures' house style (white, framed, no grid, matplotlib-sized
 * fonts), built fluently: each series is a dataset with its own renderer, drawn in call order;
 * regions lie beneath all series. {@link #chart()} gives the library's chart, which
 * {@link ChartGrid} lays out.
 */
public final class XyChart {

  private static final Font TITLE_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 13);
  private static final Font LABEL_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
  private static final Font TICK_FONT = new Font(Font.SANS_SERIF, Font.PLAIN, 11);
  private static final Font LEGEND_FONT = TICK_FONT.deriveFont(10.5f);
  /** The frame and tick marks: 1 px (a thinner crisp-edged line may vanish in an SVG viewer). */
  private static final BasicStroke FRAME = new BasicStroke(1f);
  private static final float MARKER_LINE_WIDTH = 1.5f;
  private static final double LINE_MARKER_SIZE = 6;

  static {
    // rotated labels (the y axis') through drawString, which JFreeSVG writes as <text>, not outlines
    TextUtils.setUseDrawRotatedStringWorkaround(false);
  }

  private final XYPlot plot = new XYPlot();
  private final JFreeChart chart;
  private boolean logX;

  /** A chart titled {@code titleOrNull} ({@code '\n'} separates lines; null for none). */
  public XyChart(String titleOrNull) {
    plot.setDomainAxis(axis(new NumberAxis()));
    plot.setRangeAxis(axis(new NumberAxis()));
    // index 0: no data, only the regions (background annotations); series go to 1, 2, ...
    plot.setDataset(0, new XYSeriesCollection());
    plot.setRenderer(0, new XYLineAndShapeRenderer(false, false));
    plot.setDatasetRenderingOrder(DatasetRenderingOrder.FORWARD);
    plot.setBackgroundPaint(Color.WHITE);
    plot.setOutlinePaint(Color.BLACK);
    plot.setOutlineStroke(FRAME);
    plot.setDomainGridlinesVisible(false);
    plot.setRangeGridlinesVisible(false);
    plot.setAxisOffset(RectangleInsets.ZERO_INSETS);
    chart = new JFreeChart(null, TITLE_FONT, plot, false);
    chart.setBackgroundPaint(Color.WHITE);
    chart.setPadding(new RectangleInsets(4, 4, 4, 8));
    if (titleOrNull != null) {
      chart.setTitle(new TextTitle(titleOrNull, TITLE_FONT));
    }
  }

  /** The library's chart, as built so far. */
  public JFreeChart chart() {
    return chart;
  }

  /** Sets the label below the x axis. */
  public XyChart xLabel(String label) {
    plot.getDomainAxis().setLabel(Objects.requireNonNull(label));
    return this;
  }

  /** Sets the label left of the y axis. */
  public XyChart yLabel(String label) {
    plot.getRangeAxis().setLabel(Objects.requireNonNull(label));
    return this;
  }

  /** Fixes the x range; by default it is the data extent plus 5% on each side. */
  public XyChart xRange(double min, double max) {
    checked(min, max, "x");
    if (logX) {
      plot.getDomainAxis().setRange(checked(log2(min), log2(max), "log2 x"), log2(max));
    } else {
      plot.getDomainAxis().setRange(min, max);
    }
    return this;
  }

  /** Fixes the y range; by default it is the data extent plus 5% on each side. */
  public XyChart yRange(double min, double max) {
    plot.getRangeAxis().setRange(checked(min, max, "y"), max);
    return this;
  }

  /**
   * Uses a base-2 logarithmic x axis, ticks at powers of two written as plain numbers, keeping the
   * label and range; call it before adding series. The axis is linear in log2(x) (x &lt;= 0 is
   * skipped) because JFreeChart's LogAxis draws its tick labels as outlines, not text, in an SVG.
   */
  public XyChart logX() {
    if (plot.getDatasetCount() > 1) {
      throw new IllegalStateException("logX() must come before the series");
    }
    ValueAxis old = plot.getDomainAxis();
    NumberAxis log2 = axis(new NumberAxis(old.getLabel()));
    log2.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
    log2.setNumberFormatOverride(new PowerOfTwoFormat());
    plot.setDomainAxis(log2);
    logX = true;
    if (!old.isAutoRange()) {
      xRange(old.getLowerBound(), old.getUpperBound());
    }
    return this;
  }

  /** Fills a region given in data coordinates (an ellipse, an area, a bar) beneath every series. */
  public XyChart region(Shape shapeInDataCoords, Color color) {
    plot.getRenderer(0).addAnnotation(new XYShapeAnnotation(Objects.requireNonNull(shapeInDataCoords), null,
        null, Objects.requireNonNull(color)), Layer.BACKGROUND);
    return this;
  }

  /** A polyline of the given pixel width; NaN points break it. {@code labelOrNull} names it in the legend. */
  public XyChart line(double[] x, double[] y, Color color, float widthPx, String labelOrNull) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, false);
    r.setDrawSeriesLineAsPath(true);
    r.setSeriesStroke(0, new BasicStroke(widthPx, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    return add(series(x, y, labelOrNull), r, color, labelOrNull);
  }

  /** A 1.5 px polyline with a 6 px marker at each point. */
  public XyChart lineWithMarkers(double[] x, double[] y, Color color, Marker marker, String labelOrNull) {
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(true, true);
    style(r, MARKER_LINE_WIDTH, marker, LINE_MARKER_SIZE);
    return add(series(x, y, labelOrNull), r, color, labelOrNull);
  }

  /** A line with markers and vertical error bars from {@code y - halfWidth} to {@code y + halfWidth}. */
  public XyChart lineWithErrorBars(double[] x, double[] y, double[] halfWidth, Color color, Marker marker,
      String labelOrNull) {
    requireSameLength(x, y);
    requireSameLength(x, halfWidth);
    YIntervalSeries s = new YIntervalSeries(key(labelOrNull), false, true);
    for (int i = 0; i < x.length; i++) {
      s.add(x(x[i]), y[i], y[i] - halfWidth[i], y[i] + halfWidth[i]);
    }
    YIntervalSeriesCollection data = new YIntervalSeriesCollection();
    data.addSeries(s);
    XYErrorRenderer r = new XYErrorRenderer();
    r.setDrawXError(false);
    r.setSeriesLinesVisible(0, true);
    r.setCapLength(6);
    r.setErrorStroke(new BasicStroke(1.2f));
    style(r, MARKER_LINE_WIDTH, marker, LINE_MARKER_SIZE);
    return add(data, r, color, labelOrNull);
  }

  /** Unconnected markers {@code sizePx} wide at the points; NaN points are skipped. */
  public XyChart scatter(double[] x, double[] y, Color color, Marker marker, double sizePx, String labelOrNull) {
    if (!(sizePx > 0)) {
      throw new IllegalArgumentException("marker size must be positive, got " + sizePx);
    }
    XYLineAndShapeRenderer r = new XYLineAndShapeRenderer(false, true);
    style(r, 0, marker, sizePx);
    return add(series(x, y, labelOrNull), r, color, labelOrNull);
  }

  /** A boxed legend of the labelled series in the upper right corner of the plot area. */
  public XyChart legend() {
    LegendTitle legend = new LegendTitle(plot, new ColumnArrangement(), new ColumnArrangement());
    legend.setItemFont(LEGEND_FONT);
    legend.setBackgroundPaint(new Color(255, 255, 255, 220));
    legend.setFrame(new BlockBorder(new Color(0xCCCCCC)));
    legend.setItemLabelPadding(new RectangleInsets(1, 3, 1, 3));
    legend.setMargin(new RectangleInsets(6, 6, 6, 6));
    plot.addAnnotation(new XYTitleAnnotation(1, 1, legend, RectangleAnchor.TOP_RIGHT));
    return this;
  }

  private XyChart add(XYDataset data, XYLineAndShapeRenderer renderer, Color color, String labelOrNull) {
    int index = plot.getDatasetCount();
    renderer.setSeriesPaint(0, Objects.requireNonNull(color));
    renderer.setSeriesVisibleInLegend(0, labelOrNull != null);
    plot.setDataset(index, data);
    plot.setRenderer(index, renderer);
    return this;
  }

  /** Markers: filled ones without outline, open ones stroked in the series colour. */
  private static void style(XYLineAndShapeRenderer r, float lineWidth, Marker marker, double size) {
    r.setSeriesShape(0, marker.shape(size));
    r.setSeriesShapesFilled(0, marker.filled());
    r.setDrawOutlines(!marker.filled());
    r.setUseOutlinePaint(false);
    r.setSeriesOutlineStroke(0, new BasicStroke((float) Math.max(1.0, size / 6)));
    if (lineWidth > 0) {
      r.setSeriesStroke(0, new BasicStroke(lineWidth, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    }
  }

  private XYSeriesCollection series(double[] x, double[] y, String labelOrNull) {
    requireSameLength(x, y);
    XYSeries s = new XYSeries(key(labelOrNull), false, true);
    for (int i = 0; i < x.length; i++) {
      s.add(x(x[i]), y[i], false);
    }
    return new XYSeriesCollection(s);
  }

  /** An x value in axis units: log2(x) on a log axis (NaN for x &lt;= 0), else x. */
  private double x(double x) {
    return logX ? log2(x) : x;
  }

  private static double log2(double v) {
    return v > 0 ? Math.log(v) / Math.log(2) : Double.NaN;
  }

  /** Tick labels of a log2 axis: 2^v as a plain number (0.5, 1, 2, 64). */
  private static final class PowerOfTwoFormat extends NumberFormat {
    private final DecimalFormat plain = new DecimalFormat("0.###", DecimalFormatSymbols.getInstance(Locale.ROOT));

    @Override
    public StringBuffer format(double exponent, StringBuffer to, FieldPosition pos) {
      return to.append(plain.format(Math.pow(2, exponent)));
    }

    @Override
    public StringBuffer format(long exponent, StringBuffer to, FieldPosition pos) {
      return format((double) exponent, to, pos);
    }

    @Override
    public Number parse(String source, ParsePosition pos) {
      throw new UnsupportedOperationException("tick labels are only formatted");
    }
  }

  private static String key(String labelOrNull) {
    return labelOrNull == null ? "" : labelOrNull;
  }

  private static <A extends ValueAxis> A axis(A axis) {
    axis.setLabelFont(LABEL_FONT);
    axis.setTickLabelFont(TICK_FONT);
    axis.setTickMarkOutsideLength(4);
    axis.setAxisLineVisible(false);
    axis.setTickMarkPaint(Color.BLACK);
    axis.setTickMarkStroke(FRAME);
    axis.setTickLabelPaint(Color.BLACK);
    axis.setLabelPaint(Color.BLACK);
    if (axis instanceof NumberAxis number) {
      number.setAutoRangeIncludesZero(false);
      number.setAutoRangeStickyZero(false); // 5% margins also below data that start at 0 (log2 1)
    }
    return axis;
  }

  private static double checked(double min, double max, String axis) {
    if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
      throw new IllegalArgumentException(axis + " range needs finite min < max, got [" + min + ", " + max + "]");
    }
    return min;
  }

  private static void requireSameLength(double[] a, double[] b) {
    if (a.length != b.length) {
      throw new IllegalArgumentException("arrays differ in length: " + a.length + " vs " + b.length);
    }
  }
}
