package org.restorelab.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A multilayer perceptron: Dense -> ReLU -> ... -> Dense, no activation after the last layer
 * (Table 2: 2 -> 512 -> 512 -> 512 -> 512 -> 1). Applying it twice shares the weights.
 */
public final class Mlp<T extends TFloating> {
  private final List<Dense<T>> layers = new ArrayList<>();

  /** Layers {@code in -> hidden[0] -> ... -> out}, named {@code fc1, fc2, ...}. */
  public Mlp(Parameters<T> params, int in, List<Integer> hidden, int out) {
    int width = in;
    int i = 1;
    for (int h : hidden) {
      layers.add(Dense.create(params, "fc" + i++, width, h));
      width = h;
    }
    layers.add(Dense.create(params, "fc" + i, width, out));
  }

  /** x [n, in] -> [n, out]. */
  public Operand<T> apply(Ops tf, Operand<T> x) {
    Operand<T> h = x;
    for (int i = 0; i < layers.size(); i++) {
      h = layers.get(i).apply(tf, h);
      if (i < layers.size() - 1) {
        h = relu(tf, h);
      }
    }
    return h;
  }

  /**
   * ReLU, written as LeakyReLU with slope 0: the same function, but TF registers a gradient for
   * LeakyReluGrad and none for ReluGrad, and R1 needs the second-order gradient (TFJAVA_NOTES).
   */
  public static <T extends TFloating> Operand<T> relu(Ops tf, Operand<T> x) {
    return tf.nn.leakyRelu(x, org.tensorflow.op.nn.LeakyRelu.alpha(0f));
  }

  /** Multiply-adds of one forward pass per input row (a FLOP is 2 of them). */
  public long macsPerRow() {
    return layers.stream().mapToLong(Dense::macsPerRow).sum();
  }

  public List<Dense<T>> layers() {
    return List.copyOf(layers);
  }
}
