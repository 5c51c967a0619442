package org.restorelab.attack;

import java.util.List;
import java.util.function.Function;
import org.restorelab.config.AttackConfig;
import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The inner maximisation of Eq. 6 as an explicit, unrolled subgraph: K Adam ascent steps on
 * delta [B, d] with the attack's own lr and betas, a fresh Adam state (m = v = 0) at every use,
 * and projection of each row onto the L2 ball of radius epsilon after each step:
 * <pre>
 *   g_k = d/d delta sum_b J_b(delta)
 *   m_k = b1 m_{k-1} + (1 - b1) g_k,   v_k = b2 v_{k-1} + (1 - b2) g_k^2
 *   delta <- P_eps(delta + lr (m_k / (1 - b1^k)) / (sqrt(v_k / (1 - b2^k)) + adam_eps))
 * </pre>
 * Rows are independent (J_b depends on delta_b only), so one gradient of the sum gives every
 * row's gradient. TF while-loop gradients fail in TF-Java, hence the unrolling (TFJAVA_NOTES).
 */
public final class UnrolledAdamAttack {
  private UnrolledAdamAttack() {}

  /**
   * The attack's final delta (not stop-gradiented: the caller cuts it).
   *
   * @param objectivePerRow J(delta) [B] for delta [B, d]
   * @param delta0 the start, inside the ball
   */
  public static <T extends TFloating> Operand<T> maximise(Ops tf,
      Function<Operand<T>, Operand<T>> objectivePerRow, Operand<T> delta0, AttackConfig config) {
    Class<T> type = delta0.type();
    double b1 = config.getBeta1();
    double b2 = config.getBeta2();
    Operand<T> delta = delta0;
    Operand<T> m = tf.zerosLike(delta0);
    Operand<T> v = tf.zerosLike(delta0);
    for (int k = 1; k <= config.getSteps(); k++) {
      Operand<T> objective = Graphs.sumAll(tf, objectivePerRow.apply(delta));
      Operand<T> g = Graphs.gradients(tf, objective, List.of(delta)).get(0);
      m = tf.math.add(tf.math.mul(Graphs.constant(tf, b1, type), m), tf.math.mul(Graphs.constant(tf, 1 - b1, type), g));
      v = tf.math.add(tf.math.mul(Graphs.constant(tf, b2, type), v),
          tf.math.mul(Graphs.constant(tf, 1 - b2, type), tf.math.square(g)));
      Operand<T> mHat = tf.math.div(m, Graphs.constant(tf, 1 - Math.pow(b1, k), type));
      Operand<T> vHat = tf.math.div(v, Graphs.constant(tf, 1 - Math.pow(b2, k), type));
      Operand<T> step = tf.math.div(mHat, tf.math.add(tf.math.sqrt(vHat), Graphs.constant(tf, config.getAdamEpsilon(), type)));
      delta = project(tf, tf.math.add(delta, tf.math.mul(Graphs.constant(tf, config.getLr(), type), step)), config.getEpsilon());
    }
    return delta;
  }

  /** P_eps: each row scaled by min(1, eps / |row|_2). */
  public static <T extends TFloating> Operand<T> project(Ops tf, Operand<T> delta, double epsilon) {
    Class<T> type = delta.type();
    Operand<T> norm = tf.math.sqrt(tf.reduceSum(tf.math.square(delta), tf.constant(1),
        org.tensorflow.op.core.ReduceSum.keepDims(true)));
    Operand<T> scale = tf.math.minimum(Graphs.constant(tf, 1, type),
        tf.math.div(Graphs.constant(tf, epsilon, type), tf.math.maximum(norm, Graphs.constant(tf, 1e-30, type))));
    return tf.math.mul(delta, scale);
  }
}
