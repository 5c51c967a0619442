package org.restorelab.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.render.MarkdownTable;

/**
 * The paper's four image claims (section 6, Table 1), decided from one evaluation of the four GANs
 * ({@link Table1#PAPER_ORDER}) at one epsilon, so at one AI-PSNR for all of them:
 *
 * <ul>
 *   <li>C1: robustifying the deterministic estimator costs perceptual quality (RobustGAN against
 *       ErraticGAN: FID up, recall down; where both recalls are below {@value #RECALL_FLOOR}, precision
 *       down instead);
 *   <li>C2: robustifying the stochastic estimator hardly costs perceptual quality (StoRobustGAN
 *       against StoErraticGAN: FID at most {@value #HARDLY_FID_RATIO}x, recall down at most
 *       {@value #HARDLY_RECALL_DROP}, precision standing in for recall as in C1);
 *   <li>C3: robustifying the stochastic estimator increases its output diversity (per-pixel std up,
 *       and, where the posterior is known, mode coverage up);
 *   <li>C4: both robust variants are robust (Eq. 9: the lower robust PSNR at least
 *       {@value #ROBUST_MARGIN_DB} dB above the higher erratic one).
 * </ul>
 *
 * A two-part claim holds when both parts agree with it, fails when both disagree, and is undecided
 * when they split. The thresholds are this project's reading of "hardly" and "well above"; the
 * evidence string carries the numbers so that a reader can apply their own.
 */
public final class Table1Claims {

  /** C2: "hardly costs" allows this FID ratio (robust over erratic) ... */
  public static final double HARDLY_FID_RATIO = 1.1;
  /** ... and this recall drop. */
  public static final double HARDLY_RECALL_DROP = 0.05;
  /** Recalls below this on both sides of a pair cannot decide a claim; precision stands in. */
  public static final double RECALL_FLOOR = 0.01;
  /** C4: "robust" means this many dB of Eq. 9 above both erratic variants. */
  public static final double ROBUST_MARGIN_DB = 3.0;

  /** holds / fails / undecided. */
  public enum Verdict {
    HOLDS, FAILS, UNDECIDED;

    /** "holds", "fails", "undecided". */
    public String label() {
      return name().toLowerCase(Locale.ROOT);
    }

    static Verdict of(boolean first, boolean second) {
      return first && second ? HOLDS : !first && !second ? FAILS : UNDECIDED;
    }
  }

  /** One claim: its id (C1..C4), what the paper says, the verdict and the numbers that decide it. */
  public record Claim(String id, String statement, Verdict verdict, String evidence) {}

  private Table1Claims() {}

