package org.restorelab.data;

import java.awt.Shape;
import java.util.SplittableRandom;

/** A 2-D source distribution p_X of a toy restoration problem, with Y = X(1). */
public interface ToyDistribution {
  /** Draws {@code n} independent samples. */
  Points sample(int n, SplittableRandom random);

  /** Whether a point lies in the support of p_X. */
  boolean contains(double x1, double x2);

  /** The support, in data coordinates, for figures. */
  Shape support();

  /** Draws {@code n} measurements Y = X(1), X ~ p_X. */
  default double[] sampleMeasurements(int n, SplittableRandom random) {
    return sample(n, random).x1();
  }
}
