package org.restorelab.data.image;

import java.util.function.DoubleUnaryOperator;

/**
 * MATLAB's {@code imresize} (Image Processing Toolbox) on HWC RGB float images: the
 * low-resolution inputs of the super-resolution benchmarks (Set5, Set14, BSD100) are
 * {@code imresize(hr, 1/4, 'bicubic')}, which differs from PIL's resize ({@link Resampler}) in
 * its sample positions, its border handling and, on uint8 images, its rounding.
 *
 * <p>Along one axis of length {@code in} resized to {@code out} with scale factor {@code s}
 * (MATLAB's {@code contributions}, 1-based): output pixel {@code x} samples the input at
 * {@code u = x / s + 0.5 * (1 - 1 / s)}. When {@code s < 1} and antialiasing is on (MATLAB's
 * default for 'bicubic'), the kernel is widened to {@code h(t) = s * kernel(s * t)} of width
 * {@code kernelWidth / s}. The taps are {@code left = floor(u - width / 2)} and the next
 * {@code P = ceil(width) + 2} pixels, weighted by {@code h(u - index)} and normalised to sum to 1;
 * indices outside {@code 1..in} are mirrored symmetrically ({@code aux = [1:in, in:-1:1]},
 * {@code aux(mod(index - 1, 2 * in) + 1)}, so the border pixel is repeated); tap columns whose
 * weight is zero for every output are dropped. The two axes are resized one after the other, the
 * one with the smaller scale first (rows first on a tie).
 *
 * <p>The scale-factor entry point ({@code imresize(A, s)}) gives an output of
 * {@code ceil(s * in)} pixels and uses {@code s} itself in the formulas above (255 x 1/4 gives 64
 * pixels sampled with s = 0.25, not 64/255); the output-size entry point ({@code imresize(A, [h
 * w])}) uses {@code s = out / in} per axis.
 *
 * <p>{@link Precision#DOUBLE} is MATLAB on a double image: double arithmetic throughout, the
 * result is neither rounded nor clipped (bicubic overshoots slightly outside [0, 1] at edges).
 * {@link Precision#UINT8} is MATLAB on a uint8 image: the input is taken as
 * {@code round(255 v)}, and each of the two passes returns uint8 (MATLAB's
 * {@code resizeAlongDim} calls {@code imresizemex}, whose output has the input's class), that is
 * rounded half away from zero and clipped to [0, 255]; the result is {@code q / 255}.
 *
 * <p><b>Which one for the low-resolution inputs:</b> {@link #BICUBIC_UINT8} with
 * {@code resize(hr, 1.0 / factor)}: the SR community runs {@code imresize(imread(png), 1/4,
 * 'bicubic')} on uint8 PNGs, and the LR images are uint8 again. Crop the HR image to a multiple of
 * the factor first ("modcrop", {@link Resampler#crop}) so that LR x factor = HR exactly.
 */
public final class MatlabImresize {
  /** The arithmetic of MATLAB's {@code imresize} for the class of the input image. */
  public enum Precision {
    /** A double image: no rounding or clipping. */
    DOUBLE,
    /** A uint8 image: input quantised to 0..255, each pass rounded and clipped to uint8. */
    UINT8
  }

  /** {@code imresize(A, ..., 'bicubic')} on a double image. */
  public static final MatlabImresize BICUBIC = new MatlabImresize(Resampler.CUBIC, true, Precision.DOUBLE);

  /** {@code imresize(A, ..., 'bicubic')} on a uint8 image: what makes the SR benchmarks' LR inputs. */
  public static final MatlabImresize BICUBIC_UINT8 = new MatlabImresize(Resampler.CUBIC, true, Precision.UINT8);

  /**
   * MATLAB's {@code [weights, indices]} of one axis: output pixel i is the sum over k of
   * {@code weights[i][k] * input[indices[i][k]]}; the indices are 0-based and already mirrored
   * into {@code 0..in-1} (MATLAB's are 1-based), all-zero columns are dropped.
   */
  public record Contributions(int[][] indices, double[][] weights) {}

  private static final DoubleUnaryOperator KEEP = v -> v;

