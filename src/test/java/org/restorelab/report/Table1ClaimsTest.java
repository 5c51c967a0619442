package org.restorelab.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.report.Table1Claims.Claim;
import org.restorelab.report.Table1Claims.Verdict;

class Table1ClaimsTest {

  private static ImageEvaluation.Result model(String name, double fid, double recall, double std, double robust,
      double coverage) {
    PosteriorMetrics.Result posterior = new PosteriorMetrics.Result(new double[] {0.5}, new double[] {0.01}, 0.5,
        coverage, 0.01, 0.1, 256, 32, new double[] {0.1}, 0.1);
    return new ImageEvaluation.Result(name, name.startsWith("Sto"), false, fid, 0.6, recall, std, robust, 32.94,
        100, 512, 5000, 1, posterior, Double.NaN);
  }

  private static List<Claim> decide(ImageEvaluation.Result... results) {
    return Table1Claims.decide(List.of(results)).orElseThrow();
  }

  @Test
  void thePapersTable1PatternHoldsForEveryClaim() {
    // Shaped like the paper's CelebA inpainting row: the deterministic pair loses quality, the stochastic pair
    // hardly does and gains diversity, both robust variants gain robustness.
    List<Claim> claims = decide(model("ErraticGAN", 10, 0.50, 0, 20, 0.03), model("RobustGAN", 30, 0.20, 0, 31, 0.03),
        model("StoErraticGAN", 10, 0.55, 0.02, 19, 0.30), model("StoRobustGAN", 10.5, 0.53, 0.05, 30, 0.50));
    assertEquals(List.of("C1", "C2", "C3", "C4"), claims.stream().map(Claim::id).toList());
    claims.forEach(c -> assertEquals(Verdict.HOLDS, c.verdict(), c.toString()));
    assertTrue(claims.get(0).evidence().contains("10.00 -> 30.00 (RobustGAN / ErraticGAN 3.00x)"),
        claims.get(0).evidence());
    assertTrue(claims.get(3).evidence().contains("margin 10.00 dB"), claims.get(3).evidence());
  }

  @Test
  void theOppositePatternFailsEveryClaim() {
    List<Claim> claims = decide(model("ErraticGAN", 30, 0.20, 0, 31, 0.03), model("RobustGAN", 10, 0.50, 0, 20, 0.03),
        model("StoErraticGAN", 10, 0.55, 0.05, 30, 0.50), model("StoRobustGAN", 20, 0.30, 0.02, 19, 0.30));
    claims.forEach(c -> assertEquals(Verdict.FAILS, c.verdict(), c.toString()));
  }

  @Test
  void splitEvidenceIsUndecidedAndTheThresholdsSitOnTheirBoundaries() {
    // C1: FID up but precision not down (recalls both 0, so precision decides); C2: FID ratio exactly 1.1 (allowed) but recall drop 0.06;
    // C3: std up, coverage down; C4: margin 2 dB (between 0 and 3).
    List<Claim> claims = decide(model("ErraticGAN", 10, 0, 0, 20, 0.03), model("RobustGAN", 20, 0, 0, 24, 0.03),
        model("StoErraticGAN", 10, 0.56, 0.02, 22, 0.40), model("StoRobustGAN", 11, 0.50, 0.03, 25, 0.30));
    claims.forEach(c -> assertEquals(Verdict.UNDECIDED, c.verdict(), c.toString()));
    assertTrue(claims.get(0).evidence().contains("precision 0.600 -> 0.600 decides instead"), claims.get(0).evidence());
    // exactly 3 dB of margin holds
    List<Claim> atMargin = decide(model("ErraticGAN", 10, 0, 0, 20, 0.03), model("RobustGAN", 20, 0, 0, 23, 0.03),
        model("StoErraticGAN", 10, 0.56, 0.02, 19, 0.40), model("StoRobustGAN", 11, 0.50, 0.03, 25, 0.30));
    assertEquals(Verdict.HOLDS, atMargin.get(3).verdict());
  }

  @Test
  void withoutAllFourGansThereAreNoClaims() {
    assertTrue(Table1Claims.decide(List.of(model("ErraticGAN", 10, 0.5, 0, 20, 0.03),
        model("RobustGAN", 30, 0.2, 0, 31, 0.03))).isEmpty());
  }

  @Test
  void theMarkdownTableHasOneRowPerClaim() {
    String md = Table1Claims.markdown(decide(model("ErraticGAN", 10, 0.50, 0, 20, 0.03),
        model("RobustGAN", 30, 0.20, 0, 31, 0.03), model("StoErraticGAN", 10, 0.55, 0.02, 19, 0.30),
        model("StoRobustGAN", 10.5, 0.53, 0.05, 30, 0.50)));
    assertEquals(6, md.strip().split("\n").length, md);
    assertTrue(md.contains("| C4: both robust variants are robust"), md);
    assertTrue(md.contains("**holds**"), md);
  }
}
