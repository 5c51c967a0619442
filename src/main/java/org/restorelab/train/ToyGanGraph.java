package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.attack.RobustnessLoss;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.critic.MlpCritic;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The training graph of a toy GAN estimator (Appendix E.1), float32:
 * <ul>
 *   <li>estimator step: L_G = E softplus(-D(y, G(y, z))) [+ lambda_R L_R (Eq. 7)], Adam on G;
 *   <li>critic step: L_D = E softplus(-D(x)) + E softplus(D(x_hat)) + (gamma/2) E|grad D(x)|^2,
 *       Adam on D.
 * </ul>
 * Randomness (z, the attack's start) is stateless, from the fed per-step seed.
 */
public final class ToyGanGraph implements AutoCloseable {
  public static final String ESTIMATOR = "estimator";
  public static final String CRITIC = "critic";

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ToyGanConfig config;
  final Parameters<TFloat32> estimatorParams;
  final Parameters<TFloat32> criticParams;
  final ToyMlpEstimator<TFloat32> estimator;
  final MlpCritic<TFloat32> critic;
  final AdamOptimizer estimatorAdam;
  final AdamOptimizer criticAdam;
  /** Real samples x [B, 2] of the estimator step (its y = x(1)) and of the critic step. */
  final Placeholder<TFloat32> estimatorBatch;
  final Placeholder<TFloat32> criticBatch;
  /** The step's [2] int64 seed. */
  final Placeholder<TInt64> seed;
  final Operand<TFloat32> ganLoss;
  final Operand<TFloat32> robustLoss;
  final Operand<TFloat32> criticLoss;
  final Operand<TFloat32> r1;
  final Op estimatorStep;
  final Op estimatorRobustStep;
  final Op criticStep;
  final VariableStore variables;

  public ToyGanGraph(ToyGanConfig config, long masterSeed) {
    this.config = config;
    estimatorParams = new Parameters<>(tf, ESTIMATOR, masterSeed, TFloat32.class);
    criticParams = new Parameters<>(tf, CRITIC, masterSeed, TFloat32.class);
    estimator = new ToyMlpEstimator<>(estimatorParams, config.getEstimator().getHiddenList(), config.getNoise().getDim());
    critic = new MlpCritic<>(criticParams, config.getCritic().getHiddenList(), 2);
    estimatorAdam = new AdamOptimizer(tf, estimatorParams, config.getEstimatorOptimizer());
    criticAdam = new AdamOptimizer(tf, criticParams, config.getCriticOptimizer());
    estimatorBatch = tf.withName("estimator_batch").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
    criticBatch = tf.withName("critic_batch").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 2)));
    seed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

    // estimator step
    Operand<TFloat32> y = column0(estimatorBatch);
    Operand<TFloat32> z = LatentNoise.sample(tf, config.getNoise(), rows(y), subSeed(1), TFloat32.class);
    ganLoss = tf.withName("loss_gan").identity(GanLoss.estimatorLoss(tf, critic.logits(tf, estimator.output(tf, y, z))));
    estimatorStep = estimatorAdam.apply(Graphs.gradients(tf, ganLoss, estimatorParams.reads()));
    if (config.getRobustness().getLambdaR() > 0) {
      int seeds = LatentNoise.stochastic(config.getNoise()) ? config.getRobustness().getAttack().getSeeds() : 1;
      Operand<TFloat32> zRobust = LatentNoise.sample(tf, config.getNoise(),
          tf.math.mul(rows(y), tf.constant((long) seeds)), subSeed(2), TFloat32.class);
      RobustnessLoss.Terms<TFloat32> terms = RobustnessLoss.build(tf,
          (yIn, zIn) -> estimator.estimate(tf, yIn, zIn), y, 1, zRobust, seeds, subSeed(3), config.getRobustness());
      robustLoss = tf.withName("loss_robust").identity(terms.loss());
      Operand<TFloat32> total = tf.math.add(ganLoss,
          tf.math.mul(Graphs.constant(tf, config.getRobustness().getLambdaR(), TFloat32.class), robustLoss));
      estimatorRobustStep = estimatorAdam.apply(Graphs.gradients(tf, total, estimatorParams.reads()));
    } else {
      robustLoss = null;
      estimatorRobustStep = null;
    }

    // critic step
    Operand<TFloat32> yc = column0(criticBatch);
    Operand<TFloat32> zc = LatentNoise.sample(tf, config.getNoise(), rows(yc), subSeed(4), TFloat32.class);
    Operand<TFloat32> fake = tf.stopGradient(estimator.output(tf, yc, zc));
    criticLoss = tf.withName("loss_critic").identity(
        GanLoss.criticLoss(tf, critic.logits(tf, criticBatch), critic.logits(tf, fake)));
    r1 = tf.withName("r1").identity(GanLoss.r1(tf, x -> critic.logits(tf, x), criticBatch, config.getR1Gamma()));
    criticStep = criticAdam.apply(Graphs.gradients(tf, tf.math.add(criticLoss, r1), criticParams.reads()));

    List<Parameters<TFloat32>> all = new ArrayList<>(List.of(estimatorParams, criticParams,
        estimatorAdam.slots(), criticAdam.slots()));
    variables = new VariableStore(tf, all);
  }

  private Operand<TFloat32> column0(Operand<TFloat32> x) {
    return tf.slice(x, tf.constant(new int[] {0, 0}), tf.constant(new int[] {-1, 1}));
  }

  private Operand<TInt64> rows(Operand<TFloat32> x) {
    return Graphs.rows(tf, x);
  }

  /** seed + (0, k): an independent stream per use within a step. */
  private Operand<TInt64> subSeed(long k) {
    return tf.math.add(seed, tf.constant(new long[] {0, k << 40}));
  }

  @Override
  public void close() {
    graph.close();
  }
}
