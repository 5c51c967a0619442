package org.restorelab.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.family.TFloating;

/**
 * A k x k convolution, stride 1, "same" zero padding, NHWC: x [n, h, w, in] -> [n, h, w, out],
 * weight [k, k, in, out], optional bias. PyTorch's default init (fan_in = k k in). With
 * {@code bfloat16} the product is computed in bfloat16 (inputs and weights cast, float32
 * master weights), the result cast back.
 */
public record Conv2d<T extends TFloating>(Parameters.Parameter<T> weight, Parameters.Parameter<T> bias,
    int kernel, int in, int out, boolean bfloat16) {

  public static <T extends TFloating> Conv2d<T> create(Parameters<T> params, String name, int kernel, int in,
      int out, boolean withBias, boolean bfloat16) {
    Initializer init = Initializer.torchDefault((long) kernel * kernel * in);
    Parameters.Parameter<T> w = params.create(name + "_w", Shape.of(kernel, kernel, in, out), init);
    Parameters.Parameter<T> b = withBias ? params.create(name + "_b", Shape.of(out), init) : null;
    return new Conv2d<>(w, b, kernel, in, out, bfloat16);
  }

  public Operand<T> apply(Ops tf, Operand<T> x) {
    Operand<T> y;
    if (bfloat16) {
      Operand<TBfloat16> lo = tf.nn.conv2d(tf.dtypes.cast(x, TBfloat16.class),
          tf.dtypes.cast(weight.read(), TBfloat16.class), java.util.List.of(1L, 1L, 1L, 1L), "SAME");
      y = tf.dtypes.cast(lo, x.type());
    } else {
      y = tf.nn.conv2d(x, weight.read(), java.util.List.of(1L, 1L, 1L, 1L), "SAME");
    }
    return bias == null ? y : tf.nn.biasAdd(y, bias.read());
  }

  /** Scalars in the weight and bias. */
  public long parameterCount() {
    return (long) kernel * kernel * in * out + (bias == null ? 0 : out);
  }

  /** Multiply-adds per output pixel. */
  public long macsPerPixel() {
    return (long) kernel * kernel * in * out;
  }
}
