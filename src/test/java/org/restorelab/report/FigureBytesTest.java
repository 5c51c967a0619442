package org.restorelab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.FigureFormat;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.evaluate.IfgsmEvaluation;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.ToyEvaluation;
import org.restorelab.evaluate.posterior.KnownPosterior;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.render.FigureFormats;

/** Every figure of report/, drawn twice from the same results in every format, gives the same bytes. */
class FigureBytesTest {

  private static final FigureFormats ALL = FigureFormats.of(List.of(FigureFormat.values()));

  /** Draws one figure into a folder and returns the name the report embeds. */
  private interface Draw {
    String into(Path dir) throws IOException;
  }

  @Test
  void toyFigure3(@TempDir Path dir) throws IOException {
    List<ToyEvaluation.Result> results = List.of(toy("ErraticGAN", false, 1), toy("StoRobustGAN", true, 2));
    assertSameBytesTwice(d -> ToyFigure3.draw(results, new UnitDisk(), "toy", d, "figure3_toy", ALL),
        "figure3_toy", dir);
  }

  @Test
  void figure4(@TempDir Path dir) throws IOException {
    List<Figure4.Point> points = List.of(new Figure4.Point(2, List.of(image("RobustGAN", 10), image("StoRobustGAN", 8))),
        new Figure4.Point(4, List.of(image("RobustGAN", 20), image("StoRobustGAN", 12))));
    assertSameBytesTwice(d -> Figure4.write(points, "sr", d, "figure4", ALL), "figure4", dir);
  }

  @Test
  void figure8(@TempDir Path dir) throws IOException {
    double[] alpha = {0.5, 1, 2, 4};
    List<IfgsmEvaluation.Curve> curves = List.of(
        new IfgsmEvaluation.Curve("Once", false, alpha, new double[] {30, 28, 25, 20}, new double[] {40, 36, 31, 26}),
        new IfgsmEvaluation.Curve("Twice", true, alpha, new double[] {31, 30, 28, 26}, new double[] {40, 36, 31, 26}));
    assertSameBytesTwice(d -> Figure8.write(curves, "ifgsm", d, "figure8", ALL), "figure8", dir);
  }

  @Test
  void posteriorChart(@TempDir Path dir) throws IOException {
    KnownPosterior posterior = new KnownPosterior(List.of("hair", "glasses"), new int[] {0, 1}, new int[] {3, 2},
        new int[] {-1, -1});
    int[][][] codes = new int[2][20][2];
    SplittableRandom random = new SplittableRandom(1);
    for (int[][] input : codes) {
      for (int[] s : input) {
        s[0] = random.nextInt(3);
        s[1] = random.nextInt(2);
      }
    }
    PosteriorSummary summary = new PosteriorSummary(posterior, "classifier", new double[] {0.9, 0.95}, null, 6,
        List.of(new PosteriorSummary.Example("StoRobustGAN", codes)));
    assertSameBytesTwice(d -> PosteriorChart.write(summary, d, "posterior-factors", ALL), "posterior-factors", dir);
  }

  private static void assertSameBytesTwice(Draw draw, String stem, Path root) throws IOException {
    assertThat(draw.into(root.resolve("a"))).isEqualTo(stem + ".png");
    draw.into(root.resolve("b"));
    List<String> names = list(root.resolve("a"));
    assertThat(names).containsExactly(stem + ".pdf", stem + ".png", stem + ".svg");
    assertThat(list(root.resolve("b"))).isEqualTo(names);
    for (String name : names) {
      assertThat(Files.readAllBytes(root.resolve("b").resolve(name))).as(name)
          .isEqualTo(Files.readAllBytes(root.resolve("a").resolve(name)));
    }
  }

  private static List<String> list(Path dir) throws IOException {
    try (Stream<Path> files = Files.list(dir)) {
      return files.map(p -> p.getFileName().toString()).sorted().toList();
    }
  }

  private static ToyEvaluation.Result toy(String name, boolean stochastic, long seed) {
    Points support = new UnitDisk().sample(500, new SplittableRandom(seed));
    Points scatter = new UnitDisk().sample(50, new SplittableRandom(seed + 10));
    return new ToyEvaluation.Result(name, stochastic, 0.9, 0.5, 1.2, 1.1, 1.0, 0.3, 0.2, support, scatter);
  }

  private static ImageEvaluation.Result image(String name, double fid) {
    return new ImageEvaluation.Result(name, name.startsWith("Sto"), false, fid, 0.7, 0.4, 0.05, 30, 25, 0.01, 8,
        64, 1.5, null, Double.NaN);
  }
}
