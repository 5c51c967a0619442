package org.restorelab.analytic;

import com.google.gson.JsonObject;
import java.awt.Color;
import java.util.Locale;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.data.Points;
import org.restorelab.data.ToyDistribution;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;

/** The two panel kinds of Figures 3 and 5, and shared wording of the toy reports. */
final class ToyFigures {
  private ToyFigures() {}

  static Color color(int i) {
    return Palette.cycle(i);
  }

  /** Top row: the support (gray) and the estimator's output curve, drawn through sorted Y. */
  static XyChart support(String title, ToyDistribution data, Points outputs, Color color) {
    Points curve = outputs.sortedByX1();
    return frame(new XyChart(title), data).region(data.support(), Palette.GRAY_REGION)
        .line(curve.x1(), curve.x2(), color, 1.2f, null);
  }

  /** Bottom row: data samples (gray dots) and estimator outputs (stars), P and R in the title. */
  static XyChart samples(String title, ToyDistribution data, Points real, Points outputs, Color color) {
    return frame(new XyChart(title), data)
        .scatter(real.x1(), real.x2(), Palette.GRAY_POINTS, Marker.DOT, 5, "data")
        .scatter(outputs.x1(), outputs.x2(), color, Marker.STAR, 9, "outputs");
  }

  /** The support's box plus 8% on each side; the grid keeps the aspect equal. */
  private static XyChart frame(XyChart chart, ToyDistribution data) {
    java.awt.geom.Rectangle2D box = data.support().getBounds2D();
    double mx = 0.08 * box.getWidth();
    double my = 0.08 * box.getHeight();
    return chart
        .xRange(box.getMinX() - mx, box.getMaxX() + mx)
        .yRange(box.getMinY() - my, box.getMaxY() + my)
        .xLabel("X(1) = Y").yLabel("X(2)");
  }

  /** The title of a bottom-row panel: precision and recall, mean ± std. */
  static String precisionRecall(PrecisionRecallStudy.Summary summary) {
    return "P = " + summary.precision().format(3) + "\nR = " + summary.recall().format(3);
  }

  /** A number without trailing zeros, e.g. 50 or 0.15. */
  static String number(double v) {
    return v == Math.rint(v) && Math.abs(v) < 1e15
        ? Long.toString((long) v) : String.format(Locale.ROOT, "%s", v);
  }

  /** The precision/recall protocol as JSON. */
  static JsonObject settings(PrecisionRecallConfig config, int repetitions) {
    JsonObject o = new JsonObject();
    o.addProperty("k", config.getK());
    o.addProperty("num_samples", config.getNumSamples());
    o.addProperty("repetitions", repetitions);
    o.addProperty("backend", config.getBackend().name());
    return o;
  }

  /** The precision/recall protocol in words. */
  static String protocol(PrecisionRecallConfig config, int repetitions) {
    return "Precision and recall (Kynkaanniemi et al. 2019, k = " + config.getK()
        + ", no feature projection) between " + config.getNumSamples() + " outputs, each from its own Y, and "
        + config.getNumSamples() + " data samples; mean ± std over " + repetitions
        + " independent repetitions.";
  }
}
