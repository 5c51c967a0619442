package org.restorelab.analytic;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.EllipseRingConfig;
import org.restorelab.data.EllipticRing;
import org.restorelab.data.Points;
import org.restorelab.estimator.RingEstimators;
import org.restorelab.estimator.ToyEstimator;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.MarkdownTable;
import org.restorelab.run.Seeds;

/**
 * Appendix B.1 / Figure 5: with a hole in the support, a continuous, consistent, deterministic
 * estimator trades precision for recall. X_hat_1 avoids the hole; X_hat_2 crosses it.
 */
public final class EllipseRingStudy {
  public static final String FIGURE = "figure5_ellipse";

  /** One estimator's precision, recall, and the fraction of its outputs inside the hole. */
  public record Row(ToyEstimator estimator, PrecisionRecallStudy.Summary summary, double inHole) {}

  private EllipseRingStudy() {}

  public static void validate(EllipseRingConfig config) {
    String p = "analytic.ellipse.";
    try {
      ring(config);
    } catch (IllegalArgumentException e) {
      throw new org.restorelab.config.ConfigException(p + "inner_a/inner_b/outer_a/outer_b: " + e.getMessage());
    }
  }

  static EllipticRing ring(EllipseRingConfig c) {
    return new EllipticRing(c.getOuterA(), c.getOuterB(), c.getInnerA(), c.getInnerB());
  }

  /** The two estimators of Figure 5. */
  static List<ToyEstimator> estimators(EllipseRingConfig c, EllipticRing ring) {
    return List.of(
        RingEstimators.avoidingHole("X_hat_1 (avoids the hole)", ring, c.getAlpha(), c.getRampWidth()),
        RingEstimators.crossingHole("X_hat_2 (crosses the hole)", ring, c.getAlpha()));
  }

  public static Section run(EllipseRingConfig config, long seed, Path dir, FigureFormats formats)
      throws IOException {
    EllipticRing ring = ring(config);
    List<Row> rows = new ArrayList<>();
    int i = 0;
    for (ToyEstimator estimator : estimators(config, ring)) {
      String path = "ellipse/" + (i++);
      PrecisionRecallStudy.Summary summary = PrecisionRecallStudy.repeat(ring, estimator,
          config.getPrecisionRecall(), config.getRepetitions(), seed, path);
      Points support = estimator.apply(ring.sampleMeasurements(config.getSupportSamples(),
          Seeds.random(seed, path + "/support")));
      int holes = 0;
      for (int j = 0; j < support.size(); j++) {
        holes += ring.insideInner(support.x1()[j], support.x2()[j]) ? 1 : 0;
      }
      rows.add(new Row(estimator, summary, holes / (double) support.size()));
    }
    String shown = drawFigure(config, seed, ring, rows, dir, formats);
    return new Section(json(config, rows, shown), markdown(config, rows, shown));
  }

  private static String drawFigure(EllipseRingConfig config, long seed, EllipticRing ring,
      List<Row> rows, Path dir, FigureFormats formats) throws IOException {
    ChartGrid figure = new ChartGrid(2, rows.size(), 380, 300)
        .title("Figure 5 (Appendix B): a hole in the support, continuous deterministic estimators");
    Points data = ring.sample(config.getScatterSamples(), Seeds.random(seed, "ellipse/scatter/data"));
    for (int c = 0; c < rows.size(); c++) {
      Row row = rows.get(c);
      String path = "ellipse/" + c;
      Points support = row.estimator().apply(ring.sampleMeasurements(config.getSupportSamples(),
          Seeds.random(seed, path + "/support")));
      figure.putEqualAspect(0, c, ToyFigures.support(row.estimator().name(), ring, support,
          ToyFigures.color(c + 2)));
      Points outputs = row.estimator().apply(ring.sampleMeasurements(config.getScatterSamples(),
          Seeds.random(seed, path + "/scatter")));
      figure.putEqualAspect(1, c, ToyFigures.samples(ToyFigures.precisionRecall(row.summary()), ring, data,
          outputs, ToyFigures.color(c + 2)));
    }
    return figure.write(dir, FIGURE, formats);
  }

  private static JsonObject json(EllipseRingConfig config, List<Row> rows, String figure) {
    JsonObject o = new JsonObject();
    JsonObject geometry = new JsonObject();
    geometry.addProperty("outer_a", config.getOuterA());
    geometry.addProperty("outer_b", config.getOuterB());
    geometry.addProperty("inner_a", config.getInnerA());
    geometry.addProperty("inner_b", config.getInnerB());
    geometry.addProperty("alpha", config.getAlpha());
    geometry.addProperty("ramp_width", config.getRampWidth());
    o.add("geometry", geometry);
    o.add("precision_recall", ToyFigures.settings(config.getPrecisionRecall(), config.getRepetitions()));
    JsonArray estimators = new JsonArray();
    for (Row row : rows) {
      JsonObject e = new JsonObject();
      e.addProperty("name", row.estimator().name());
      e.add("precision", row.summary().precision().toJson());
      e.add("recall", row.summary().recall().toJson());
      e.addProperty("fraction_of_outputs_in_hole", row.inHole());
      estimators.add(e);
    }
    o.add("estimators", estimators);
    o.addProperty("figure", figure);
    return o;
  }

  private static String markdown(EllipseRingConfig config, List<Row> rows, String figure) {
    MarkdownTable table = new MarkdownTable("Estimator", "Precision", "Recall", "Outputs in the hole");
    for (Row row : rows) {
      table.row(row.estimator().name(), row.summary().precision().format(3),
          row.summary().recall().format(3), String.format(java.util.Locale.ROOT, "%.1f%%", 100 * row.inHole()));
    }
    return "## Figure 5, a hole in the support (Appendix B.1)\n\n"
        + "X uniform between the ellipses with semi-axes (" + ToyFigures.number(config.getOuterA()) + ", "
        + ToyFigures.number(config.getOuterB()) + ") and (" + ToyFigures.number(config.getInnerA()) + ", "
        + ToyFigures.number(config.getInnerB()) + "), Y = X(1). Both estimators are continuous, consistent "
        + "(X_hat(1) = Y) and deterministic, zigzagging with frequency " + ToyFigures.number(config.getAlpha())
        + " between a lower and an upper bound: X_hat_1 stays in the upper band above the hole, X_hat_2 spans "
        + "the full height and passes through the hole. "
        + ToyFigures.protocol(config.getPrecisionRecall(), config.getRepetitions()) + "\n\n"
        + table.render() + "\n![Figure 5](" + figure + ")\n";
  }
}
