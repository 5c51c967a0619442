package org.restorelab.estimator;

import org.restorelab.data.EllipticRing;

/**
 * The two continuous, consistent, deterministic estimators of Appendix B (Figure 5) on the
 * elliptic ring. Both zigzag between a lower and an upper bound curve with frequency alpha:
 * g(y) = L(y) + (U(y) - L(y)) (1 + sin(alpha y)) / 2.
 */
public final class RingEstimators {
  private RingEstimators() {}

  /**
   * X_hat_1 never enters the hole: above the hole (|y| < innerA) it stays in the upper band
   * between the inner and the outer ellipse; beyond, its lower bound ramps continuously from 0
   * down to the lower outer edge over {@code rampWidth}. High precision, lower recall: it never
   * visits the lower band under the hole.
   */
  public static ToyEstimator avoidingHole(String name, EllipticRing ring, double alpha, double rampWidth) {
    if (!(rampWidth > 0)) {
      throw new IllegalArgumentException("ramp_width must be > 0, got " + rampWidth);
    }
    return new Zigzag(name, alpha) {
      @Override
      double lower(double y) {
        double outside = Math.abs(y) - ring.innerA();
        if (outside < 0) {
          return ring.innerHeight(y);
        }
        return -ring.outerHeight(y) * Math.min(1, outside / rampWidth);
      }

      @Override
      double upper(double y) {
        return ring.outerHeight(y);
      }
    };
  }

  /**
   * X_hat_2 zigzags over the full height of the outer ellipse, so it crosses the hole to reach
   * both bands: higher recall, lower precision (its outputs in the hole lie off the support).
   */
  public static ToyEstimator crossingHole(String name, EllipticRing ring, double alpha) {
    return new Zigzag(name, alpha) {
      @Override
      double lower(double y) {
        return -ring.outerHeight(y);
      }

      @Override
      double upper(double y) {
        return ring.outerHeight(y);
      }
    };
  }

  private abstract static class Zigzag implements ToyEstimator {
    private final String name;
    private final double alpha;

    Zigzag(String name, double alpha) {
      this.name = name;
      this.alpha = alpha;
    }

    abstract double lower(double y);

    abstract double upper(double y);

    @Override
    public String name() {
      return name;
    }

    @Override
    public double estimate(double y) {
      double lo = lower(y);
      return lo + (upper(y) - lo) * 0.5 * (1 + Math.sin(alpha * y));
    }
  }
}
