package org.restorelab.data;

import java.awt.Shape;
import java.awt.geom.Rectangle2D;
import java.util.SplittableRandom;

/** X(1), X(2) ~ U(0, 1), independent (Appendix C). */
public final class UnitSquare implements ToyDistribution {
  @Override
  public Points sample(int n, SplittableRandom random) {
    double[] x1 = new double[n];
    double[] x2 = new double[n];
    for (int i = 0; i < n; i++) {
      x1[i] = random.nextDouble();
      x2[i] = random.nextDouble();
    }
    return new Points(x1, x2);
  }

  @Override
  public boolean contains(double x1, double x2) {
    return x1 >= 0 && x1 <= 1 && x2 >= 0 && x2 <= 1;
  }

  @Override
  public Shape support() {
    return new Rectangle2D.Double(0, 0, 1, 1);
  }
}
