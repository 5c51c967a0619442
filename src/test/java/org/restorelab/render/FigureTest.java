package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.awt.Color;
import java.awt.geom.Ellipse2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FigureTest {

  private static final Ellipse2D UNIT_DISK = new Ellipse2D.Double(-1, -1, 2, 2);

  @Test
  void scatterPointIsRedAndDiskAroundItIsGray() {
    Figure fig = new Figure(1, 1, 300, 300);
    fig.panel(0, 0).fillShape(UNIT_DISK, Palette.GRAY_REGION)
        .scatter(new double[] {0.3}, new double[] {0.4}, Palette.RED, Marker.DOT, 10, null);

    BufferedImage image = fig.render();
    Transform t = fig.transform(0, 0);

    Color point = pixel(image, t.x(0.3), t.y(0.4));
    assertThat(point.getRed()).isGreaterThan(180);
    assertThat(point.getGreen()).isLessThan(80);
    assertThat(point.getBlue()).isLessThan(80);
    assertThat(pixel(image, t.x(-0.5), t.y(-0.3))).isEqualTo(Palette.GRAY_REGION);
  }

  @Test
  void seriesAreDrawnInCallOrder() {
    Figure fig = new Figure(1, 1, 300, 300);
    fig.panel(0, 0)
        .scatter(new double[] {0.3}, new double[] {0.4}, Palette.RED, Marker.DOT, 10, null)
        .fillShape(UNIT_DISK, Palette.GRAY_REGION);

    Transform t = fig.transform(0, 0);

    assertThat(pixel(fig.render(), t.x(0.3), t.y(0.4))).isEqualTo(Palette.GRAY_REGION);
  }

  @Test
  void equalAspectGivesACircleEqualWidthAndHeightInPixels() {
    Figure fig = new Figure(1, 1, 500, 260);
    fig.panel(0, 0).fillShape(UNIT_DISK, Palette.GRAY_REGION).equalAspect();

    BufferedImage image = fig.render();
    Transform t = fig.transform(0, 0);

    double width = t.x(1) - t.x(-1);
    double height = t.y(-1) - t.y(1);
    assertThat(width).isGreaterThan(100).isCloseTo(height, within(1e-6));
    int row = (int) t.y(0);
    int col = (int) t.x(0);
    int grayInRow = 0;
    for (int x = 0; x < image.getWidth(); x++) {
      grayInRow += isRegionGray(image, x, row) ? 1 : 0;
    }
    int grayInColumn = 0;
    for (int y = 0; y < image.getHeight(); y++) {
      grayInColumn += isRegionGray(image, col, y) ? 1 : 0;
    }
    assertThat(grayInRow).isCloseTo(grayInColumn, within(1));
  }

  @Test
  void logXMapsPowersOfTwoToEquallySpacedPixels() {
    Figure fig = new Figure(1, 1, 300, 200);
    fig.panel(0, 0).logX().line(new double[] {1, 2, 4}, new double[] {0, 1, 2}, Palette.BLUE,
        1.5f, "series");

    Transform t = fig.transform(0, 0);

    double step = t.x(2) - t.x(1);
    assertThat(step).isGreaterThan(10);
    assertThat(t.x(4) - t.x(2)).isCloseTo(step, within(1e-9));
  }

  @Test
  void autoRangeSkipsNaNPointsAndAddsFivePercentMargins() {
    Figure fig = new Figure(1, 1, 300, 200);
    fig.panel(0, 0).line(new double[] {0, Double.NaN, 1}, new double[] {0, 5, 2}, Palette.BLUE,
        1f, null);

    Transform t = fig.transform(0, 0);

    assertThat(t.xAxis().min()).isCloseTo(-0.05, within(1e-12));
    assertThat(t.xAxis().max()).isCloseTo(1.05, within(1e-12));
    assertThat(t.yAxis().min()).isCloseTo(-0.1, within(1e-12));
    assertThat(t.yAxis().max()).isCloseTo(2.1, within(1e-12));
    assertThat(fig.render()).isNotNull();
  }

  @Test
  void dataIsClippedToThePlotArea() {
    Figure fig = new Figure(1, 1, 300, 200);
    fig.panel(0, 0).xRange(0, 1).yRange(0, 1)
        .scatter(new double[] {1.02}, new double[] {0.5}, Palette.RED, Marker.SQUARE, 8, null);

    Transform t = fig.transform(0, 0);

    assertThat(t.x(1.02)).isGreaterThan(t.area().getMaxX() + 2);
    assertThat(pixel(fig.render(), t.x(1.02), t.y(0.5))).isEqualTo(Color.WHITE);
  }

  @Test
  void writePngWritesAReadableImageAtomically(@TempDir Path dir) throws IOException {
    Figure fig = new Figure(2, 3, 200, 150).title("Figure title");
    fig.panel(0, 0).title("two\nlines").xLabel("x").yLabel("y").fillShape(UNIT_DISK,
        Palette.GRAY_REGION);
    fig.panel(1, 2).logX().lineWithMarkers(new double[] {1, 2, 4}, new double[] {3, 1, 2},
        Palette.ORANGE, Marker.STAR, "a").legend();
    Path file = dir.resolve("out").resolve("figure.png");

    fig.writePng(file);

    BufferedImage read = ImageIO.read(file.toFile());
    assertThat(read.getWidth()).isEqualTo(600);
    assertThat(read.getHeight()).isGreaterThan(300).isEqualTo(fig.render().getHeight());
    try (Stream<Path> files = Files.list(file.getParent())) {
      assertThat(files.map(p -> p.getFileName().toString()).toList())
          .isEqualTo(List.of("figure.png"));
    }
  }

  @Test
  void renderingIsDeterministic(@TempDir Path dir) throws IOException {
    Path first = dir.resolve("a.png");
    Path second = dir.resolve("b.png");

    sampleFigure().writePng(first);
    sampleFigure().writePng(second);

    assertThat(Files.readAllBytes(first)).isEqualTo(Files.readAllBytes(second));
  }

  private static Figure sampleFigure() {
    Figure fig = new Figure(1, 2, 320, 300).title("sample");
    fig.panel(0, 0).title("disk").fillShape(UNIT_DISK, Palette.GRAY_REGION).equalAspect()
        .scatter(new double[] {0, 0.5}, new double[] {0, -0.5}, Palette.RED, Marker.STAR, 10,
            "stars")
        .legend();
    fig.panel(0, 1).logX().xLabel("n").yLabel("metric")
        .line(new double[] {1, 2, 4, 8}, new double[] {1, 3, 2, 4}, Palette.BLUE, 1.5f, "m")
        .errorBars(new double[] {1, 2, 4, 8}, new double[] {1, 3, 2, 4},
            new double[] {0.2, 0.2, 0.3, 0.1}, Palette.BLUE);
    return fig;
  }

  private static Color pixel(BufferedImage image, double x, double y) {
    return new Color(image.getRGB((int) Math.floor(x), (int) Math.floor(y)));
  }

  private static boolean isRegionGray(BufferedImage image, int x, int y) {
    return new Color(image.getRGB(x, y)).equals(Palette.GRAY_REGION);
  }
}
