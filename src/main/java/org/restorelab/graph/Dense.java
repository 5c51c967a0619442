package org.restorelab.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** A fully connected layer y = x W + b, x [n, in] -> y [n, out]. PyTorch's default init. */
public record Dense<T extends TFloating>(Parameters.Parameter<T> weight, Parameters.Parameter<T> bias,
    int in, int out) {

  public static <T extends TFloating> Dense<T> create(Parameters<T> params, String name, int in, int out) {
    Initializer init = Initializer.torchDefault(in);
    return new Dense<>(params.create(name + "_w", Shape.of(in, out), init),
        params.create(name + "_b", Shape.of(out), init), in, out);
  }

  public Operand<T> apply(Ops tf, Operand<T> x) {
    return tf.nn.biasAdd(tf.linalg.matMul(x, weight.read()), bias.read());
  }

  /** Multiply-adds per input row. */
  public long macsPerRow() {
    return (long) in * out;
  }
}
