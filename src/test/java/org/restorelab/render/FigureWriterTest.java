package org.restorelab.render;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.geom.Ellipse2D;
import java.io.ByteArrayInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.imageio.ImageIO;
import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.FigureFormat;

class FigureWriterTest {

  /** A figure using every kind of series, a legend, a log axis and a letterboxed cell. */
  static ChartGrid sample() {
    double[] x = {1, 2, 4, 8};
    double[] y = {0.2, 0.1, 0.05, 0.04};
    return new ChartGrid(1, 2, 320, 260).title("Sample figure\nsecond line")
        .put(0, 0, new XyChart("errors ↓").logX().xLabel("f").yLabel("W2")
            .lineWithErrorBars(x, y, new double[] {0.01, 0.01, 0.005, 0.004}, Palette.BLUE, Marker.CIRCLE, "w2")
            .lineWithMarkers(x, new double[] {0.1, 0.1, 0.1, 0.1}, Palette.ORANGE, Marker.TRIANGLE, "bound")
            .legend())
        .putEqualAspect(0, 1, new XyChart("P = 0.5\nR = 0.25").xRange(-1.1, 1.1).yRange(-1.1, 1.1)
            .region(new Ellipse2D.Double(-1, -1, 2, 2), Palette.GRAY_REGION)
            .line(new double[] {-1, 0, Double.NaN, 1}, new double[] {0, 1, 0, 0}, Palette.GREEN, 1f, null)
            .scatter(new double[] {0.1, 0.2}, new double[] {0.3, -0.4}, Palette.RED, Marker.STAR, 9, "outputs"));
  }

  @Test
  void everyFormatGivesTheSameBytesTwice() throws IOException {
    for (FigureFormat f : FigureFormat.values()) {
      assertThat(FigureWriter.encode(sample(), f, "sample")).as(f.name())
          .isEqualTo(FigureWriter.encode(sample(), f, "sample"));
    }
  }

  @Test
  void thePngHasTheFigureSizeAndNoTimeOrTextChunks() throws IOException {
    ChartGrid grid = sample();
    byte[] png = FigureWriter.encode(grid, FigureFormat.PNG, "sample");
    var image = ImageIO.read(new ByteArrayInputStream(png));
    assertThat(image.getWidth()).isEqualTo(640);
    assertThat(image.getHeight()).isEqualTo(grid.height());
    assertThat(chunkTypes(png)).doesNotContain("tIME", "tEXt", "zTXt", "iTXt").contains("IHDR", "IDAT", "IEND");
  }

  @Test
  void theSvgHasTheFigureSizeTextAndOnlyFixedIds() throws IOException {
    String svg = new String(FigureWriter.encode(sample(), FigureFormat.SVG, "sample"), StandardCharsets.UTF_8);
    assertThat(svg).startsWith("<?xml").contains("width='640.0'", "Sample figure", "errors ↓", "bound");
    Matcher ids = Pattern.compile("id='([^']*)'").matcher(svg);
    List<String> all = new ArrayList<>();
    while (ids.find()) {
      all.add(ids.group(1));
    }
    assertThat(all).isNotEmpty().allMatch(id -> id.matches("restorelabclip-\\d+"));
  }

  @Test
  void thePdfIsOnePageTheSizeOfTheFigureWithoutDates() throws IOException {
    ChartGrid grid = sample();
    byte[] pdf = FigureWriter.encode(grid, FigureFormat.PDF, "sample");
    try (PDDocument doc = Loader.loadPDF(pdf)) {
      assertThat(doc.getNumberOfPages()).isEqualTo(1);
      PDRectangle box = doc.getPage(0).getMediaBox();
      assertThat(box.getWidth()).isEqualTo(640f);
      assertThat(box.getHeight()).isEqualTo((float) grid.height());
      assertThat(doc.getDocumentInformation().getCreationDate()).isNull();
      assertThat(doc.getDocumentInformation().getModificationDate()).isNull();
    }
    assertThat(new String(pdf, StandardCharsets.ISO_8859_1)).doesNotContain("/CreationDate", "/ModDate");
  }

  @Test
  void writesOneFilePerFormatAtomicallyAndNamesTheShownOne(@TempDir Path dir) throws IOException {
    String shown = sample().write(dir.resolve("run"), "fig", FigureFormats.of(List.of(FigureFormat.SVG,
        FigureFormat.PDF)));
    assertThat(shown).isEqualTo("fig.svg");
    try (Stream<Path> files = Files.list(dir.resolve("run"))) {
      assertThat(files.map(p -> p.getFileName().toString()).sorted()).containsExactly("fig.pdf", "fig.svg");
    }
    assertThat(Files.readAllBytes(dir.resolve("run/fig.svg")))
        .isEqualTo(FigureWriter.encode(sample(), FigureFormat.SVG, "fig"));
  }

  @Test
  void aFigureNameThatIsNotAPlainFileNameIsRefused(@TempDir Path dir) {
    for (String bad : new String[] {"../fig", "a/b", ".hidden", ""}) {
      assertThatThrownBy(() -> sample().write(dir, bad, FigureFormats.DEFAULT))
          .hasMessage("figure name: expected a plain file name, got '" + bad + "'");
    }
    assertThat(dir.toFile().list()).isEmpty();
  }

  /** The chunk types of a PNG, in order (8-byte signature, then length, type, data, CRC). */
  private static List<String> chunkTypes(byte[] png) throws IOException {
    DataInputStream in = new DataInputStream(new ByteArrayInputStream(png));
    in.skipNBytes(8);
    List<String> types = new ArrayList<>();
    while (in.available() > 0) {
      int length = in.readInt();
      types.add(new String(in.readNBytes(4), StandardCharsets.US_ASCII));
      in.skipNBytes(length + 4L);
    }
    return types;
  }
}
