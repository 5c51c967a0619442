package org.restorelab.estimator;

import java.util.List;
import org.restorelab.graph.BatchNorm;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * An estimator G(y, z) that the GAN pipeline trains and exports (the toy MLP, the U-Net): one
 * forward pass to a consistent x_hat, the flat map the robustness loss L_R (Eq. 7) attacks, and the
 * size of z. Its variables are the {@link org.restorelab.graph.Parameters} it was built from.
 */
public interface TrainableEstimator<T extends TFloating> {
  /** A forward pass: x_hat and the batch-norm moving-average updates of a training pass (none without batch norm). */
  record Forward<T extends TFloating>(Operand<T> output, List<Op> updates) {}

  /** x_hat = G(y, z): y [n, measurement shape], z [n, noiseSize()] -> consistent x_hat [n, signal shape]. */
  Forward<T> apply(Ops tf, Operand<T> y, Operand<T> z, BatchNorm.Mode mode);

  /**
   * What L_R compares, on flat rows: y [n, dy] (dy = the task's measurement size) and z -> [n, d].
   * The attack's per-row L2 ball on these rows is the ball of Eq. 6.
   */
  Operand<T> robustnessOutput(Ops tf, Operand<T> yFlat, Operand<T> z, BatchNorm.Mode mode);

  /** The length of a row of z. */
  long noiseSize();

  /** Trainable scalars. */
  long parameterCount();
}
