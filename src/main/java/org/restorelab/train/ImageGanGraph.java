package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.attack.RobustnessLoss;
import org.restorelab.config.ComputePrecision;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.critic.ResNetCritic;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The training graph of an image restoration GAN (section 6, Appendix E.2), float32 NHWC:
 * <ul>
 *   <li>estimator step: L_G = E softplus(-D(G(D(x), z))) [+ lambda_R L_R (Eq. 7) on every
 *       {@code apply_every}-th step], Adam on G, then the batch-norm moving averages;
 *   <li>critic step: E softplus(-D(x)) + E softplus(D(x_hat)) + (gamma / 2) E |grad D(x)|^2, Adam on D;
 *   <li>a sample path: G in inference mode (moving averages) for sample grids.
 * </ul>
 * The attack of L_R perturbs the measurement y (the masked image; the low-resolution image
 * before upsampling), per SPEC section 4. Randomness is stateless, from the fed step seed.
 */
public final class ImageGanGraph implements AutoCloseable {
  public static final String ESTIMATOR = "estimator";
  public static final String ESTIMATOR_STATISTICS = "estimator_bn";
  public static final String CRITIC = "critic";

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final ImageGanConfig config;
  final RestorationTask task;
  final Parameters<TFloat32> estimatorParams;
  final Parameters<TFloat32> estimatorStatistics;
  final Parameters<TFloat32> criticParams;
  final UNetEstimator<TFloat32> estimator;
  final ResNetCritic<TFloat32> critic;
  final AdamOptimizer estimatorAdam;
  final AdamOptimizer criticAdam;
  /** Clean images x [B, h, w, 3] of the estimator step and of the critic step. */
  final Placeholder<TFloat32> estimatorBatch;
  final Placeholder<TFloat32> criticBatch;
  final Placeholder<TInt64> seed;
  final Operand<TFloat32> ganLoss;
  final Operand<TFloat32> robustLoss;
  final Operand<TFloat32> criticLoss;
  final Operand<TFloat32> r1;
  final Op estimatorStep;
  final Op estimatorRobustStep;
  final Op criticStep;
  /** Inference-mode samples: clean images in, (y, x_hat) out; z from {@link #seed}. */
  final Placeholder<TFloat32> sampleBatch;
  final Operand<TFloat32> sampleMeasurement;
  /** What the network sees for the sample inputs (the masked image; the upsampled low-resolution one). */
  final Operand<TFloat32> sampleInputView;
  final Operand<TFloat32> sampleOutput;
  final VariableStore variables;

  public ImageGanGraph(ImageGanConfig config, long masterSeed) {
    this.config = config;
    int side = config.getData().getImageSize();
    task = Tasks.create(config.getTask(), side, "image_gan.task");
    boolean bf16 = config.getPrecision() == ComputePrecision.BFLOAT16_CONV;
    estimatorParams = new Parameters<>(tf, ESTIMATOR, masterSeed, TFloat32.class);
    estimatorStatistics = new Parameters<>(tf, ESTIMATOR_STATISTICS, masterSeed, TFloat32.class);
    criticParams = new Parameters<>(tf, CRITIC, masterSeed, TFloat32.class);
    estimator = new UNetEstimator<>(estimatorParams, estimatorStatistics, config.getEstimator(), task, bf16);
    critic = new ResNetCritic<>(criticParams, config.getCritic(), side, bf16);
    estimatorAdam = new AdamOptimizer(tf, estimatorParams, config.getEstimatorOptimizer());
    criticAdam = new AdamOptimizer(tf, criticParams, config.getCriticOptimizer());
    Shape images = Shape.of(-1, side, side, 3);
    estimatorBatch = tf.withName("estimator_batch").placeholder(TFloat32.class, Placeholder.shape(images));
    criticBatch = tf.withName("critic_batch").placeholder(TFloat32.class, Placeholder.shape(images));
    sampleBatch = tf.withName("sample_batch").placeholder(TFloat32.class, Placeholder.shape(images));
    seed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

    // estimator step
    Operand<TFloat32> y = task.degrade(tf, estimatorBatch);
    UNetEstimator.Forward<TFloat32> fake = estimator.apply(tf, y, noise(y, 1, 1), BatchNorm.Mode.TRAINING);
    ganLoss = tf.withName("loss_gan").identity(GanLoss.estimatorLoss(tf, critic.logits(tf, fake.output())));
    estimatorStep = withMovingAverages(estimatorAdam.apply(Graphs.gradients(tf, ganLoss, estimatorParams.reads())),
        fake.updates());
    if (config.getRobustness().getLambdaR() > 0) {
      int seeds = LatentNoise.stochastic(config.getNoise()) ? config.getRobustness().getAttack().getSeeds() : 1;
      robustLoss = tf.withName("loss_robust").identity(robustnessLoss(y, seeds).loss());
      Operand<TFloat32> total = tf.math.add(ganLoss,
          tf.math.mul(Graphs.constant(tf, config.getRobustness().getLambdaR(), TFloat32.class), robustLoss));
      estimatorRobustStep = withMovingAverages(
          estimatorAdam.apply(Graphs.gradients(tf, total, estimatorParams.reads())), fake.updates());
    } else {
      robustLoss = null;
      estimatorRobustStep = null;
    }

    // critic step: real x against G(D(x), z) of the same images
    Operand<TFloat32> yc = task.degrade(tf, criticBatch);
    Operand<TFloat32> fakeForCritic = tf.stopGradient(
        estimator.apply(tf, yc, noise(yc, 1, 4), BatchNorm.Mode.TRAINING).output());
    criticLoss = tf.withName("loss_critic").identity(
        GanLoss.criticLoss(tf, critic.logits(tf, criticBatch), critic.logits(tf, fakeForCritic)));
    r1 = tf.withName("r1").identity(GanLoss.r1(tf, x -> critic.logits(tf, x), criticBatch, config.getR1Gamma()));
    criticStep = criticAdam.apply(Graphs.gradients(tf, tf.math.add(criticLoss, r1), criticParams.reads()));

    // samples in inference mode
    sampleMeasurement = task.degrade(tf, sampleBatch);
    sampleInputView = task.networkInput(tf, sampleMeasurement);
    sampleOutput = tf.withName("sample_output").identity(
        estimator.apply(tf, sampleMeasurement, noise(sampleMeasurement, 1, 5), BatchNorm.Mode.INFERENCE).output());

    variables = new VariableStore(tf, new ArrayList<>(List.of(estimatorParams, estimatorStatistics, criticParams,
        estimatorAdam.slots(), criticAdam.slots())));
  }

