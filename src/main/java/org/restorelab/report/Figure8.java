package org.restorelab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.restorelab.evaluate.IfgsmEvaluation;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.MarkdownTable;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;

/** Figure 8 (Appendix G): output PSNR and input PSNR against alpha under I-FGSM, one line per model. */
public final class Figure8 {
  private static final Marker[] MARKERS =
      {Marker.CIRCLE, Marker.SQUARE, Marker.TRIANGLE, Marker.CROSS, Marker.STAR, Marker.DOT};

  private Figure8() {}

  /** Draws the figure as {@code dir/stem.<ext>} per format; returns the file the report embeds. */
  public static String write(List<IfgsmEvaluation.Curve> curves, String title, Path dir, String stem,
      FigureFormats formats) throws IOException {
    XyChart out = new XyChart("Output PSNR (dB)").xLabel("alpha (x 1/255)").logX();
    XyChart in = new XyChart("Input PSNR (dB)").xLabel("alpha (x 1/255)").logX();
    for (int i = 0; i < curves.size(); i++) {
      IfgsmEvaluation.Curve c = curves.get(i);
      out.lineWithMarkers(c.alpha255(), c.outputPsnr(), Palette.cycle(i), marker(i), c.name());
      in.lineWithMarkers(c.alpha255(), c.inputPsnr(), Palette.cycle(i), marker(i), c.name());
    }
    return new ChartGrid(1, 2, 360, 280).title(title).put(0, 0, out.legend()).put(0, 1, in)
        .write(dir, stem, formats);
  }

  /** The marker of the {@code i}-th model in Figures 4 and 8 (the colour is {@code Palette.cycle(i)}). */
  static Marker marker(int i) {
    return MARKERS[i % MARKERS.length];
  }

  /** One row per alpha; per model its output and input PSNR. */
  public static String markdown(List<IfgsmEvaluation.Curve> curves) {
    List<String> header = new ArrayList<>(List.of("alpha (x 1/255)"));
    for (IfgsmEvaluation.Curve c : curves) {
      header.add(c.name() + " output PSNR");
      header.add(c.name() + " input PSNR");
    }
    MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
    double[] alphas = curves.get(0).alpha255();
    for (int a = 0; a < alphas.length; a++) {
      List<Object> row = new ArrayList<>(List.of(String.format(Locale.ROOT, "%g", alphas[a])));
      for (IfgsmEvaluation.Curve c : curves) {
        row.add(String.format(Locale.ROOT, "%.2f", c.outputPsnr()[a]));
        row.add(String.format(Locale.ROOT, "%.2f", c.inputPsnr()[a]));
      }
      t.row(row.toArray());
    }
    return t.render();
  }
}
