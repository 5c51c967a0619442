package org.restorelab.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import org.restorelab.data.Points;
import org.restorelab.data.ToyDistribution;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;

/**
 * Figure 3 with every estimator: top row, the support of each output distribution over the gray
 * disk (a line through outputs sorted by y for a deterministic estimator, dense points for a
 * stochastic one); bottom row, data samples (gray) and outputs (stars), precision and recall in
 * the title.
 */
public final class ToyFigure3 {
  private ToyFigure3() {}

  /** Draws the figure as {@code dir/stem.<ext>} per format; returns the file the report embeds. */
  public static String draw(List<ToyEvaluation.Result> results, ToyDistribution data, String title, Path dir,
      String stem, FigureFormats formats) throws IOException {
    ChartGrid figure = new ChartGrid(2, results.size(), 300, 300).title("Figure 3 (" + title + ")");
    Points real = data.sample(100, new java.util.SplittableRandom(3));
    for (int c = 0; c < results.size(); c++) {
      ToyEvaluation.Result r = results.get(c);
      Color color = Palette.cycle(c);
      XyChart top = frame(new XyChart(r.name() + String.format(Locale.ROOT, "\nsqrt(R~)x1e3 = %.2f",
          r.sensitivity()))).region(data.support(), Palette.GRAY_REGION);
      if (r.stochastic()) {
        top.scatter(r.support().x1(), r.support().x2(), color, Marker.DOT, 1.5, null);
      } else {
        Points curve = r.support().sortedByX1();
        top.line(curve.x1(), curve.x2(), color, 1.0f, null);
      }
      figure.putEqualAspect(0, c, top);
      figure.putEqualAspect(1, c, frame(new XyChart(String.format(Locale.ROOT, "P = %.3f\nR = %.3f",
              r.precision(), r.recall())))
          .scatter(real.x1(), real.x2(), Palette.GRAY_POINTS, Marker.DOT, 5, null)
          .scatter(r.scatter().x1(), r.scatter().x2(), color, Marker.STAR, 9, null));
    }
    return figure.write(dir, stem, formats);
  }

  private static XyChart frame(XyChart chart) {
    return chart.xRange(-1.1, 1.1).yRange(-1.1, 1.1).xLabel("X(1) = Y").yLabel("X(2)");
  }
}
