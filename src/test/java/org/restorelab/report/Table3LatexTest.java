package org.restorelab.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.restorelab.report.Table3Fixtures.config;
import static org.restorelab.report.Table3Fixtures.result;

import java.util.List;
import org.junit.jupiter.api.Test;

/** table3.tex: booktabs rules, the arrows, the best estimator per row in bold, LaTeX specials escaped. */
class Table3LatexTest {

  @Test
  void eachRowBoldsItsBestEstimatorUnderItsArrowAndNamesAreEscaped() {
    String tex = Table3Latex.of(List.of(
        config("toy_paper-literal", List.of(List.of(
            result("X_hat_Robust", 1.0, 0.026, 0.312, 0.284, 0.792),
            result("ErraticGAN", 0.989, 0.435, 3.514, 3.137, 123.4),
            result("StoErraticGAN", 1.0, 0.813, 0.139, 0.144, 0.378),
            result("lambda_R 100 & 50%", 0.5, 0.9, 2.0, 0.1, 1.5)))),
        config("effective", List.of(List.of(
            result("X_hat_Robust", 1.0, 0.026, 0.866, 0.791, 0.792),
            result("ErraticGAN", 0.989, 0.435, 9.689, 8.658, 8.773),
            result("StoErraticGAN", 1.0, 0.813, 0.386, 0.397, 0.378),
            result("lambda_R 100 & 50%", 0.5, 0.9, 5.0, 5.0, 5.0))))));

    assertThat(tex).startsWith("% Table 3").contains("\\begin{tabular}{lrrrr}", "\\toprule", "\\bottomrule",
        "\\end{table}");
    assertThat(tex).contains(
        "Metric & X\\_hat\\_Robust & ErraticGAN & StoErraticGAN & lambda\\_R 100 \\& 50\\% \\\\\n\\midrule\n");
    // the paper's numbers: only its GANs have one, the lowest is bold
    assertThat(tex).contains("Paper: $\\sqrt{\\tilde R} \\times 10^3$ $\\downarrow$ & -- & 3.62 & \\textbf{0.13} & -- \\\\");
    // each config is a group; the second one after a rule
    assertThat(tex).contains("\\multicolumn{5}{l}{\\emph{toy\\_paper-literal}} \\\\\n");
    assertThat(tex).contains("\\midrule\n\\multicolumn{5}{l}{\\emph{effective}} \\\\\n");
    // sensitivities: lower is better; three decimals below 100, none above
    assertThat(tex).contains("$\\sqrt{\\tilde R} \\times 10^3$ $\\downarrow$ & 0.312 & 3.514 & \\textbf{0.139} & 2.000 \\\\");
    assertThat(tex).contains("Exact $\\sqrt{R} \\times 10^3$ $\\downarrow$ & 0.792 & 123 & \\textbf{0.378} & 1.500 \\\\");
    assertThat(tex).contains("$\\sqrt{\\tilde R} \\times 10^3$ on the exact one's inputs $\\downarrow$ & 0.284 & 3.137 & 0.144 & \\textbf{0.100} \\\\");
    // precision: higher is better, the tie is bold twice
    assertThat(tex).contains("Precision $\\uparrow$ & \\textbf{1.000} & 0.989 & \\textbf{1.000} & 0.500 \\\\");
    assertThat(tex).contains("Recall $\\uparrow$ & 0.026 & 0.435 & 0.813 & \\textbf{0.900} \\\\");
    // the second config's own best
    assertThat(tex).contains("$\\sqrt{\\tilde R} \\times 10^3$ $\\downarrow$ & 0.866 & 9.689 & \\textbf{0.386} & 5.000 \\\\");
    assertThat(tex.lines().filter(l -> l.contains("\\textbf")).count()).isEqualTo(11);
  }

  @Test
  void severalSeedsShowMeanAndSampleStdAndTheMeanDecides() {
    String tex = Table3Latex.of(List.of(config("seeds", List.of(
        List.of(result("ErraticGAN", 0.9, 0.4, 1.0, 1.0, 1.0), result("StoErraticGAN", 1.0, 0.8, 0.5, 0.5, 0.5)),
        List.of(result("ErraticGAN", 0.9, 0.4, 3.0, 1.0, 1.0), result("StoErraticGAN", 1.0, 0.8, 0.7, 0.5, 0.5))))));
    assertThat(tex).contains("\\multicolumn{3}{l}{\\emph{seeds} (mean $\\pm$ sample std over 2 seeds)} \\\\");
    // (1, 3): mean 2, std sqrt(2); (0.5, 0.7): mean 0.6, std sqrt(0.02); the bold covers the mean only
    assertThat(tex).contains("$\\sqrt{\\tilde R} \\times 10^3$ $\\downarrow$ & 2.000 $\\pm$ 1.414 & "
        + "\\textbf{0.600} $\\pm$ 0.141 \\\\");
    assertThat(tex).contains("Precision $\\uparrow$ & 0.900 $\\pm$ 0.000 & \\textbf{1.000} $\\pm$ 0.000 \\\\");
  }
}
