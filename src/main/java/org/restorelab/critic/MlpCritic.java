package org.restorelab.critic;

import java.util.List;
import org.restorelab.graph.Mlp;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** The toy critic D(x) of Table 2: an MLP on the 2-d point, x [n, 2] -> logits [n, 1]. */
public final class MlpCritic<T extends TFloating> implements Critic<T> {
  private final Mlp<T> mlp;
  private final long parameterCount;

  public MlpCritic(Parameters<T> params, List<Integer> hidden, int inputDim) {
    this.mlp = new Mlp<>(params, inputDim,
        hidden.isEmpty() ? org.restorelab.estimator.ToyMlpEstimator.TABLE2_HIDDEN : hidden, 1);
    this.parameterCount = params.count();
  }

  /** D(x): logits [n, 1]. */
  @Override
  public Operand<T> logits(Ops tf, Operand<T> x) {
    return mlp.apply(tf, x);
  }

  @Override
  public long parameterCount() {
    return parameterCount;
  }

  public Mlp<T> mlp() {
    return mlp;
  }
}
