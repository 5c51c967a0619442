package org.restorelab.metric;

import org.restorelab.config.PsnrConfig;

/**
 * PSNR between two HWC RGB images in [0, 1] under a {@link PsnrConfig} convention: RGB or the Y
 * channel of MATLAB's rgb2ycbcr (BT.601), a shaved border, and a peak (1, or 255 for the
 * super-resolution community's numbers), optionally on values rounded to that peak's integer
 * grid (saved 8-bit images). Mean squared errors below 1e-10 peak^2 count as 1e-10 peak^2
 * (100 dB), so identical images have a finite PSNR.
 */
public final class Psnr {
  /** The floor on a mean squared error of peak-1 values: 1e-10, i.e. at most 100 dB. */
  public static final double MSE_FLOOR = 1e-10;

  private final PsnrConfig config;
  private final double peak;

  public Psnr(PsnrConfig config) {
    if (config.getShave() < 0 || config.getPeak() <= 0) {
      throw new IllegalArgumentException("psnr needs shave >= 0 and peak > 0, got shave " + config.getShave()
          + " and peak " + config.getPeak());
    }
    this.config = config;
    this.peak = config.getPeak();
  }

  /** PSNR for peak 1 of a mean squared error, 10 log10(1 / max(mse, {@link #MSE_FLOOR})). */
  public static double peakOne(double mse) {
    return 10 * Math.log10(1 / Math.max(mse, MSE_FLOOR));
  }

  /** MATLAB rgb2ycbcr's Y for R, G, B in [0, 1]: in [16, 235] (of 255), returned in [0, 1] units of 255. */
  public static double luma(double r, double g, double b) {
    return (16 + 65.481 * r + 128.553 * g + 24.966 * b) / 255.0;
  }

  /** PSNR in dB of {@code b} against {@code a}, both h x w x 3 (HWC) at the given offsets. */
  public double between(float[] a, int aOffset, float[] b, int bOffset, int h, int w) {
    int s = config.getShave();
    if (2 * s >= h || 2 * s >= w) {
      throw new IllegalArgumentException("psnr shave " + s + " leaves nothing of a " + h + "x" + w + " image");
    }
    double sum = 0;
    long count = 0;
    for (int i = s; i < h - s; i++) {
      for (int j = s; j < w - s; j++) {
        int p = (i * w + j) * 3;
        if (config.getChannel() == PsnrConfig.Channel.Y) {
          double d = peak * (luma(v(a[aOffset + p]), v(a[aOffset + p + 1]), v(a[aOffset + p + 2]))
              - luma(v(b[bOffset + p]), v(b[bOffset + p + 1]), v(b[bOffset + p + 2])));
          sum += d * d;
          count++;
        } else {
          for (int c = 0; c < 3; c++) {
            double d = peak * (v(a[aOffset + p + c]) - v(b[bOffset + p + c]));
            sum += d * d;
            count++;
          }
        }
      }
    }
    double mse = Math.max(sum / count, 1e-10 * peak * peak);
    return 10 * Math.log10(peak * peak / mse);
  }

  /** A [0, 1] value as measured: on the peak's integer grid when rounding, back in [0, 1] units. */
  private double v(float x) {
    if (!config.getRound()) {
      return x;
    }
    return Math.min(peak, Math.max(0, Math.rint(x * peak))) / peak;
  }
}
