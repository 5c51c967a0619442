package org.restorelab.attack;

import java.util.function.BiFunction;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.RobustnessConfig;
import org.restorelab.graph.Graphs;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The robustness loss of Eq. 7 for a batch of inputs y [B, dy], with S draws of z per y:
 * <pre>
 *   r~(y) = max_{|delta| <= eps} (1/S) sum_s |G(y, z_s) - G(y + delta, z_s)|^2     (Eq. 6)
 *   L_R   = (1/B) sum_b (1/S) sum_s |G(y_b, z_bs) - G(y_b + delta*_b, z_bs)|^2      (Eq. 7)
 * </pre>
 * The same z on both sides; delta* from {@link UnrolledAdamAttack} and cut by StopGradient, so
 * the estimator's gradient flows through both G terms but not through the attack.
 */
public final class RobustnessLoss {

  /** L_R (optionally divided by eps^2 or by the output size), the per-input sensitivity [B] at delta*, and delta* [B, dy]. */
  public record Terms<T extends TFloating>(Operand<T> loss, Operand<T> perInput, Operand<T> delta) {}

  private RobustnessLoss() {}

  /**
   * @param g G(y_in [B*S, dy], z [B*S, dz]) -> [B*S, dout]
   * @param y inputs [B, dy]
   * @param z latents [B*S, dz], S consecutive rows per input
   * @param seed [2] int64 seed of delta's random start
   */
  public static <T extends TFloating> Terms<T> build(Ops tf, BiFunction<Operand<T>, Operand<T>, Operand<T>> g,
      Operand<T> y, int dy, Operand<T> z, int seeds, Operand<TInt64> seed, RobustnessConfig config) {
    AttackConfig attack = config.getAttack();
    Class<T> type = y.type();
    Operand<T> yRep = repeatRows(tf, y, seeds, dy);
    Operand<T> clean = g.apply(yRep, z);
    Operand<T> target = tf.stopGradient(clean);
    // delta starts as N(0, (init_scale eps)^2) per element, projected onto the ball
    Operand<T> noise = tf.random.statelessRandomNormal(tf.shape(y, TInt64.class), seed, type);
    Operand<T> delta0 = UnrolledAdamAttack.project(tf,
        tf.math.mul(noise, Graphs.constant(tf, attack.getInitScale() * attack.getEpsilon(), type)),
        attack.getEpsilon());
    Operand<T> deltaStar = tf.stopGradient(UnrolledAdamAttack.maximise(tf,
        delta -> meanOverSeeds(tf, squaredDistance(tf, target, g.apply(tf.math.add(yRep, repeatRows(tf, delta, seeds, dy)), z)), seeds),
        delta0, attack));
    Operand<T> perInput = meanOverSeeds(tf,
        squaredDistance(tf, clean, g.apply(tf.math.add(yRep, repeatRows(tf, deltaStar, seeds, dy)), z)), seeds);
    Operand<T> loss = Graphs.meanAll(tf, perInput);
    switch (config.getNormalization()) {
      case EPSILON_SQUARED -> loss = tf.math.div(loss, Graphs.constant(tf, attack.getEpsilon() * attack.getEpsilon(), type));
      case MEAN_OVER_ELEMENTS -> loss = tf.math.div(loss, tf.dtypes.cast(
          tf.gather(tf.shape(clean, TInt64.class), tf.constant(1), tf.constant(0)), type));
      case NONE -> { }
    }
    return new Terms<>(loss, perInput, deltaStar);
  }

  /** x [B, d] -> [B*S, d], each row repeated S times consecutively. */
  public static <T extends TFloating> Operand<T> repeatRows(Ops tf, Operand<T> x, int times, int d) {
    Operand<T> tiled = tf.tile(tf.expandDims(x, tf.constant(1)), tf.constant(new int[] {1, times, 1}));
    return tf.reshape(tiled, tf.constant(new long[] {-1, d}));
  }

  /** |a - b|^2 per row: [n, d] -> [n]. */
  static <T extends TFloating> Operand<T> squaredDistance(Ops tf, Operand<T> a, Operand<T> b) {
    return Graphs.sumPerRow(tf, tf.math.square(tf.math.sub(a, b)));
  }

  /** [B*S] -> [B], the mean over each input's S rows. */
  static <T extends TFloating> Operand<T> meanOverSeeds(Ops tf, Operand<T> perRow, int seeds) {
    return tf.math.mean(tf.reshape(perRow, tf.constant(new long[] {-1, seeds})), tf.constant(1));
  }
}
