package org.restorelab.graph;

import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TBfloat16;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * A 2x2, stride-2 transposed convolution (PyTorch's ConvTranspose2d(in, out, 2, stride=2)), NHWC:
 * x [n, h, w, in] -> [n, 2h, 2w, out]; weight [2, 2, out, in] (TF's Conv2DBackpropInput layout),
 * bias [out]. Every output pixel receives exactly one input pixel's contribution.
 */
public record TransposedConv2d<T extends TFloating>(Parameters.Parameter<T> weight, Parameters.Parameter<T> bias,
    int in, int out, boolean bfloat16) {

  public static <T extends TFloating> TransposedConv2d<T> create(Parameters<T> params, String name, int in, int out,
      boolean bfloat16) {
    // PyTorch computes ConvTranspose2d's fan_in from weight dim 1 (out) times the kernel area
    Initializer init = Initializer.torchDefault(4L * out);
    return new TransposedConv2d<>(params.create(name + "_w", Shape.of(2, 2, out, in), init),
        params.create(name + "_b", Shape.of(out), init), in, out, bfloat16);
  }

  public Operand<T> apply(Ops tf, Operand<T> x) {
    Operand<TInt32> shape = tf.shape(x);
    Operand<TInt32> n = tf.slice(shape, tf.constant(new int[] {0}), tf.constant(new int[] {1}));
    Operand<TInt32> hw = tf.math.mul(tf.slice(shape, tf.constant(new int[] {1}), tf.constant(new int[] {2})),
        tf.constant(new int[] {2, 2}));
    Operand<TInt32> outShape = tf.concat(List.of(n, hw, tf.constant(new int[] {out})), tf.constant(0));
    List<Long> strides = List.of(1L, 2L, 2L, 1L);
    Operand<T> y;
    if (bfloat16) {
      y = tf.dtypes.cast(tf.nn.conv2dBackpropInput(outShape, tf.dtypes.cast(weight.read(), TBfloat16.class),
          tf.dtypes.cast(x, TBfloat16.class), strides, "VALID"), x.type());
    } else {
      y = tf.nn.conv2dBackpropInput(outShape, weight.read(), x, strides, "VALID");
    }
    return tf.nn.biasAdd(y, bias.read());
  }

  public long parameterCount() {
    return 4L * in * out + out;
  }
}
