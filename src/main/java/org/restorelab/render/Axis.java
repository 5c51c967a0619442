package org.restorelab.render;

/**
 * A data range along one axis, linear or log2. Positions are mapped through {@link #unit}
 * (identity, or log2) before being scaled linearly to pixels.
 */
record Axis(double min, double max, boolean log) {

  /** Auto-ranged axes extend the data range by this fraction of its span on each side. */
  private static final double MARGIN = 0.05;

  Axis {
    if (!(Double.isFinite(min) && Double.isFinite(max) && max > min)) {
      throw new IllegalArgumentException("axis range must be finite with min < max, got ["
          + min + ", " + max + "]");
    }
    if (log && min <= 0) {
      throw new IllegalArgumentException("log axis range must be positive, got min " + min);
    }
  }

  /**
   * An axis around the data extent {@code [lo, hi]} with a 5% margin (measured in log2 units on a
   * log axis). An empty extent ({@code lo > hi}) gives [0, 1] (log: [1, 2]); a single value is
   * widened by 0.5 (log: a factor of 2) on each side.
   */
  static Axis fit(double lo, double hi, boolean log) {
    if (lo > hi) {
      return log ? new Axis(1, 2, true) : new Axis(0, 1, false);
    }
    double u0 = unit(lo, log);
    double u1 = unit(hi, log);
    double margin = u1 > u0 ? MARGIN * (u1 - u0) : log ? 1 : 0.5;
    return new Axis(fromUnit(u0 - margin, log), fromUnit(u1 + margin, log), log);
  }

  /** The position of {@code v} along the axis in linear units (log2 on a log axis). */
  double unit(double v) {
    return unit(v, log);
  }

  /** Length of the axis in linear units. */
  double span() {
    return unit(max) - unit(min);
  }

  /** Where {@code v} lies along the axis: 0 at {@code min}, 1 at {@code max}. */
  double fraction(double v) {
    return (unit(v) - unit(min)) / span();
  }

  /** True when {@code v} can be placed on this axis (finite, and positive on a log axis). */
  boolean accepts(double v) {
    return Double.isFinite(v) && (!log || v > 0);
  }

  /** The same axis widened symmetrically (in linear units) to the given span. */
  Axis widenedTo(double newSpan) {
    double centre = (unit(min) + unit(max)) / 2;
    return new Axis(fromUnit(centre - newSpan / 2, log), fromUnit(centre + newSpan / 2, log), log);
  }

  /** Tick positions for this axis. */
  double[] ticks() {
    return log ? Ticks.log2Ticks(min, max) : Ticks.ticks(min, max);
  }

  private static double unit(double v, boolean log) {
    return log ? Ticks.log2(v) : v;
  }

  private static double fromUnit(double u, boolean log) {
    return log ? Math.pow(2, u) : u;
  }
}
