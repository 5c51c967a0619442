package org.restorelab.report;

import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleFunction;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;

/**
 * Figure 4: the super-resolution metrics (FID, precision, recall, per-pixel std, robustness)
 * against the scaling factor, one line per estimator (AI-PSNR is the same for all: one epsilon
 * per scale factor).
 */
public final class Figure4 {
  /** The results of one super-resolution evaluation at one scale factor. */
  public record Point(int scale, List<ImageEvaluation.Result> results) {}

  private Figure4() {}

  /** Draws the figure as {@code dir/stem.<ext>} per format; returns the file the report embeds. */
  public static String write(List<Point> points, String title, Path dir, String stem, FigureFormats formats)
      throws IOException {
    List<Point> sorted = new ArrayList<>(points);
    sorted.sort((a, b) -> Integer.compare(a.scale(), b.scale()));
    Map<String, List<double[]>> byModel = new LinkedHashMap<>();
    for (Point p : sorted) {
      for (ImageEvaluation.Result r : Table1.ordered(p.results())) {
        byModel.computeIfAbsent(r.name(), k -> new ArrayList<>());
      }
    }
    ChartGrid f = new ChartGrid(1, 5, 300, 260).title(title);
    f.put(0, 0, panel("FID ↓", sorted, byModel.keySet(), ImageEvaluation.Result::fid));
    f.put(0, 1, panel("Precision ↑", sorted, byModel.keySet(), ImageEvaluation.Result::precision));
    f.put(0, 2, panel("Recall ↑", sorted, byModel.keySet(), ImageEvaluation.Result::recall));
    f.put(0, 3, panel("Per-pixel std ↑", sorted, byModel.keySet(), ImageEvaluation.Result::pixelStd));
    f.put(0, 4, panel("Robustness ↑ (dB)", sorted, byModel.keySet(), ImageEvaluation.Result::robustness).legend());
    return f.write(dir, stem, formats);
  }

  private static XyChart panel(String metric, List<Point> points, Iterable<String> models,
      ToDoubleFunction<ImageEvaluation.Result> value) {
    XyChart panel = new XyChart(metric).xLabel("scaling factor");
    double lo = points.get(0).scale();
    double hi = points.get(points.size() - 1).scale();
    if (hi > lo) {
      panel.logX().xRange(lo * 0.8, hi * 1.25);
    } else {
      panel.xRange(lo - 1, lo + 1);
    }
    int i = 0;
    for (String model : models) {
      List<Double> xs = new ArrayList<>();
      List<Double> ys = new ArrayList<>();
      for (Point p : points) {
        p.results().stream().filter(r -> r.name().equals(model)).findFirst().ifPresent(r -> {
          xs.add((double) p.scale());
          ys.add(value.applyAsDouble(r));
        });
      }
      Color color = Palette.cycle(i);
      panel.lineWithMarkers(xs.stream().mapToDouble(Double::doubleValue).toArray(),
          ys.stream().mapToDouble(Double::doubleValue).toArray(), color, Figure8.marker(i), model);
      i++;
    }
    return panel;
  }
}
