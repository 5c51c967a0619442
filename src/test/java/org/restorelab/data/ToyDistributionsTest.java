package org.restorelab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class ToyDistributionsTest {
  private static final int N = 200_000;

  @Test
  void unitDiskSamplesAreUniformOnTheDisk() {
    Points p = new UnitDisk().sample(N, new SplittableRandom(1));
    double r2 = 0;
    int firstQuadrant = 0;
    int innerHalfRadius = 0;
    for (int i = 0; i < N; i++) {
      double s = p.x1()[i] * p.x1()[i] + p.x2()[i] * p.x2()[i];
      assertThat(s).isLessThanOrEqualTo(1.0);
      r2 += s;
      firstQuadrant += p.x1()[i] > 0 && p.x2()[i] > 0 ? 1 : 0;
      innerHalfRadius += s <= 0.25 ? 1 : 0;
    }
    // uniform on the disk: E|X|^2 = 1/2 (std of |X|^2 is 1/sqrt(12)); P(|X| <= 1/2) = 1/4
    assertThat(r2 / N).isCloseTo(0.5, within(5 / Math.sqrt(12 * N)));
    assertThat(firstQuadrant / (double) N).isCloseTo(0.25, within(0.005));
    assertThat(innerHalfRadius / (double) N).isCloseTo(0.25, within(0.005));
  }

  @Test
  void ellipticRingSamplesAreUniformOnTheRing() {
    EllipticRing ring = new EllipticRing(1.0, 0.7, 0.5, 0.35);
    Points p = ring.sample(N, new SplittableRandom(2));
    int betweenHalfAndThreeQuarterScale = 0;
    for (int i = 0; i < N; i++) {
      assertThat(ring.contains(p.x1()[i], p.x2()[i])).isTrue();
      double u = p.x1()[i] / 1.0;
      double v = p.x2()[i] / 0.7;
      betweenHalfAndThreeQuarterScale += u * u + v * v <= 0.75 * 0.75 ? 1 : 0;
    }
    // the hole is the scale-1/2 ellipse: P(scale <= 3/4) = (9/16 - 1/4) / (1 - 1/4) = 5/12
    assertThat(betweenHalfAndThreeQuarterScale / (double) N).isCloseTo(5.0 / 12, within(0.005));
    assertThat(ring.outerHeight(0)).isEqualTo(0.7);
    assertThat(ring.innerHeight(0.5)).isZero();
    assertThatThrownBy(() -> new EllipticRing(1, 0.7, 1.2, 0.3)).hasMessageContaining("strictly inside");
  }

  @Test
  void unitSquareAndSeeding() {
    Points a = new UnitSquare().sample(1000, new SplittableRandom(3));
    Points b = new UnitSquare().sample(1000, new SplittableRandom(3));
    assertThat(a.x1()).containsExactly(b.x1());
    for (int i = 0; i < 1000; i++) {
      assertThat(new UnitSquare().contains(a.x1()[i], a.x2()[i])).isTrue();
    }
  }

  @Test
  void sortingByX1KeepsEachPointWhole() {
    Points p = new Points(new double[] {0.3, -0.5, 0.1}, new double[] {3, -5, 1}).sortedByX1();
    assertThat(p.x1()).containsExactly(-0.5, 0.1, 0.3);
    assertThat(p.x2()).containsExactly(-5, 1, 3);
  }
}
