package org.restorelab.analytic;

import com.google.gson.JsonObject;
import java.awt.Color;
import java.util.Arrays;
import java.util.Locale;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.data.Points;
import org.restorelab.data.ToyDistribution;
import org.restorelab.report.Marker;
import org.restorelab.report.Palette;
import org.restorelab.report.Panel;

/** The two panel kinds of Figures 3 and 5, and shared wording of the toy reports. */
final class ToyFigures {
  private ToyFigures() {}

  static Color color(int i) {
    return Palette.cycle(i);
  }

  /** Top row: the support (gray) and the estimator's output curve, drawn through sorted Y. */
  static Panel support(Panel panel, ToyDistribution data, Points outputs, Color color) {
    Integer[] order = new Integer[outputs.size()];
    for (int i = 0; i < order.length; i++) {
      order[i] = i;
    }
    Arrays.sort(order, (a, b) -> Double.compare(outputs.x1()[a], outputs.x1()[b]));
    double[] x = new double[order.length];
    double[] y = new double[order.length];
    for (int i = 0; i < order.length; i++) {
      x[i] = outputs.x1()[order[i]];
      y[i] = outputs.x2()[order[i]];
    }
    return frame(panel, data).fillShape(data.support(), Palette.GRAY_REGION).line(x, y, color, 1.2f, null);
  }

  /** Bottom row: data samples (gray dots) and estimator outputs (stars). */
  static Panel samples(Panel panel, ToyDistribution data, Points real, Points outputs, Color color) {
    return frame(panel, data)
        .scatter(real.x1(), real.x2(), Palette.GRAY_POINTS, Marker.DOT, 5, "data")
        .scatter(outputs.x1(), outputs.x2(), color, Marker.STAR, 9, "outputs");
  }

  private static Panel frame(Panel panel, ToyDistribution data) {
    java.awt.geom.Rectangle2D box = data.support().getBounds2D();
    double mx = 0.08 * box.getWidth();
    double my = 0.08 * box.getHeight();
    return panel.equalAspect()
        .xRange(box.getMinX() - mx, box.getMaxX() + mx)
        .yRange(box.getMinY() - my, box.getMaxY() + my)
        .xLabel("X(1) = Y").yLabel("X(2)");
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
