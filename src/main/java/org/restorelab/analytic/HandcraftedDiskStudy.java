package org.restorelab.analytic;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.HandcraftedDiskConfig;
import org.restorelab.config.SineEstimatorConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.estimator.SineEstimator;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.MarkdownTable;

/**
 * Figure 3's hand-crafted panels (sections 4 and 4.1): X uniform on the unit disk, Y = X(1),
 * and the estimators X_hat_alpha = (Y, sqrt(1 - Y^2) sin(alpha Y)).
 */
public final class HandcraftedDiskStudy {
  public static final String FIGURE = "figure3_handcrafted";

  /** One estimator's precision and recall. */
  public record Row(SineEstimator estimator, PrecisionRecallStudy.Summary summary) {}

  private HandcraftedDiskStudy() {}

  /** Checks the config before any work starts. */
  public static void validate(HandcraftedDiskConfig config) {
    if (config.getEstimatorCount() == 0) {
      throw new org.restorelab.config.ConfigException(
          "analytic.handcrafted.estimator: at least one estimator is needed");
    }
  }

  /** Computes every estimator's precision/recall and draws the figure into {@code dir}. */
  public static Section run(HandcraftedDiskConfig config, long seed, Path dir, FigureFormats formats)
      throws IOException {
    UnitDisk disk = new UnitDisk();
    List<Row> rows = new ArrayList<>();
    for (SineEstimatorConfig e : config.getEstimatorList()) {
      SineEstimator estimator = new SineEstimator(e.getName(), e.getAlpha());
      PrecisionRecallStudy.Summary summary = PrecisionRecallStudy.repeat(disk, estimator,
          config.getPrecisionRecall(), config.getRepetitions(), seed, "handcrafted/" + e.getName());
      rows.add(new Row(estimator, summary));
    }
    String shown = drawFigure(config, seed, disk, rows, dir, formats);
    return new Section(json(config, rows, formats), markdown(config, rows, shown));
  }

  private static String drawFigure(HandcraftedDiskConfig config, long seed, UnitDisk disk,
      List<Row> rows, Path dir, FigureFormats formats) throws IOException {
    ChartGrid figure = new ChartGrid(2, rows.size(), 340, 340)
        .title("Figure 3 (hand-crafted): unit-disk toy problem, Y = X(1)");
    for (int c = 0; c < rows.size(); c++) {
      Row row = rows.get(c);
      String name = row.estimator().name();
      Color color = ToyFigures.color(c);
      double[] ySupport = disk.sampleMeasurements(config.getSupportSamples(),
          org.restorelab.run.Seeds.random(seed, "handcrafted/" + name + "/support"));
      figure.putEqualAspect(0, c, ToyFigures.support(name + " (alpha = "
          + ToyFigures.number(row.estimator().alpha()) + ")", disk, row.estimator().apply(ySupport), color));
      int n = config.getScatterSamples();
      Points data = disk.sample(n, org.restorelab.run.Seeds.random(seed, "handcrafted/scatter/data"));
      Points outputs = row.estimator().apply(disk.sampleMeasurements(n,
          org.restorelab.run.Seeds.random(seed, "handcrafted/" + name + "/scatter")));
      figure.putEqualAspect(1, c, ToyFigures.samples(ToyFigures.precisionRecall(row.summary()), disk, data,
          outputs, color));
    }
    return figure.write(dir, FIGURE, formats);
  }

  private static JsonObject json(HandcraftedDiskConfig config, List<Row> rows, FigureFormats formats) {
    JsonObject o = new JsonObject();
    o.add("precision_recall", ToyFigures.settings(config.getPrecisionRecall(), config.getRepetitions()));
    JsonArray estimators = new JsonArray();
    for (Row row : rows) {
      JsonObject e = new JsonObject();
      e.addProperty("name", row.estimator().name());
      e.addProperty("alpha", row.estimator().alpha());
      e.add("precision", row.summary().precision().toJson());
      e.add("recall", row.summary().recall().toJson());
      estimators.add(e);
    }
    o.add("estimators", estimators);
    o.addProperty("figure", formats.shown(FIGURE));
    return o;
  }

  private static String markdown(HandcraftedDiskConfig config, List<Row> rows, String figure) {
    MarkdownTable table = new MarkdownTable("Estimator", "alpha", "Precision", "Recall");
    for (Row row : rows) {
      table.row(row.estimator().name(), ToyFigures.number(row.estimator().alpha()),
          row.summary().precision().format(3), row.summary().recall().format(3));
    }
    return "## Figure 3, hand-crafted estimators (sections 4, 4.1)\n\n"
        + "X uniform on the unit disk, Y = X(1), X_hat_alpha = (Y, sqrt(1 - Y^2) sin(alpha Y)). "
        + ToyFigures.protocol(config.getPrecisionRecall(), config.getRepetitions()) + "\n\n"
        + table.render() + "\n![Figure 3, hand-crafted panels](" + figure + ")\n\n"
        + "Top row: the support of each estimator's output (" + config.getSupportSamples()
        + " samples, drawn as a line) over the gray disk. Bottom row: " + config.getScatterSamples()
        + " data samples (gray dots) and " + config.getScatterSamples() + " outputs (stars).\n";
  }
}
