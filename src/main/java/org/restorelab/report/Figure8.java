package org.restorelab.report;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.restorelab.evaluate.IfgsmEvaluation;
import org.restorelab.render.Figure;
import org.restorelab.render.MarkdownTable;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.Panel;

/** Figure 8 (Appendix G): output PSNR and input PSNR against alpha under I-FGSM, one line per model. */
public final class Figure8 {
  private Figure8() {}

  public static void write(List<IfgsmEvaluation.Curve> curves, String title, Path file) throws IOException {
    Figure f = new Figure(1, 2, 360, 280).title(title);
    Panel out = f.panel(0, 0).title("Output PSNR (dB)").xLabel("alpha (x 1/255)").logX();
    Panel in = f.panel(0, 1).title("Input PSNR (dB)").xLabel("alpha (x 1/255)").logX();
    Marker[] markers = {Marker.CIRCLE, Marker.SQUARE, Marker.TRIANGLE, Marker.CROSS, Marker.STAR, Marker.DOT};
    for (int i = 0; i < curves.size(); i++) {
      IfgsmEvaluation.Curve c = curves.get(i);
      out.lineWithMarkers(c.alpha255(), c.outputPsnr(), Palette.cycle(i), markers[i % markers.length], c.name());
      in.lineWithMarkers(c.alpha255(), c.inputPsnr(), Palette.cycle(i), markers[i % markers.length], c.name());
    }
    out.legend();
    f.writePng(file);
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