  /** MATLAB's cast of a double to uint8: round half away from zero, saturate. */
  private static final DoubleUnaryOperator UINT8 = v -> v <= 0 ? 0 : v >= 255 ? 255 : Math.round(v);

  private final Resampler.Kernel kernel;
  private final boolean antialias;
  private final Precision precision;

  /**
   * @param kernel {@link Resampler#CUBIC} for 'bicubic', {@link Resampler#BILINEAR} for 'bilinear'
   *     (MATLAB's kernel width is twice {@link Resampler.Kernel#support()})
   * @param antialias MATLAB's 'Antialiasing' (true by default for both)
   */
  public MatlabImresize(Resampler.Kernel kernel, boolean antialias, Precision precision) {
    this.kernel = kernel;
    this.antialias = antialias;
    this.precision = precision;
  }

  /** MATLAB's output length for a scale factor: {@code ceil(scale * in)}. */
  public static int outputSize(int in, double scale) {
    checkScale(scale);
    return (int) Math.ceil(scale * in);
  }

  /** {@code imresize(A, scale)}: an {@code ceil(scale * inH) x ceil(scale * inW)} image. */
  public float[] resize(float[] hwc, int inH, int inW, double scale) {
    return toFloat(resize(toMatlab(hwc), inH, inW, scale));
  }

  /** {@code imresize(A, [outH outW])}: the scale factors are {@code outH / inH} and {@code outW / inW}. */
  public float[] resize(float[] hwc, int inH, int inW, int outH, int outW) {
    return toFloat(resize(toMatlab(hwc), inH, inW, outH, outW));
  }

  /** {@code imresize(image, scale)}. */
  public Image resize(Image image, double scale) {
    float[] out = resize(image.hwc(), image.height(), image.width(), scale);
    return new Image(outputSize(image.height(), scale), outputSize(image.width(), scale), out);
  }

  /** {@code imresize(image, [outH outW])}. */
  public Image resize(Image image, int outH, int outW) {
    return new Image(outH, outW, resize(image.hwc(), image.height(), image.width(), outH, outW));
  }

  /**
   * {@code imresize(A, scale)} on an HWC RGB image of the values MATLAB holds: any doubles for
   * {@link Precision#DOUBLE}, integers in 0..255 for {@link Precision#UINT8} (the result is too).
   */
  public double[] resize(double[] hwc, int inH, int inW, double scale) {
    checkScale(scale);
    return resize(hwc, inH, inW, outputSize(inH, scale), outputSize(inW, scale), scale, scale);
  }

  /** {@code imresize(A, [outH outW])} on MATLAB's values, as {@link #resize(double[], int, int, double)}. */
  public double[] resize(double[] hwc, int inH, int inW, int outH, int outW) {
    return resize(hwc, inH, inW, outH, outW, (double) outH / inH, (double) outW / inW);
  }

  private double[] resize(double[] hwc, int inH, int inW, int outH, int outW, double scaleH, double scaleW) {
    if (inH <= 0 || inW <= 0 || outH <= 0 || outW <= 0) {
      throw new IllegalArgumentException("cannot resize " + inH + "x" + inW + " to " + outH + "x" + outW);
    }
    if (hwc.length != inH * inW * 3) {
      throw new IllegalArgumentException("a " + inH + "x" + inW + " RGB image has " + inH * inW * 3
          + " values, got " + hwc.length);
    }
    DoubleUnaryOperator store = precision == Precision.UINT8 ? UINT8 : KEEP;
    // a scale of 1 gives the weights [1] at the pixel itself: MATLAB's pass copies the image
    boolean rowsFirst = scaleH <= scaleW; // MATLAB: [~, order] = sort(scale), a stable sort
    double[] img = hwc;
    int h = inH;
    int w = inW;
    for (int pass = 0; pass < 2; pass++) {
      if (rowsFirst == (pass == 0)) {
        if (scaleH != 1) {
          img = Resampler.vertical(img, inH, w, weights(inH, outH, scaleH), store);
        }
        h = outH;
      } else {
        if (scaleW != 1) {
          img = Resampler.horizontal(img, h, inW, weights(inW, outW, scaleW), store);
        }
        w = outW;
      }
    }
    return img == hwc ? hwc.clone() : img;
  }

