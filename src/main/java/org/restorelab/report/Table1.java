package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.ToDoubleFunction;
import org.restorelab.evaluate.ImageEvaluation;

/**
 * Table 1's layout (section 6.1.2): one column per estimator, stochastic erratic and robust
 * first, then deterministic erratic and robust (the paper's names), then any other model in
 * config order; rows FID, precision, recall, per-pixel std, robustness (Eq. 9), AI-PSNR, plus
 * the consistency PSNR. Also as CSV, one row per model.
 */
public final class Table1 {
  /** The paper's column order. */
  public static final List<String> PAPER_ORDER = List.of("StoErraticGAN", "StoRobustGAN", "ErraticGAN", "RobustGAN");

  private Table1() {}

  /** The results in the paper's column order. */
  public static List<ImageEvaluation.Result> ordered(List<ImageEvaluation.Result> results) {
    List<ImageEvaluation.Result> out = new ArrayList<>();
    for (String name : PAPER_ORDER) {
      results.stream().filter(r -> r.name().equals(name)).forEach(out::add);
    }
    results.stream().filter(r -> !PAPER_ORDER.contains(r.name())).forEach(out::add);
    return out;
  }

  public static String markdown(List<ImageEvaluation.Result> results) {
    List<ImageEvaluation.Result> cols = ordered(results);
    List<String> header = new ArrayList<>(List.of("Metric"));
    for (ImageEvaluation.Result r : cols) {
      header.add(r.name() + (r.stochastic() ? " (stochastic)" : " (deterministic)"));
    }
    MarkdownTable t = new MarkdownTable(header.toArray(String[]::new));
    row(t, cols, "FID ↓", ImageEvaluation.Result::fid, "%.2f");
    row(t, cols, "Precision ↑", ImageEvaluation.Result::precision, "%.3f");
    row(t, cols, "Recall ↑", ImageEvaluation.Result::recall, "%.3f");
    row(t, cols, "Per-pixel std ↑", ImageEvaluation.Result::pixelStd, "%.4f");
    row(t, cols, "Robustness ↑ (dB)", ImageEvaluation.Result::robustness, "%.2f");
    row(t, cols, "AI-PSNR (dB)", ImageEvaluation.Result::aiPsnr, "%.2f");
    row(t, cols, "Consistency (dB)", ImageEvaluation.Result::consistency, "%.1f");
    return t.render();
  }

  private static void row(MarkdownTable t, List<ImageEvaluation.Result> cols, String label,
      ToDoubleFunction<ImageEvaluation.Result> f, String format) {
    List<Object> cells = new ArrayList<>(List.of(label));
    for (ImageEvaluation.Result r : cols) {
      cells.add(String.format(Locale.ROOT, format, f.applyAsDouble(r)));
    }
    t.row(cells.toArray());
  }

  public static String csv(List<ImageEvaluation.Result> results) {
    StringBuilder sb = new StringBuilder(
        "model,stochastic,fid,precision,recall,pixel_std,robustness_db,ai_psnr_db,consistency_db,per_input_inputs,generated_samples\n");
    for (ImageEvaluation.Result r : ordered(results)) {
      sb.append(String.format(Locale.ROOT, "%s,%b,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%.6f,%d,%d%n", r.name(), r.stochastic(),
          r.fid(), r.precision(), r.recall(), r.pixelStd(), r.robustness(), r.aiPsnr(), r.consistency(), r.perInputs(),
          r.generated()));
    }
    return sb.toString();
  }
}
