package org.restorelab.data;

import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.util.SplittableRandom;

/**
 * X uniform on the region between two concentric, axis-aligned ellipses centred at the origin
 * (Appendix B, Figure 5): outer semi-axes (outerA, outerB), inner "hole" (innerA, innerB).
 */
public final class EllipticRing implements ToyDistribution {
  private final double outerA;
  private final double outerB;
  private final double innerA;
  private final double innerB;

  public EllipticRing(double outerA, double outerB, double innerA, double innerB) {
    if (!(innerA > 0 && innerB > 0 && innerA < outerA && innerB < outerB)) {
      throw new IllegalArgumentException("the inner ellipse (" + innerA + ", " + innerB
          + ") must have positive semi-axes strictly inside the outer one (" + outerA + ", " + outerB + ")");
    }
    this.outerA = outerA;
    this.outerB = outerB;
    this.innerA = innerA;
    this.innerB = innerB;
  }

  /** Rejection sampling from the bounding box [-outerA, outerA] x [-outerB, outerB]. */
  @Override
  public Points sample(int n, SplittableRandom random) {
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    int i = 0;
    while (i < n) {
      double a = (2 * random.nextDouble() - 1) * outerA;
      double b = (2 * random.nextDouble() - 1) * outerB;
      if (contains(a, b)) {
        x1[i] = a;
        x2[i] = b;
        i++;
      }
    }
    return new Points(x1, x2);
  }

  @Override
  public boolean contains(double x1, double x2) {
    return insideOuter(x1, x2) && !insideInner(x1, x2);
  }

  /** Whether a point lies in the open hole. */
  public boolean insideInner(double x1, double x2) {
    double u = x1 / innerA;
    double v = x2 / innerB;
    return u * u + v * v < 1;
  }

  private boolean insideOuter(double x1, double x2) {
    double u = x1 / outerA;
    double v = x2 / outerB;
    return u * u + v * v <= 1;
  }

  /** Upper half-height of the outer ellipse at abscissa y (0 outside it). */
  public double outerHeight(double y) {
    return halfHeight(outerA, outerB, y);
  }

  /** Upper half-height of the inner ellipse at abscissa y (0 outside it). */
  public double innerHeight(double y) {
    return halfHeight(innerA, innerB, y);
  }

  public double outerA() {
    return outerA;
  }

  public double innerA() {
    return innerA;
  }

  @Override
  public Shape support() {
    Area ring = new Area(new Ellipse2D.Double(-outerA, -outerB, 2 * outerA, 2 * outerB));
    ring.subtract(new Area(new Ellipse2D.Double(-innerA, -innerB, 2 * innerA, 2 * innerB)));
    return ring;
  }

  private static double halfHeight(double a, double b, double y) {
    double u = y / a;
    return u * u >= 1 ? 0 : b * Math.sqrt(1 - u * u);
  }
}
