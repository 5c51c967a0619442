package org.restorelab.task;

import org.restorelab.graph.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Super-resolution by s (section 6): y = AvgPool_s(x), box averaging over non-overlapping s x s
 * blocks; the network sees NN_up_s(y); consistency by the {@link CemProjection} (Bahat and Michaeli
 * 2020), which for a non-overlapping box kernel is x_hat = raw + NN_up_s(y - AvgPool_s(raw)), so
 * that AvgPool_s(x_hat) = y exactly (SPEC section 4). {@link #anySize} is the same task for
 * images of any size divisible by s: its shapes have -1 for h and w, read at run time.
 */
public final class SuperResolution implements RestorationTask {
  private final int height;
  private final int width;
  private final int scale;

  /** Super-resolution by {@code scale} of images of any h, w divisible by it. */
  public static SuperResolution anySize(int scale) {
    return new SuperResolution(-1, -1, scale);
  }

  public SuperResolution(int height, int width, int scale) {
    if (height == -1 && width == -1 && scale >= 2) {
      this.height = height;
      this.width = width;
      this.scale = scale;
      return;
    }
    if (scale < 2 || height % scale != 0 || width % scale != 0) {
      throw new IllegalArgumentException("super-resolution scale " + scale + " must be >= 2 and divide the image size "
          + height + "x" + width);
    }
    this.height = height;
    this.width = width;
    this.scale = scale;
  }

  @Override
  public String name() {
    return "sr" + scale;
  }

  public int scale() {
    return scale;
  }

  @Override
  public Shape signalShape() {
    return Shape.of(height, width, 3);
  }

  @Override
  public Shape measurementShape() {
    return anySizes() ? Shape.of(-1, -1, 3) : Shape.of(height / scale, width / scale, 3);
  }

  @Override
  public <T extends TFloating> Operand<T> degrade(Ops tf, Operand<T> x) {
    return anySizes() ? Pooling.average(tf, x, scale, 3) : Pooling.average(tf, x, scale, height, width, 3);
  }

  @Override
  public <T extends TFloating> Operand<T> networkInput(Ops tf, Operand<T> y) {
    return anySizes() ? Pooling.nearestUpsample(tf, y, scale, 3)
        : Pooling.nearestUpsample(tf, y, scale, height / scale, width / scale, 3);
  }

  @Override
  public <T extends TFloating> Operand<T> enforceConsistency(Ops tf, Operand<T> raw, Operand<T> y) {
    return anySizes() ? CemProjection.project(tf, raw, y, scale, 3)
        : CemProjection.project(tf, raw, y, scale, height, width, 3);
  }

  /** Whether this is the {@link #anySize} task (h and w read at run time). */
  public boolean anySizes() {
    return height < 0;
  }
}
