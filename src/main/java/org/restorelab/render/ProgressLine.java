package org.restorelab.render;

import java.util.List;
import java.util.Locale;

/**
 * The one-line progress report of a long loop (training, evaluation): a bar of {@value #BAR_WIDTH}
 * characters, step/total, percent, rate, ETA and named values, e.g.
 * {@code [#...................] 1234/20000  6.2%  45.1 it/s  ETA 6m56s  loss=0.693}.
 */
public final class ProgressLine {
  /** Characters in the bar. */
  public static final int BAR_WIDTH = 20;

  private ProgressLine() {}

  /**
   * The progress line, e.g.
   * {@code [#...................] 1234/20000  6.2%  45.1 it/s  ETA 6m56s  loss=0.693}.
   *
   * @param itPerSecond steps per second; NaN or {@code <= 0} when unknown (printed as
   *     {@code -- it/s} and {@code ETA --}); below 1 it/s the rate is printed as seconds per step
   */
  public static String format(long step, long totalSteps, double itPerSecond, List<String> names,
      double[] values) {
    return format(step, totalSteps, itPerSecond, names, values, null);
  }

  /** The progress line with {@code "  WARNING: <warning>"} at its end (none when {@code warning} is null). */
  public static String format(long step, long totalSteps, double itPerSecond, List<String> names,
      double[] values, String warning) {
    double fraction = totalSteps > 0 ? Math.min(1.0, Math.max(0.0, (double) step / totalSteps)) : 0;
    int filled = (int) Math.floor(fraction * BAR_WIDTH);
    StringBuilder sb = new StringBuilder(96);
    sb.append('[').append("#".repeat(filled)).append(".".repeat(BAR_WIDTH - filled)).append("] ");
    sb.append(step).append('/').append(totalSteps).append("  ");
    sb.append(String.format(Locale.ROOT, "%.1f%%", totalSteps > 0 ? 100.0 * step / totalSteps : 0));
    boolean rateKnown = itPerSecond > 0 && Double.isFinite(itPerSecond);
    if (!rateKnown) {
      sb.append("  -- it/s");
    } else if (itPerSecond >= 1) {
      sb.append(String.format(Locale.ROOT, "  %.1f it/s", itPerSecond));
    } else {
      sb.append(String.format(Locale.ROOT, "  %.1f s/it", 1 / itPerSecond));
    }
    long remaining = Math.max(0, totalSteps - step);
    sb.append("  ETA ");
    if (remaining == 0) {
      sb.append("0s");
    } else if (rateKnown) {
      sb.append(formatDuration(Math.round(remaining / itPerSecond)));
    } else {
      sb.append("--");
    }
    for (int i = 0; i < names.size(); i++) {
      sb.append(i == 0 ? "  " : " ").append(names.get(i)).append('=').append(formatValue(values[i]));
    }
    if (warning != null) {
      sb.append("  WARNING: ").append(warning);
    }
    return sb.toString();
  }

  /** 3725 -> {@code 1h02m05s}, 372 -> {@code 6m12s}, 5 -> {@code 5s}; negative -> {@code 0s}. */
  public static String formatDuration(long seconds) {
    long s = Math.max(0, seconds);
    long h = s / 3600;
    long m = (s % 3600) / 60;
    long sec = s % 60;
    if (h > 0) {
      return String.format(Locale.ROOT, "%dh%02dm%02ds", h, m, sec);
    }
    if (m > 0) {
      return String.format(Locale.ROOT, "%dm%02ds", m, sec);
    }
    return sec + "s";
  }

  /** Console form of a metric: 3 decimals, scientific notation for very small or large values. */
  public static String formatValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Inf" : "-Inf";
    }
    double a = Math.abs(v);
    if (a == 0 || (a >= 1e-3 && a < 1e5)) {
      return String.format(Locale.ROOT, "%.3f", v);
    }
    return String.format(Locale.ROOT, "%.3e", v);
  }
}
