package org.restorelab.estimator;

import java.util.List;
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
public final class ToyMlpEstimator<T extends TFloating> {
  /** Table 2's hidden widths. */
  public static final List<Integer> TABLE2_HIDDEN = List.of(512, 512, 512, 512);

  private final Mlp<T> mlp;
  private final int noiseDim;

  public ToyMlpEstimator(Parameters<T> params, List<Integer> hidden, int noiseDim) {
    this.mlp = new Mlp<>(params, 1 + noiseDim, hidden.isEmpty() ? TABLE2_HIDDEN : hidden, 1);
    this.noiseDim = noiseDim;
  }

  /** G(y, z): y [n, 1], z [n, dz] -> [n, 1]. */
  public Operand<T> estimate(Ops tf, Operand<T> y, Operand<T> z) {
    return mlp.apply(tf, tf.concat(List.of(y, z), tf.constant(1)));
  }

  /** X_hat = (y, G(y, z)) [n, 2], made consistent by the toy task's projection. */
  public Operand<T> output(Ops tf, Operand<T> y, Operand<T> z) {
    return ToyProjection.INSTANCE.enforceConsistency(tf, estimate(tf, y, z), y);
  }

  public int noiseDim() {
    return noiseDim;
  }

  public Mlp<T> mlp() {
    return mlp;
  }
}
