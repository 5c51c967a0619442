package org.restorelab.task;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * A restoration problem: a deterministic degradation y = D(x), the input the estimator's network
 * sees, and the consistency enforcement that makes every output satisfy D(x_hat) = y (section 4:
 * "every estimator is made perfectly consistent by construction"). Shapes exclude the batch
 * dimension.
 */
public interface RestorationTask {
  /** A short name for reports and folder names, e.g. "inpainting" or "sr4". */
  String name();

  /** The shape of a clean signal x. */
  Shape signalShape();

  /** The shape of a measurement y (what the attack perturbs, Eq. 6). */
  Shape measurementShape();

  /** y = D(x). */
  <T extends TFloating> Operand<T> degrade(Ops tf, Operand<T> x);

  /** The network's input for a measurement y (signal-shaped). */
  <T extends TFloating> Operand<T> networkInput(Ops tf, Operand<T> y);

  /** Projects the network's raw output onto {x : D(x) = y}. */
  <T extends TFloating> Operand<T> enforceConsistency(Ops tf, Operand<T> raw, Operand<T> y);

  /** Scalars per measurement. */
  default long measurementSize() {
    return measurementShape().size();
  }
}