  /**
   * L_R of Eq. 7 with the attack on the flattened measurement: G is wrapped to map flat rows
   * [n, dy] to flat rows [n, dx], so the attack's per-row L2 ball is the ball of Eq. 6.
   */
  private RobustnessLoss.Terms<TFloat32> robustnessLoss(Operand<TFloat32> y, int seeds) {
    int dy = (int) task.measurementSize();
    long[] measurement = withBatch(task.measurementShape());
    BatchNorm.Mode mode = config.getAttackBatchNorm() == ImageGanConfig.AttackBatchNorm.MOVING_AVERAGES
        ? BatchNorm.Mode.INFERENCE : BatchNorm.Mode.TRAINING;
    Operand<TFloat32> yFlat = tf.reshape(y, tf.constant(new long[] {-1, dy}));
    Operand<TFloat32> z = noise(y, seeds, 2);
    return RobustnessLoss.build(tf, (yIn, zIn) -> {
      Operand<TFloat32> out = estimator.apply(tf, tf.reshape(yIn, tf.constant(measurement)), zIn, mode).output();
      return tf.reshape(out, tf.constant(new long[] {-1, task.signalShape().size()}));
    }, yFlat, dy, z, seeds, subSeed(3), config.getRobustness());
  }

  private static long[] withBatch(Shape shape) {
    long[] dims = new long[shape.numDimensions() + 1];
    dims[0] = -1;
    System.arraycopy(shape.asArray(), 0, dims, 1, shape.numDimensions());
    return dims;
  }

  /** z [rows(y) * copies, dz] from the step seed's stream k. */
  private Operand<TFloat32> noise(Operand<TFloat32> y, int copies, long k) {
    Operand<TInt64> rows = tf.math.mul(Graphs.rows(tf, y), tf.constant((long) copies));
    return LatentNoise.sample(tf, config.getNoise().getDistribution(), estimator.noiseSize(), rows, subSeed(k),
        TFloat32.class);
  }

  /** The optimizer step, then the moving-average updates of the same forward pass. */
  private Op withMovingAverages(Op step, List<Op> updates) {
    List<Op> all = new ArrayList<>(updates);
    all.add(step);
    return tf.withControlDependencies(all).noOp();
  }

  /** seed + (0, k): an independent stream per use within a step. */
  private Operand<TInt64> subSeed(long k) {
    return tf.math.add(seed, tf.constant(new long[] {0, k << 40}));
  }

  public RestorationTask task() {
    return task;
  }

  public UNetEstimator<TFloat32> estimator() {
    return estimator;
  }

  public ResNetCritic<TFloat32> critic() {
    return critic;
  }

  @Override
  public void close() {
    graph.close();
  }
}
