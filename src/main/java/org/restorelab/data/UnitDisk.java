package org.restorelab.data;

import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.util.SplittableRandom;

/** X uniform on the disk of radius 1 centred at the origin (paper section 4). */
public final class UnitDisk implements ToyDistribution {

  /** Exact sampling in polar form: r = sqrt(U1), theta = 2 pi U2. */
  @Override
  public Points sample(int n, SplittableRandom random) {
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    for (int i = 0; i < n; i++) {
      double r = Math.sqrt(random.nextDouble());
      double theta = 2 * Math.PI * random.nextDouble();
      x1[i] = r * Math.cos(theta);
      x2[i] = r * Math.sin(theta);
    }
    return new Points(x1, x2);
  }

  /**
   * Half the length of the chord at x1 = y, sqrt(1 - y^2) (0 outside [-1, 1]): given Y = y the
   * posterior of X(2) is U[-c, c] with this c.
   */
  public static double halfChord(double y) {
    return Math.sqrt(Math.max(0, 1 - y * y));
  }

  @Override
  public boolean contains(double x1, double x2) {
    return x1 * x1 + x2 * x2 <= 1;
  }

  @Override
  public Shape support() {
    return new Ellipse2D.Double(-1, -1, 2, 2);
  }
}
