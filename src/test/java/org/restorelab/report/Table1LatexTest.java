package org.restorelab.report;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.evaluate.ImageEvaluation;

/** table1.tex: booktabs rules, arrows, the best estimator per row in bold, references never bold. */
class Table1LatexTest {

  private static ImageEvaluation.Result model(String name, boolean reference, double fid, double recall,
      double robustness) {
    return new ImageEvaluation.Result(name, name.startsWith("Sto"), reference, fid, 0.8, recall, 0.01, robustness,
        32.94, 100, 512, 5000, 1, null, Double.NaN);
  }

  @Test
  void theBestEstimatorOfEachRowIsBoldAndSpecialCharactersAreEscaped() {
    String tex = Table1Latex.of(List.of(
        model("ErraticGAN", false, 520.53, 0.0002, 11.07),
        model("StoRobustGAN", false, 1215.57, 0.3, 33.70),
        model("lambda_R 100 & 50%", false, 800, 0.1, 20),
        model("posterior sampler", true, 6.24, 0.957, Double.NaN)), null);
    assertThat(tex).contains("\\toprule", "\\midrule", "\\bottomrule", "\\begin{tabular}{lrrrr}");
    // columns in the paper's order (StoRobustGAN before ErraticGAN), references last
    assertThat(tex).contains("Metric & StoRobustGAN & ErraticGAN & lambda\\_R 100 \\& 50\\% & posterior sampler (ref.) \\\\");
    // FID: lower is better, and the reference's 6.24 is not an estimator
    assertThat(tex).contains("FID $\\downarrow$ & 1215.57 & \\textbf{520.53} & 800.00 & 6.24 \\\\");
    assertThat(tex).contains("Recall $\\uparrow$ & \\textbf{0.300} & 0.000 & 0.100 & 0.957 \\\\");
    assertThat(tex).contains("Robustness (dB) $\\uparrow$ & \\textbf{33.70} & 11.07 & 20.00 & -- \\\\");
    // no direction: nothing bold; equal displayed values are all bold
    assertThat(tex).contains("AI-PSNR (dB) & 32.94 & 32.94 & 32.94 & 32.94 \\\\");
    assertThat(tex).contains("Precision $\\uparrow$ & \\textbf{0.800} & \\textbf{0.800} & \\textbf{0.800} & 0.800 \\\\");
  }

  @Test
  void escapeMakesEveryLatexSpecialCharacterLiteral() {
    assertThat(LatexTable.escape("a_b&c%d$e#f{g}h~i^j\\k"))
        .isEqualTo("a\\_b\\&c\\%d\\$e\\#f\\{g\\}h\\textasciitilde{}i\\textasciicircum{}j\\textbackslash{}k");
  }
}