  /** The four claims, or empty unless all four GANs of {@link Table1#PAPER_ORDER} were evaluated. */
  public static Optional<List<Claim>> decide(List<ImageEvaluation.Result> results) {
    Map<String, ImageEvaluation.Result> byName = results.stream().filter(r -> !r.reference())
        .collect(Collectors.toMap(ImageEvaluation.Result::name, Function.identity(), (a, b) -> a));
    if (!byName.keySet().containsAll(Table1.PAPER_ORDER)) {
      return Optional.empty();
    }
    ImageEvaluation.Result se = byName.get("StoErraticGAN");
    ImageEvaluation.Result sr = byName.get("StoRobustGAN");
    ImageEvaluation.Result e = byName.get("ErraticGAN");
    ImageEvaluation.Result r = byName.get("RobustGAN");
    List<Claim> claims = new ArrayList<>();

    // recall below RECALL_FLOOR on both sides cannot decide: precision stands in for it
    boolean recallDecides = Math.max(e.recall(), r.recall()) >= RECALL_FLOOR;
    claims.add(new Claim("C1", "robustifying the deterministic estimator costs perceptual quality",
        Verdict.of(r.fid() > e.fid(), recallDecides ? r.recall() < e.recall() : r.precision() < e.precision()),
        String.format(Locale.ROOT, "FID %s -> %s (RobustGAN / ErraticGAN %.2fx), recall %.4f -> %.4f%s",
            fid(e), fid(r), r.fid() / e.fid(), e.recall(), r.recall(), recallDecides ? ""
                : String.format(Locale.ROOT, " (both below %.2f: precision %.3f -> %.3f decides instead)",
                    RECALL_FLOOR, e.precision(), r.precision()))));

    double ratio = sr.fid() / se.fid();
    boolean stoRecallDecides = Math.max(se.recall(), sr.recall()) >= RECALL_FLOOR;
    double drop = stoRecallDecides ? se.recall() - sr.recall() : se.precision() - sr.precision();
    claims.add(new Claim("C2", "robustifying the stochastic estimator hardly costs perceptual quality",
        Verdict.of(ratio <= HARDLY_FID_RATIO, drop <= HARDLY_RECALL_DROP),
        String.format(Locale.ROOT, "FID %s -> %s (StoRobustGAN / StoErraticGAN %.2fx, allowed %.2fx), %s %.4f"
            + " -> %.4f (drop %.4f, allowed %.2f%s); the deterministic pair's FID ratio is %.2fx", fid(se), fid(sr),
            ratio, HARDLY_FID_RATIO, stoRecallDecides ? "recall" : "precision",
            stoRecallDecides ? se.recall() : se.precision(), stoRecallDecides ? sr.recall() : sr.precision(), drop,
            HARDLY_RECALL_DROP, stoRecallDecides ? "" : String.format(Locale.ROOT,
                "; recall %.4f -> %.4f, both below %.2f, cannot decide", se.recall(), sr.recall(), RECALL_FLOOR),
            r.fid() / e.fid())));

    boolean posterior = se.posterior() != null && sr.posterior() != null;
    boolean stdUp = sr.pixelStd() > se.pixelStd();
    boolean coverageUp = posterior ? sr.posterior().coverage() > se.posterior().coverage() : stdUp;
    claims.add(new Claim("C3", "robustifying the stochastic estimator increases its output diversity",
        Verdict.of(stdUp, coverageUp),
        String.format(Locale.ROOT, "per-pixel std %.4f -> %.4f%s", se.pixelStd(), sr.pixelStd(), posterior
            ? String.format(Locale.ROOT, ", mode coverage %.3f -> %.3f, factor TV %.3f -> %.3f, collapse rate %.3f"
                + " -> %.3f", se.posterior().coverage(), sr.posterior().coverage(), se.posterior().meanTv(),
                sr.posterior().meanTv(), se.posterior().collapseRate(), sr.posterior().collapseRate())
            : " (no known posterior: std alone)")));

    double lowestRobust = Math.min(r.robustness(), sr.robustness());
    double highestErratic = Math.max(e.robustness(), se.robustness());
    double margin = lowestRobust - highestErratic;
    claims.add(new Claim("C4", "both robust variants are robust (Eq. 9 well above the erratic ones')",
        margin >= ROBUST_MARGIN_DB ? Verdict.HOLDS : margin <= 0 ? Verdict.FAILS : Verdict.UNDECIDED,
        String.format(Locale.ROOT, "Eq. 9 robustness (dB): ErraticGAN %.2f, StoErraticGAN %.2f, RobustGAN %.2f,"
            + " StoRobustGAN %.2f: margin %.2f dB (needed %.1f) at AI-PSNR %s", e.robustness(), se.robustness(),
            r.robustness(), sr.robustness(), margin, ROBUST_MARGIN_DB, aiPsnr(results))));
    return Optional.of(claims);
  }

  /** The claims as a Markdown table. */
  public static String markdown(List<Claim> claims) {
    MarkdownTable t = new MarkdownTable("Claim", "Verdict", "Numbers");
    for (Claim c : claims) {
      t.row(c.id() + ": " + c.statement(), "**" + c.verdict().label() + "**", c.evidence());
    }
    return t.render();
  }

  private static String fid(ImageEvaluation.Result r) {
    return String.format(Locale.ROOT, "%.2f", r.fid());
  }

  /** The AI-PSNR shared by the GANs, or the range when they differ (then the claims compare unequal attacks). */
  private static String aiPsnr(List<ImageEvaluation.Result> results) {
    double lo = Double.POSITIVE_INFINITY;
    double hi = Double.NEGATIVE_INFINITY;
    for (ImageEvaluation.Result x : results) {
      if (!x.reference() && Table1.PAPER_ORDER.contains(x.name())) {
        lo = Math.min(lo, x.aiPsnr());
        hi = Math.max(hi, x.aiPsnr());
      }
    }
    return hi - lo < 1e-9 ? String.format(Locale.ROOT, "%.2f dB for all four", lo)
        : String.format(Locale.ROOT, "%.2f-%.2f dB (unequal: compare with care)", lo, hi);
  }
}
