package org.restorelab.graph;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.op.data.LeakyReluGrad;
import org.tensorflow.types.family.TFloating;

/** Activations written so that Grappler's remapper can rewrite the graph around them. */
public final class Activations {
  /** The op type of {@link #leakyRelu}'s node. */
  public static final String LEAKY_RELU_OP = LeakyReluGrad.OP_NAME;

  private Activations() {}

  /**
   * LeakyReLU(x) = x > 0 ? x : slope x, built as the op {@code LeakyReluGrad(gradients = x,
   * features = x)}, which computes {@code features > 0 ? gradients : gradients * slope}: the
   * LeakyRelu kernel's expression, so the values are the same bit for bit. Its registered
   * gradient is {@code LeakyReluGrad(dy, x)} for the first input and none for the second (the
   * mask is constant almost everywhere), exactly the gradient TF builds for {@code LeakyRelu},
   * and it has gradients of every order (R1 differentiates it twice).
   *
   * <p>Why not {@code tf.nn.leakyRelu}: with oneDNN on (TF_ENABLE_ONEDNN_OPTS=1), TF 2.18's
   * remapper fuses a {@code LeakyRelu} into the {@code _FusedConv2D} (Conv2D + BiasAdd) feeding it
   * in its second pass ({@code FindFusedConvWithFusedActivation}, "Fuse _FusedConv2D and
   * LeakyRelu") without checking that the LeakyRelu is the conv's only consumer. In a training
   * graph the conv's output also feeds the {@code LeakyReluGrad} nodes of the backward pass, so
   * deleting it fails the whole pass ("remapper failed: ... fanout 'Gradients/LeakyReluGrad_N'
   * exist for missing node 'BiasAdd_M'"). That pattern's root must be a LeakyRelu op; this one
   * is not, so the pass completes. The Conv2D + BiasAdd fusion of the first pass is unaffected.
   */
  public static <T extends TFloating> Operand<T> leakyRelu(Ops tf, Operand<T> x, double slope) {
    return tf.data.leakyReluGrad(x, x, LeakyReluGrad.alpha((float) slope));
  }
}
