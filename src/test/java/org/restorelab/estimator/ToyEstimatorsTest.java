package org.restorelab.estimator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.data.EllipticRing;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;

class ToyEstimatorsTest {

  @Test
  void sineEstimatorIsConsistentAndOnTheDisk() {
    SineEstimator erratic = new SineEstimator("X_hat_Erratic", 50);
    assertThat(erratic.estimate(0.3)).isCloseTo(Math.sqrt(1 - 0.09) * Math.sin(15), within(1e-15));
    assertThat(erratic.estimate(1.0)).isZero();
    double[] y = new UnitDisk().sampleMeasurements(5000, new SplittableRandom(1));
    Points out = erratic.apply(y);
    for (int i = 0; i < y.length; i++) {
      assertThat(out.x1()[i]).isEqualTo(y[i]); // consistency: X_hat(1) = Y
      assertThat(new UnitDisk().contains(out.x1()[i], out.x2()[i])).isTrue();
    }
  }

  @Test
  void ringEstimatorsAreContinuousAndConsistent_oneAvoidsTheHoleTheOtherCrossesIt() {
    EllipticRing ring = new EllipticRing(1.0, 0.7, 0.5, 0.35);
    ToyEstimator avoids = RingEstimators.avoidingHole("1", ring, 50, 0.15);
    ToyEstimator crosses = RingEstimators.crossingHole("2", ring, 50);
    int crossesInHole = 0;
    double maxJumpAvoid = 0;
    double maxJumpCross = 0;
    double h = 1e-6;
    for (int i = 0; i <= 200_000; i++) {
      double y = -1 + 2.0 * i / 200_000;
      double a = avoids.estimate(y);
      assertThat(ring.contains(y, a)).as("X_hat_1 at y = %s", y).isTrue();
      crossesInHole += ring.insideInner(y, crosses.estimate(y)) ? 1 : 0;
      maxJumpAvoid = Math.max(maxJumpAvoid, Math.abs(avoids.estimate(y + h) - a));
      maxJumpCross = Math.max(maxJumpCross, Math.abs(crosses.estimate(y + h) - crosses.estimate(y)));
    }
    assertThat(crossesInHole).isPositive();
    // continuity: a step h = 1e-6 in y moves the output by O(sqrt(h)) at worst (the ellipses'
    // sqrt edges), O(h) elsewhere; a discontinuity would show as a jump of order 0.1
    assertThat(maxJumpAvoid).isLessThan(2e-3);
    assertThat(maxJumpCross).isLessThan(2e-3);
  }

  @Test
  void zigzagIsATriangleWaveWithFPeriods() {
    ZigzagEstimator g = new ZigzagEstimator(4);
    assertThat(g.estimate(0)).isCloseTo(0, within(1e-12));
    assertThat(g.estimate(1.0 / 8)).isCloseTo(1, within(1e-7));
    assertThat(g.estimate(1.0 / 4)).isCloseTo(0, within(1e-7));
    assertThat(g.estimate(1.0 / 16)).isCloseTo(0.5, within(1e-12));
    assertThat(g.estimate(0.3)).isCloseTo(g.estimate(0.3 + 0.25), within(1e-12));
  }
}
