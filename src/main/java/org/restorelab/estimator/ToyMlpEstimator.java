package org.restorelab.estimator;

import java.util.List;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Mlp;
import org.restorelab.graph.Parameters;
import org.restorelab.task.ToyProjection;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The toy estimator G(y, z) of Table 2: an MLP on concat(y, z) [n, 1 + dz] that outputs the
 * estimate of X(2) [n, 1]. The full estimate is X_hat = concat(y, G(y, z)), consistent by
 * construction. A deterministic estimator is the same network fed z = 0.
 */
public final class ToyMlpEstimator<T extends TFloating> implements TrainableEstimator<T> {
  /** Table 2's hidden widths. */
  public static final List<Integer> TABLE2_HIDDEN = List.of(512, 512, 512, 512);

  private final Mlp<T> mlp;
  private final int noiseDim;
  private final long parameterCount;

  public ToyMlpEstimator(Parameters<T> params, List<Integer> hidden, int noiseDim) {
    this.mlp = new Mlp<>(params, 1 + noiseDim, hidden.isEmpty() ? TABLE2_HIDDEN : hidden, 1);
    this.noiseDim = noiseDim;
    this.parameterCount = params.count();
  }

  /** G(y, z): y [n, 1], z [n, dz] -> [n, 1]. */
  public Operand<T> estimate(Ops tf, Operand<T> y, Operand<T> z) {
    return mlp.apply(tf, tf.concat(List.of(y, z), tf.constant(1)));
  }

  /** X_hat = (y, G(y, z)) [n, 2], made consistent by the toy task's projection. */
  public Operand<T> output(Ops tf, Operand<T> y, Operand<T> z) {
    return ToyProjection.INSTANCE.enforceConsistency(tf, estimate(tf, y, z), y);
  }

  /** {@link #output}; the MLP has no batch norm, so {@code mode} changes nothing and there are no updates. */
  @Override
  public Forward<T> apply(Ops tf, Operand<T> y, Operand<T> z, BatchNorm.Mode mode) {
    return new Forward<>(output(tf, y, z), List.of());
  }

  /** L_R compares the estimate of X(2), {@link #estimate} [n, 1] (X(1) = y is not the network's). */
  @Override
  public Operand<T> robustnessOutput(Ops tf, Operand<T> yFlat, Operand<T> z, BatchNorm.Mode mode) {
    return estimate(tf, yFlat, z);
  }

  @Override
  public long noiseSize() {
    return noiseDim;
  }

  @Override
  public long parameterCount() {
    return parameterCount;
  }

  public int noiseDim() {
    return noiseDim;
  }

  public Mlp<T> mlp() {
    return mlp;
  }
}
