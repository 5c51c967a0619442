package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.restorelab.config.FigureFormat;

class ChartGridTest {

  private static final Ellipse2D UNIT_DISK = new Ellipse2D.Double(-1, -1, 2, 2);

  @Test
  void aScatterPointIsDrawnAtItsDataPositionOverTheGrayRegion() {
    XyChart chart = new XyChart("t").xRange(-1.5, 1.5).yRange(-1.5, 1.5)
        .scatter(new double[] {0.3}, new double[] {0.4}, Palette.RED, Marker.DOT, 10, null)
        .region(UNIT_DISK, Palette.GRAY_REGION);
    ChartGrid grid = new ChartGrid(1, 1, 300, 300).put(0, 0, chart);
    BufferedImage image = render(grid);
    Rectangle2D area = EqualAspect.dataArea(chart.chart(), 300, 300);

    // the region was added last, yet lies beneath the point
    Color point = pixel(image, px(area, 0.3), py(area, 0.4));
    assertThat(point.getRed()).isGreaterThan(180);
    assertThat(point.getGreen()).isLessThan(80);
    assertThat(point.getBlue()).isLessThan(80);
    assertThat(pixel(image, px(area, -0.5), py(area, -0.3))).isEqualTo(Palette.GRAY_REGION);
    assertThat(pixel(image, px(area, -1.3), py(area, -1.3))).isEqualTo(Color.WHITE);
  }

  @Test
  void equalAspectDrawsTheUnitDiskAsWideAsHighInAWideCell() {
    XyChart chart = new XyChart(null).xRange(-1.1, 1.1).yRange(-1.1, 1.1).region(UNIT_DISK, Palette.GRAY_REGION);
    ChartGrid grid = new ChartGrid(1, 1, 520, 260).putEqualAspect(0, 0, chart);
    BufferedImage image = render(grid);

    int[] columns = grayExtent(image, true);
    int[] rows = grayExtent(image, false);
    double width = columns[1] - columns[0];
    double height = rows[1] - rows[0];
    assertThat(height).isGreaterThan(150);
    assertThat(width).isCloseTo(height, within(2.0));
  }

  @Test
  void aLogXAxisHasItsTicksAtPowersOfTwoAndTheSvgKeepsTickLabelsAndTheRotatedYLabelAsText() throws IOException {
    double[] x = {1, 2, 4, 8, 16, 32, 64};
    ChartGrid grid = new ChartGrid(1, 1, 420, 300).put(0, 0, new XyChart(null).logX().yLabel("rotated label")
        .lineWithMarkers(x, new double[] {7, 6, 5, 4, 3, 2, 1}, Palette.BLUE, Marker.CIRCLE, null));
    String svg = new String(FigureWriter.encode(grid, FigureFormat.SVG, "log"), StandardCharsets.UTF_8);
    List<String> texts = new ArrayList<>();
    Matcher m = Pattern.compile("<text[^>]*>([^<]*)</text>").matcher(svg);
    while (m.find()) {
      texts.add(m.group(1));
    }
    assertThat(texts).contains("1", "2", "4", "8", "16", "32", "64", "rotated label").doesNotContain("3", "10", "2^1");
  }

  @Test
  void cellsTileTheImageBelowTheTitleBand() {
    ChartGrid grid = new ChartGrid(2, 3, 200, 150).title("one\ntwo");
    assertThat(grid.width()).isEqualTo(600);
    assertThat(grid.height()).isGreaterThan(300);
    int band = grid.height() - 300;
    assertThat(grid.cell(1, 2)).isEqualTo(new Rectangle2D.Double(400, band + 150, 200, 150));
    ChartGrid untitled = new ChartGrid(2, 3, 200, 150);
    assertThat(untitled.height()).isEqualTo(300);
    // two title lines need a taller band than one
    assertThat(band).isGreaterThan(new ChartGrid(1, 1, 10, 10).title("one").height() - 10);
  }

  @Test
  void aCellOutsideTheGridIsRefusedByName() {
    ChartGrid grid = new ChartGrid(1, 2, 100, 100);
    assertThatThrownBy(() -> grid.put(1, 0, new XyChart(null)))
        .isInstanceOf(IndexOutOfBoundsException.class).hasMessage("no cell (1, 0) in a 1x2 grid");
    assertThatThrownBy(() -> new ChartGrid(0, 2, 100, 100)).hasMessageContaining("0x2 cells");
  }

  @Test
  void seriesOfDifferentLengthsAreRefused() {
    assertThatThrownBy(() -> new XyChart(null).line(new double[2], new double[3], Color.BLACK, 1f, null))
        .hasMessage("arrays differ in length: 2 vs 3");
    assertThatThrownBy(() -> new XyChart(null).xRange(1, 1)).hasMessage("x range needs finite min < max, got [1.0, 1.0]");
  }

  static BufferedImage render(ChartGrid grid) {
    BufferedImage image = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    grid.draw(g);
    g.dispose();
    return image;
  }

  private static int px(Rectangle2D area, double x) {
    return (int) Math.round(area.getMinX() + (x + 1.5) / 3 * area.getWidth());
  }

  private static int py(Rectangle2D area, double y) {
    return (int) Math.round(area.getMaxY() - (y + 1.5) / 3 * area.getHeight());
  }

  private static Color pixel(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y));
  }

  /** First and last column (or row) holding a pixel of the region's gray. */
  private static int[] grayExtent(BufferedImage image, boolean columns) {
    int lo = Integer.MAX_VALUE;
    int hi = Integer.MIN_VALUE;
    for (int y = 0; y < image.getHeight(); y++) {
      for (int x = 0; x < image.getWidth(); x++) {
        if (image.getRGB(x, y) == Palette.GRAY_REGION.getRGB()) {
          int v = columns ? x : y;
          lo = Math.min(lo, v);
          hi = Math.max(hi, v);
        }
      }
    }
    return new int[] {lo, hi};
  }
}
