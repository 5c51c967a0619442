package org.restorelab.render;

import java.awt.Graphics2D;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.apache.pdfbox.cos.COSArray;
import org.apache.pdfbox.cos.COSName;
import org.apache.pdfbox.cos.COSString;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDPage;
import org.apache.pdfbox.pdmodel.PDPageContentStream;
import org.apache.pdfbox.pdmodel.common.PDRectangle;
import org.jfree.svg.SVGGraphics2D;
import org.restorelab.config.FigureFormat;
import org.restorelab.run.AtomicFiles;

/**
 * Encodes a {@link ChartGrid} as PNG (ImageIO, no time or text chunks), SVG (JFreeSVG, with a
 * fixed id prefix instead of its default from the clock) or PDF (Apache PDFBox through
 * rototor's {@code PdfBoxGraphics2D}, text as outlines, no dates, a file identifier derived
 * from the figure), and writes each file atomically into the run's folder.
 */
final class FigureWriter {

  private static final String ID_PREFIX = "restorelab";

  private FigureWriter() {}

  /** Writes {@code dir/stem.<ext>} per format; returns the name the report embeds. */
  static String write(ChartGrid grid, Path dir, String stem, FigureFormats formats) throws IOException {
    if (stem.isEmpty() || stem.contains("/") || stem.contains("\\") || stem.startsWith(".")) {
      throw new IllegalArgumentException("figure name: expected a plain file name, got '" + stem + "'");
    }
    for (FigureFormat f : formats.list()) {
      byte[] bytes = encode(grid, f, stem);
      AtomicFiles.write(dir.resolve(FigureFormats.fileName(stem, f)), bytes);
    }
    return formats.shown(stem);
  }

  /** The bytes of {@code grid} in {@code format}; {@code name} seeds the PDF's file identifier. */
  static byte[] encode(ChartGrid grid, FigureFormat format, String name) throws IOException {
    return switch (format) {
      case PNG -> png(grid);
      case SVG -> svg(grid);
      case PDF -> pdf(grid, name);
    };
  }

  private static byte[] png(ChartGrid grid) {
    BufferedImage image = new BufferedImage(grid.width(), grid.height(), BufferedImage.TYPE_INT_RGB);
    Graphics2D g = image.createGraphics();
    try {
      grid.draw(g);
    } finally {
      g.dispose();
    }
    return ImageGrid.png(image);
  }

  private static byte[] svg(ChartGrid grid) {
    SVGGraphics2D g = new SVGGraphics2D(grid.width(), grid.height());
    g.setDefsKeyPrefix(ID_PREFIX);
    grid.draw(g);
    return g.getSVGDocument().getBytes(StandardCharsets.UTF_8);
  }

  private static byte[] pdf(ChartGrid grid, String name) throws IOException {
    try (PDDocument document = new PDDocument()) {
      PDRectangle size = new PDRectangle(grid.width(), grid.height());
      var g = new de.rototor.pdfbox.graphics2d.PdfBoxGraphics2D(document, size);
      try {
        grid.draw(g);
      } finally {
        g.dispose();
      }
      PDPage page = new PDPage(size);
      document.addPage(page);
      try (PDPageContentStream content = new PDPageContentStream(document, page)) {
        content.drawForm(g.getXFormObject());
      }
      COSString id = new COSString((ID_PREFIX + "/" + name).getBytes(StandardCharsets.UTF_8));
      COSArray ids = new COSArray();
      ids.add(id);
      ids.add(id);
      document.getDocument().getTrailer().setItem(COSName.ID, ids);
      ByteArrayOutputStream out = new ByteArrayOutputStream();
      document.save(out);
      return out.toByteArray();
    }
  }
}
