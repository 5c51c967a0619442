package org.restorelab.metric;

/** Mean and sample standard deviation (n - 1 in the denominator; 0 for a single value). */
public record MeanStd(double mean, double std, int count) {
  public static MeanStd of(double[] values) {
    int n = values.length;
    if (n == 0) {
      throw new IllegalArgumentException("mean of no values");
    }
    double mean = 0;
    for (double v : values) {
      mean += v;
    }
    mean /= n;
    double ss = 0;
    for (double v : values) {
      ss += (v - mean) * (v - mean);
    }
    return new MeanStd(mean, n > 1 ? Math.sqrt(ss / (n - 1)) : 0, n);
  }

  /** "0.990 ± 0.004" with {@code digits} decimals. */
  public String format(int digits) {
    return String.format(java.util.Locale.ROOT, "%." + digits + "f ± %." + digits + "f", mean, std);
  }

  public com.google.gson.JsonObject toJson() {
    com.google.gson.JsonObject o = new com.google.gson.JsonObject();
    o.addProperty("mean", mean);
    o.addProperty("std", std);
    o.addProperty("n", count);
    return o;
  }
}
