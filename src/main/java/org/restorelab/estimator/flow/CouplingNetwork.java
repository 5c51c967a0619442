package org.restorelab.estimator.flow;

import java.util.List;
import org.restorelab.graph.Conv2d;
import org.restorelab.graph.Initializer;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The small CNN inside a coupling or injector layer (Glow's NN()): conv3x3 -> ReLU -> conv1x1 ->
 * ReLU -> conv3x3, the last convolution zero-initialized so the layer starts as the identity map
 * up to its fixed initial scale (Kingma and Dhariwal 2018, section 3.3).
 */
final class CouplingNetwork<T extends TFloating> {
  private final Conv2d<T> first;
  private final Conv2d<T> middle;
  private final Parameters.Parameter<T> lastWeight;
  private final Parameters.Parameter<T> lastBias;

  CouplingNetwork(Parameters<T> params, String name, int in, int hidden, int out) {
    first = Conv2d.create(params, name + "_conv1", 3, in, hidden, true, false);
    middle = Conv2d.create(params, name + "_conv2", 1, hidden, hidden, true, false);
    lastWeight = params.create(name + "_conv3_w", Shape.of(3, 3, hidden, out), Initializer.zeros());
    lastBias = params.create(name + "_conv3_b", Shape.of(out), Initializer.zeros());
  }

  Operand<T> apply(Ops tf, Operand<T> x) {
    Operand<T> h = tf.nn.relu(first.apply(tf, x));
    h = tf.nn.relu(middle.apply(tf, h));
    return tf.nn.biasAdd(tf.nn.conv2d(h, lastWeight.read(), List.of(1L, 1L, 1L, 1L), "SAME"), lastBias.read());
  }

}
