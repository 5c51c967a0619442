package org.restorelab.render;

/** Accumulates the extent of data points, ignoring points that cannot be placed on the axes. */
final class Bounds {

  private final boolean logX;
  private double minX = Double.POSITIVE_INFINITY;
  private double maxX = Double.NEGATIVE_INFINITY;
  private double minY = Double.POSITIVE_INFINITY;
  private double maxY = Double.NEGATIVE_INFINITY;

  Bounds(boolean logX) {
    this.logX = logX;
  }

  /** Includes {@code (x, y)} unless a coordinate is not finite, or x &lt;= 0 on a log axis. */
  void add(double x, double y) {
    if (!Double.isFinite(x) || !Double.isFinite(y) || (logX && x <= 0)) {
      return;
    }
    minX = Math.min(minX, x);
    maxX = Math.max(maxX, x);
    minY = Math.min(minY, y);
    maxY = Math.max(maxY, y);
  }

  /** An auto-ranged x axis around the points added (see {@link Axis#fit}). */
  Axis xAxis() {
    return Axis.fit(minX, maxX, logX);
  }

  /** An auto-ranged linear y axis around the points added. */
  Axis yAxis() {
    return Axis.fit(minY, maxY, false);
  }
}
