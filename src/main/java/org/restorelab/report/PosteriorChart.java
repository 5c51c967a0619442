package org.restorelab.report;

import java.awt.Color;
import java.awt.geom.Rectangle2D;
import java.io.IOException;
import java.nio.file.Path;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.render.ChartGrid;
import org.restorelab.render.FigureFormats;
import org.restorelab.render.Palette;
import org.restorelab.render.XyChart;

/**
 * The posterior metrics per factor, as a chart: one row per model (its first validation inputs
 * left to right), in each panel one group of bars per hidden factor, the empirical distribution
 * of the N samples' classified values (bars) against the true posterior, uniform 1/K_f (black
 * line over the group).
 */
public final class PosteriorChart {
  private PosteriorChart() {}

  /** Draws the chart as {@code dir/stem.<ext>} per format; returns the file the report embeds. */
  public static String write(PosteriorSummary summary, Path dir, String stem, FigureFormats formats)
      throws IOException {
    int rows = summary.examples().size();
    int cols = summary.examples().stream().mapToInt(e -> e.codes().length).max().orElse(1);
    int[] card = summary.posterior().cardinalities();
    String factors = String.join(" | ", summary.posterior().names());
    ChartGrid fig = new ChartGrid(Math.max(rows, 1), Math.max(cols, 1), 420, 210).title(
        "Hidden factors of N samples (bars, classified by " + summary.classifier() + ") vs the true posterior (line)");
    for (int r = 0; r < rows; r++) {
      PosteriorSummary.Example e = summary.examples().get(r);
      for (int i = 0; i < e.codes().length; i++) {
        XyChart p = new XyChart(e.model() + ": validation input " + i).xLabel(factors).yLabel("share");
        int[][] samples = e.codes()[i];
        double x0 = 0;
        for (int f = 0; f < card.length; f++) {
          int[] counts = new int[card[f]];
          for (int[] s : samples) {
            counts[s[f]]++;
          }
          Color color = Palette.cycle(f);
          for (int v = 0; v < card[f]; v++) {
            double share = (double) counts[v] / samples.length;
            p.region(new Rectangle2D.Double(x0 + v - 0.4, 0, 0.8, share), color);
          }
          p.line(new double[] {x0 - 0.5, x0 + card[f] - 0.5}, new double[] {1.0 / card[f], 1.0 / card[f]},
              Color.BLACK, 2f, f == 0 ? "true posterior" : null);
          x0 += card[f] + 1;
        }
        p.xRange(-1, x0 - 1).yRange(0, 1);
        if (r == 0 && i == 0) {
          p.legend();
        }
        fig.put(r, i, p);
      }
    }
    return fig.write(dir, stem, formats);
  }
}
