package org.restorelab.estimator.flow;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * One invertible layer of the conditional flow on NHWC tensors of a fixed per-layer shape,
 * conditioned on low-resolution encoder features u at the same spatial size.
 */
public interface FlowLayer<T extends TFloating> {
  /**
   * x -> (f(x; u), log |det df/dx|). With {@code init} not null, layers with data-dependent
   * initialization (ActNorm) use this batch's statistics and record their assignments there.
   */
  Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init);

  /** f^-1(y; u): the sampling direction. */
  Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u);
}