  /** A float image in [0, 1] as MATLAB's values: as is, or {@code im2uint8} (round(255 v), clipped). */
  private double[] toMatlab(float[] hwc) {
    double[] v = new double[hwc.length];
    for (int i = 0; i < hwc.length; i++) {
      v[i] = precision == Precision.UINT8 ? UINT8.applyAsDouble(hwc[i] * 255.0) : hwc[i];
    }
    return v;
  }

  private float[] toFloat(double[] v) {
    if (precision == Precision.DOUBLE) {
      return Resampler.toFloat(v);
    }
    float[] f = new float[v.length];
    for (int i = 0; i < v.length; i++) {
      f[i] = (float) v[i] / 255f;
    }
    return f;
  }

  /**
   * MATLAB's {@code contributions(in_length, out_length, scale, kernel, kernel_width,
   * antialiasing)} with its symmetric border padding, indices 0-based.
   */
  public Contributions contributions(int inLength, int outLength, double scale) {
    checkScale(scale);
    if (inLength <= 0 || outLength <= 0) {
      throw new IllegalArgumentException("cannot resize " + inLength + " pixels to " + outLength);
    }
    boolean widen = scale < 1 && antialias;
    double width = widen ? 2 * kernel.support() / scale : 2 * kernel.support();
    int taps = (int) Math.ceil(width) + 2;
    int[][] indices = new int[outLength][taps];
    double[][] weights = new double[outLength][taps];
    boolean[] used = new boolean[taps];
    for (int i = 0; i < outLength; i++) {
      double u = (i + 1) / scale + 0.5 * (1 - 1 / scale);
      int left = (int) Math.floor(u - width / 2);
      double sum = 0;
      for (int k = 0; k < taps; k++) {
        double t = u - (left + k);
        double wk = widen ? scale * kernel.weight(scale * t) : kernel.weight(t);
        weights[i][k] = wk;
        sum += wk;
      }
      for (int k = 0; k < taps; k++) {
        weights[i][k] /= sum;
        used[k] |= weights[i][k] != 0;
        int m = Math.floorMod(left + k - 1, 2 * inLength); // aux = [1:in, in:-1:1], 0-based
        indices[i][k] = m < inLength ? m : 2 * inLength - 1 - m;
      }
    }
    int kept = 0;
    for (boolean u : used) {
      kept += u ? 1 : 0;
    }
    int[][] keptIndices = new int[outLength][kept];
    double[][] keptWeights = new double[outLength][kept];
    for (int i = 0; i < outLength; i++) {
      for (int k = 0, j = 0; k < taps; k++) {
        if (used[k]) {
          keptIndices[i][j] = indices[i][k];
          keptWeights[i][j++] = weights[i][k];
        }
      }
    }
    return new Contributions(keptIndices, keptWeights);
  }

  /**
   * The {@link #contributions} of one axis as {@link Resampler.Weights}: taps that the mirror
   * sends to the same input pixel are added (the mirrored taps of one output are contiguous).
   */
  public Resampler.Weights weights(int inLength, int outLength, double scale) {
    Contributions c = contributions(inLength, outLength, scale);
    int[] first = new int[outLength];
    int[] count = new int[outLength];
    double[][] weight = new double[outLength][];
    for (int i = 0; i < outLength; i++) {
      int lo = Integer.MAX_VALUE;
      int hi = Integer.MIN_VALUE;
      for (int index : c.indices()[i]) {
        lo = Math.min(lo, index);
        hi = Math.max(hi, index);
      }
      double[] w = new double[hi - lo + 1];
      for (int k = 0; k < c.indices()[i].length; k++) {
        w[c.indices()[i][k] - lo] += c.weights()[i][k];
      }
      first[i] = lo;
      count[i] = w.length;
      weight[i] = w;
    }
    return new Resampler.Weights(first, count, weight);
  }

  private static void checkScale(double scale) {
    if (!(scale > 0) || Double.isInfinite(scale)) {
      throw new IllegalArgumentException("the scale factor must be positive and finite, got " + scale);
    }
  }

  @Override
  public String toString() {
    return "MATLAB imresize " + kernel + (antialias ? " (antialiased, " : " (") + precision.name().toLowerCase() + ")";
  }
}
