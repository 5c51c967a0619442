package org.restorelab.analytic;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.data.EllipticRing;
import org.restorelab.data.UnitDisk;
import org.restorelab.estimator.RingEstimators;
import org.restorelab.estimator.SineEstimator;

class AnalyticStudiesTest {
  private static final PrecisionRecallConfig PR =
      PrecisionRecallConfig.newBuilder().setK(5).setNumSamples(1000).build();

  @Test
  void theErraticEstimatorReachesHighRecall_theRobustOneDoesNot() {
    UnitDisk disk = new UnitDisk();
    var robust = PrecisionRecallStudy.repeat(disk, new SineEstimator("R", 1), PR, 3, 1, "t/r");
    var erratic = PrecisionRecallStudy.repeat(disk, new SineEstimator("E", 50), PR, 3, 1, "t/e");
    assertThat(robust.precision().mean()).isGreaterThan(0.95);
    assertThat(erratic.precision().mean()).isGreaterThan(0.95);
    assertThat(erratic.recall().mean()).isGreaterThan(0.9);
    assertThat(robust.recall().mean()).isLessThan(0.2);
  }

  @Test
  void withAHoleTheEstimatorsTradePrecisionForRecall() {
    EllipticRing ring = new EllipticRing(1.0, 0.7, 0.5, 0.35);
    var avoids = PrecisionRecallStudy.repeat(ring, RingEstimators.avoidingHole("1", ring, 50, 0.15), PR, 3, 1, "t/1");
    var crosses = PrecisionRecallStudy.repeat(ring, RingEstimators.crossingHole("2", ring, 50), PR, 3, 1, "t/2");
    assertThat(avoids.precision().mean()).isGreaterThan(crosses.precision().mean() + 0.03);
    assertThat(crosses.recall().mean()).isGreaterThan(avoids.recall().mean() + 0.1);
  }

  @Test
  void theMongeBoundOfEq14MatchesMonteCarloOfTheMapT0() {
    // Eq. 12-14: K_f(x1, x2) = (floor(2 f x1) + (x2 or 1 - x2)) / (2 f); W2^2 <= E (x1 - K_f)^2
    SplittableRandom r = new SplittableRandom(5);
    for (int f : new int[] {1, 3, 8}) {
      int n = 400_000;
      double sum = 0;
      for (int i = 0; i < n; i++) {
        double x1 = r.nextDouble();
        double x2 = r.nextDouble();
        int m = (int) Math.floor(2 * f * x1);
        double k = (m + (m % 2 == 1 ? 1 - x2 : x2)) / (2.0 * f);
        // T0 maps onto the zigzag: G_f(K) = x2
        assertThat(new org.restorelab.estimator.ZigzagEstimator(f).estimate(k)).isCloseTo(x2, within(1e-6));
        sum += (x1 - k) * (x1 - k);
      }
      double bound = ZigzagStudy.mongeBound(f);
      assertThat(Math.sqrt(sum / n)).isCloseTo(bound, within(0.01 * bound));
    }
  }
}
