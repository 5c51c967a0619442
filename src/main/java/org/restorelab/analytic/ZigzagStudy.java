package org.restorelab.analytic;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;
import java.util.stream.IntStream;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ZigzagConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitSquare;
import org.restorelab.estimator.ZigzagEstimator;
import org.restorelab.metric.MeanStd;
import org.restorelab.metric.Wasserstein2;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.MarkdownTable;
import org.restorelab.render.Marker;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;
import org.restorelab.run.Seeds;

/**
 * Appendix C: X(1), X(2) ~ U(0, 1), Y = X(1), X_hat = (Y, G_f(Y)) with
 * G_f(y) = arccos(cos(2 pi f y)) / pi. W2(p_X, p_X_hat) -> 0 as f grows (Eq. 10).
 *
 * <p>For each f, W2 between n data samples and n outputs is computed by exact optimal transport.
 * Next to it: the finite-sample floor, W2 between two independent n-samples of p_X, and the
 * closed-form Monge bound of Eq. 14: E|X - T0(X)|^2 = E[(U - S)^2] / (4 f^2) = 1 / (24 f^2) for
 * independent U, S ~ U(0, 1), i.e. W2 <= 1 / (2 f sqrt 6).
 */
public final class ZigzagStudy {
  public static final String FIGURE = "appendix_c_w2";

  /** One frequency's W2 over repetitions, and its Monge bound. */
  public record Row(int frequency, MeanStd w2, double mongeBound) {}

  private ZigzagStudy() {}

  public static void validate(ZigzagConfig config) {
    if (config.getFrequencyCount() == 0) {
      throw new ConfigException("analytic.zigzag.frequency: at least one frequency is needed");
    }
  }

  /** The Monge-map bound of Eq. 14 on W2 for frequency f: 1 / (2 f sqrt 6). */
  public static double mongeBound(int f) {
    return 1 / (2 * f * Math.sqrt(6));
  }

  public static Section run(ZigzagConfig config, long seed, Path dir, FigureFormats formats) throws IOException {
    UnitSquare square = new UnitSquare();
    int n = config.getNumSamples();
    int reps = config.getRepetitions();
    int[] freqs = config.getFrequencyList().stream().mapToInt(Integer::intValue).toArray();
    // one task per (frequency, repetition), plus one floor task per repetition (index freqs.length)
    double[][] w2 = new double[freqs.length + 1][reps];
    IntStream.range(0, (freqs.length + 1) * reps).parallel().forEach(task -> {
      int fi = task / reps;
      int r = task % reps;
      double[][] real = square.sample(n, Seeds.random(seed, "zigzag/" + r + "/real")).rows();
      Points other;
      if (fi == freqs.length) {
        other = square.sample(n, Seeds.random(seed, "zigzag/" + r + "/floor"));
      } else {
        double[] y = square.sampleMeasurements(n, Seeds.random(seed, "zigzag/" + r + "/f" + freqs[fi] + "/y"));
        other = new ZigzagEstimator(freqs[fi]).apply(y);
      }
      w2[fi][r] = Wasserstein2.distance(real, other.rows());
    });
    Row[] rows = new Row[freqs.length];
    for (int i = 0; i < freqs.length; i++) {
      rows[i] = new Row(freqs[i], MeanStd.of(w2[i]), mongeBound(freqs[i]));
    }
    MeanStd floor = MeanStd.of(w2[freqs.length]);
    String shown = drawFigure(config, seed, rows, floor, dir, formats);
    return new Section(json(config, rows, floor, shown), markdown(config, rows, floor, shown));
  }

