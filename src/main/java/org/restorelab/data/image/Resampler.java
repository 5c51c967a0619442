package org.restorelab.data.image;

import java.util.function.DoubleUnaryOperator;

/**
 * Separable resizing of HWC RGB float images, following PIL's {@code Image.resize} (and
 * torchvision's antialiased resize): output pixel i samples the input at (i + 0.5) * scale - 0.5,
 * where scale = input size / output size; when downscaling with antialiasing the kernel is
 * stretched by the scale factor (its support widens, so every input pixel contributes), and the
 * weights of each output pixel are normalised to sum to 1, which also handles the borders.
 * Without antialiasing the kernel keeps its own support: for {@link #BILINEAR} that is plain
 * interpolation between the two nearest pixels, clamped at the borders.
 *
 * <p>{@link MatlabImresize} reuses the kernels, {@link Weights} and the two passes with MATLAB's
 * sample positions and border handling.
 */
public final class Resampler {
  /** An interpolation kernel: weight(x) for a distance x in (input) pixels, zero beyond support. */
  public interface Kernel {
    /** Half-width of the kernel: weight(x) = 0 for |x| >= support(). */
    double support();

    double weight(double x);
  }

  /** The triangle (tent) kernel of bilinear interpolation, PIL's {@code BILINEAR}. */
  public static final Kernel BILINEAR = kernel("bilinear", 1.0, x -> {
    double a = Math.abs(x);
    return a < 1.0 ? 1.0 - a : 0.0;
  });

  /**
   * Keys' cubic convolution kernel with a = -0.5 (Keys 1981): PIL's {@code BICUBIC} and MATLAB's
   * {@code cubic} (the kernel of {@code imresize(..., 'bicubic')}). Reproduces linear functions.
   */
  public static final Kernel CUBIC = kernel("bicubic", 2.0, x -> {
    double a = Math.abs(x);
    double a2 = a * a;
    double a3 = a2 * a;
    if (a <= 1.0) {
      return 1.5 * a3 - 2.5 * a2 + 1.0;
    }
    return a <= 2.0 ? -0.5 * a3 + 2.5 * a2 - 4.0 * a + 2.0 : 0.0;
  });

  private static Kernel kernel(String name, double support, DoubleUnaryOperator weight) {
    return new Kernel() {
      @Override
      public double support() {
        return support;
      }

      @Override
      public double weight(double x) {
        return weight.applyAsDouble(x);
      }

      @Override
      public String toString() {
        return name;
      }
    };
  }

  /** Rounds each sum of a pass to float: the intermediate image of PIL's mode "F" resize. */
  private static final DoubleUnaryOperator FLOAT = v -> (float) v;

  /**
   * The input pixels and normalised weights of each output pixel along one axis: output pixel i
   * is the sum over k < count[i] of weight[i][k] * input[first[i] + k].
   */
  public record Weights(int[] first, int[] count, double[][] weight) {}

  private final Kernel kernel;
  private final boolean antialias;

  public Resampler(Kernel kernel, boolean antialias) {
    this.kernel = kernel;
    this.antialias = antialias;
  }