  private static String drawFigure(ZigzagConfig config, long seed, Row[] rows, MeanStd floor, Path dir,
      FigureFormats formats) throws IOException {
    double[] f = new double[rows.length];
    double[] mean = new double[rows.length];
    double[] std = new double[rows.length];
    double[] bound = new double[rows.length];
    double[] floorMean = new double[rows.length];
    double[] floorStd = new double[rows.length];
    for (int i = 0; i < rows.length; i++) {
      f[i] = rows[i].frequency();
      mean[i] = rows[i].w2().mean();
      std[i] = rows[i].w2().std();
      bound[i] = rows[i].mongeBound();
      floorMean[i] = floor.mean();
      floorStd[i] = floor.std();
    }
    ChartGrid figure = new ChartGrid(1, 2, 420, 340)
        .title("Appendix C: W2(p_X, p_X_hat) of the zigzag estimator, n = " + config.getNumSamples());
    figure.put(0, 0, new XyChart("W2 against f (mean ± std over " + config.getRepetitions() + ")")
        .logX().yRange(0, Math.max(max(mean), max(bound)) * 1.1)
        .xLabel("f").yLabel("W2")
        .lineWithErrorBars(f, mean, std, Palette.BLUE, Marker.CIRCLE, "W2(p_X, p_X_hat)")
        .lineWithErrorBars(f, floorMean, floorStd, Palette.GRAY_POINTS, Marker.SQUARE, "floor: W2(p_X, p_X')")
        .lineWithMarkers(f, bound, Palette.ORANGE, Marker.TRIANGLE, "Monge bound 1/(2f sqrt 6)")
        .legend());
    int shown = rows[Math.min(rows.length - 1, 2)].frequency();
    UnitSquare square = new UnitSquare();
    Points data = square.sample(100, Seeds.random(seed, "zigzag/scatter/data"));
    Points outputs = new ZigzagEstimator(shown).apply(
        square.sampleMeasurements(100, Seeds.random(seed, "zigzag/scatter/outputs")));
    Points curve = new ZigzagEstimator(shown).apply(linspace(0, 1, 2001));
    figure.putEqualAspect(0, 1, new XyChart("f = " + shown + ": support and 100 samples")
        .xRange(-0.05, 1.05).yRange(-0.05, 1.05).xLabel("X(1) = Y").yLabel("X(2)")
        .region(square.support(), Palette.GRAY_REGION)
        .line(curve.x1(), curve.x2(), Palette.BLUE, 1f, null)
        .scatter(data.x1(), data.x2(), Palette.GRAY_POINTS, Marker.DOT, 5, "data")
        .scatter(outputs.x1(), outputs.x2(), Palette.BLUE, Marker.STAR, 9, "outputs"));
    return figure.write(dir, FIGURE, formats);
  }

  private static double[] linspace(double a, double b, int n) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = a + (b - a) * i / (n - 1);
    }
    return v;
  }

  private static double max(double[] v) {
    double m = Double.NEGATIVE_INFINITY;
    for (double x : v) {
      m = Math.max(m, x);
    }
    return m;
  }

  private static JsonObject json(ZigzagConfig config, Row[] rows, MeanStd floor, String figure) {
    JsonObject o = new JsonObject();
    o.addProperty("num_samples", config.getNumSamples());
    o.addProperty("repetitions", config.getRepetitions());
    o.addProperty("solver", "exact assignment (Hungarian, O(n^3))");
    JsonArray arr = new JsonArray();
    for (Row row : rows) {
      JsonObject r = new JsonObject();
      r.addProperty("f", row.frequency());
      r.add("w2", row.w2().toJson());
      r.addProperty("monge_bound", row.mongeBound());
      arr.add(r);
    }
    o.add("rows", arr);
    o.add("floor_w2", floor.toJson());
    o.addProperty("figure", figure);
    return o;
  }

  private static String markdown(ZigzagConfig config, Row[] rows, MeanStd floor, String figure) {
    MarkdownTable table = new MarkdownTable("f", "W2(p_X, p_X_hat)", "floor W2(p_X, p_X')",
        "Monge bound 1/(2f sqrt 6)");
    for (Row row : rows) {
      table.row(row.frequency(), row.w2().format(4), floor.format(4),
          String.format(Locale.ROOT, "%.4f", row.mongeBound()));
    }
    return "## Appendix C, W2 of the zigzag estimator against f\n\n"
        + "X(1), X(2) ~ U(0, 1) independent, Y = X(1), X_hat = (Y, G_f(Y)), G_f(y) = arccos(cos(2 pi f y)) / pi. "
        + "W2 between " + config.getNumSamples() + " data samples and " + config.getNumSamples()
        + " outputs, by exact optimal transport (an exact assignment solver), mean ± std over "
        + config.getRepetitions() + " repetitions. The floor is W2 between two independent samples of p_X of "
        + "the same size: no estimator can be told apart from p_X below it at this n. The Monge bound is the "
        + "closed form of Eq. 14 for the map T0 of Eq. 13: W2 <= 1 / (2 f sqrt 6).\n\n"
        + table.render() + "\n![Appendix C](" + figure + ")\n";
  }
}