  /** Resizes an {@code inH x inW} HWC RGB image to {@code outH x outW}. */
  public float[] resize(float[] hwc, int inH, int inW, int outH, int outW) {
    if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("cannot resize " + inH + "x" + inW + " to " + outH + "x" + outW);
    }
    if (hwc.length != inH * inW * 3) {
      throw new IllegalArgumentException("a " + inH + "x" + inW + " RGB image has " + inH * inW * 3
          + " floats, got " + hwc.length);
    }
    if (outH == inH && outW == inW) {
      return hwc;
    }
    double[] img = toDouble(hwc);
    if (outW != inW) {
      img = horizontal(img, inH, inW, weights(inW, outW), FLOAT);
    }
    if (outH != inH) {
      img = vertical(img, inH, outW, weights(inH, outH), FLOAT);
    }
    return toFloat(img);
  }

  /** Resizes an image to {@code outH x outW}. */
  public Image resize(Image image, int outH, int outW) {
    return new Image(outH, outW, resize(image.hwc(), image.height(), image.width(), outH, outW));
  }

  /** PIL's {@code precompute_coeffs}: the weights for resizing one axis from inSize to outSize. */
  public Weights weights(int inSize, int outSize) {
    double scale = (double) inSize / outSize;
    double stretch = antialias ? Math.max(scale, 1.0) : 1.0;
    double support = kernel.support() * stretch;
    int[] first = new int[outSize];
    int[] count = new int[outSize];
    double[][] weight = new double[outSize][];
    for (int i = 0; i < outSize; i++) {
      double center = (i + 0.5) * scale; // in edge coordinates: input pixel j covers [j, j + 1)
      int lo = Math.max((int) Math.floor(center - support + 0.5), 0);
      int hi = Math.min((int) Math.floor(center + support + 0.5), inSize);
      double[] w = new double[Math.max(hi - lo, 0)];
      double sum = 0;
      for (int k = 0; k < w.length; k++) {
        w[k] = kernel.weight((lo + k + 0.5 - center) / stretch);
        sum += w[k];
      }
      if (sum == 0) { // cannot happen for kernels positive near 0; keep the nearest pixel
        lo = Math.min((int) center, inSize - 1);
        w = new double[] {1.0};
        sum = 1.0;
      }
      for (int k = 0; k < w.length; k++) {
        w[k] /= sum;
      }
      first[i] = lo;
      count[i] = w.length;
      weight[i] = w;
    }
    return new Weights(first, count, weight);
  }

  /**
   * Resamples every row of an {@code h x inW} HWC RGB image with {@code wx}, in double; each output
   * value is {@code store(sum)}, the precision of the result (float, uint8, or none).
   */
  static double[] horizontal(double[] src, int h, int inW, Weights wx, DoubleUnaryOperator store) {
    int outW = wx.first().length;
    double[] dst = new double[h * outW * 3];
    for (int y = 0; y < h; y++) {
      int row = y * inW * 3;
      for (int x = 0; x < outW; x++) {
        double r = 0;
        double g = 0;
        double b = 0;
        double[] w = wx.weight()[x];
        int p = row + wx.first()[x] * 3;
        for (int k = 0; k < w.length; k++, p += 3) {
          r += w[k] * src[p];
          g += w[k] * src[p + 1];
          b += w[k] * src[p + 2];
        }
        int q = (y * outW + x) * 3;
        dst[q] = store.applyAsDouble(r);
        dst[q + 1] = store.applyAsDouble(g);
        dst[q + 2] = store.applyAsDouble(b);
      }
    }
    return dst;
  }

  /** Resamples every column of an {@code inH x w} HWC RGB image with {@code wy}, as {@link #horizontal}. */
  static double[] vertical(double[] src, int inH, int w, Weights wy, DoubleUnaryOperator store) {
    int outH = wy.first().length;
    int rowLen = w * 3;
    double[] dst = new double[outH * rowLen];
    double[] acc = new double[rowLen];
    for (int y = 0; y < outH; y++) {
      java.util.Arrays.fill(acc, 0);
      double[] wk = wy.weight()[y];
      for (int k = 0; k < wk.length; k++) {
        int p = (wy.first()[y] + k) * rowLen;
        for (int j = 0; j < rowLen; j++) {
          acc[j] += wk[k] * src[p + j];
        }
      }
      for (int j = 0; j < rowLen; j++) {
        dst[y * rowLen + j] = store.applyAsDouble(acc[j]);
      }
    }
    return dst;
  }

  private static double[] toDouble(float[] v) {
    double[] d = new double[v.length];
    for (int i = 0; i < v.length; i++) {
      d[i] = v[i];
    }
    return d;
  }

  static float[] toFloat(double[] v) {
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i];
    }
    return f;
  }

  /**
   * Crops the centre {@code cropH x cropW} of an HWC RGB image, with torchvision's offsets
   * round((size - crop) / 2) (half to even).
   */
  public static Image centerCrop(Image image, int cropH, int cropW) {
    int h = image.height();
    int w = image.width();
    if (cropH > h || cropW > w || cropH <= 0 || cropW <= 0) {
      throw new IllegalArgumentException("cannot crop " + cropH + "x" + cropW + " from a " + h + "x" + w + " image");
    }
    int top = (int) Math.rint((h - cropH) / 2.0);
    int left = (int) Math.rint((w - cropW) / 2.0);
    return crop(image, top, left, cropH, cropW);
  }

  /** The {@code cropH x cropW} window of an image whose top-left corner is (top, left). */
  public static Image crop(Image image, int top, int left, int cropH, int cropW) {
    if (top < 0 || left < 0 || top + cropH > image.height() || left + cropW > image.width()) {
      throw new IllegalArgumentException("the window " + cropH + "x" + cropW + " at (" + top + ", " + left
          + ") lies outside a " + image.height() + "x" + image.width() + " image");
    }
    if (top == 0 && left == 0 && cropH == image.height() && cropW == image.width()) {
      return image;
    }
    float[] dst = new float[cropH * cropW * 3];
    for (int y = 0; y < cropH; y++) {
      System.arraycopy(image.hwc(), ((top + y) * image.width() + left) * 3, dst, y * cropW * 3, cropW * 3);
    }
    return new Image(cropH, cropW, dst);
  }

  @Override
  public String toString() {
    return kernel + (antialias ? " (antialiased)" : "");
  }
}
