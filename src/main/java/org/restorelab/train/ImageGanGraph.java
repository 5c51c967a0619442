package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.attack.RobustnessLoss;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.critic.ResNetCritic;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.ConvolutionPrecision;
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
 *       with lazy R1 ({@code r1_every} = k > 1, {@link LazyR1}) the R1 step adds k R1 and the other
 *       steps use the GAN loss alone, with StyleGAN2's rescaled Adam;
 *   <li>a sample path: G in inference mode (moving averages) for sample grids.
 * </ul>
 * With {@code objective: L1} there is no critic: the estimator step minimises
 * L_1 = mean |G(D(x), 0) - x| ({@link L1Loss}), and the GAN, robustness and critic ops are null.
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
  final UNetEstimator<TFloat32> estimator;
  final AdamOptimizer estimatorAdam;
  /** Clean images x [B, h, w, 3] of the estimator step and (adversarial) of the critic step. */
  final Placeholder<TFloat32> estimatorBatch;
  final Placeholder<TInt64> seed;
  /** G(D(x), z) of the estimator step, in training mode (batch statistics). */
  final Operand<TFloat32> estimatorOutput;
  Op estimatorStep;
  // objective ADVERSARIAL (null for L1)
  Parameters<TFloat32> criticParams;
  ResNetCritic<TFloat32> critic;
  AdamOptimizer criticAdam;
  Placeholder<TFloat32> criticBatch;
  Operand<TFloat32> ganLoss;
  Operand<TFloat32> robustLoss;
  Operand<TFloat32> criticLoss;
  Operand<TFloat32> r1;
  /** Mean critic logits on the critic step's real and generated batches. */
  Operand<TFloat32> meanRealLogit;
  Operand<TFloat32> meanFakeLogit;
  Op estimatorRobustStep;
  /** The critic step with R1 (k R1 under lazy R1, k = r1_every): the only critic step when k = 1. */
  Op criticStep;
  /** The critic step on the GAN loss alone, for the steps between R1 steps (null when k = 1). */
  Op criticStepWithoutR1;
  // objective L1 (null for ADVERSARIAL): mean |x_hat - x| and the batch PSNR of the estimator step
  Operand<TFloat32> l1Loss;
  Operand<TFloat32> psnr;
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
    estimatorParams = new Parameters<>(tf, ESTIMATOR, masterSeed, TFloat32.class);
    estimatorStatistics = new Parameters<>(tf, ESTIMATOR_STATISTICS, masterSeed, TFloat32.class);
    estimator = new UNetEstimator<>(estimatorParams, estimatorStatistics, config.getEstimator(), task, bfloat16());
    estimatorAdam = new AdamOptimizer(tf, estimatorParams, config.getEstimatorOptimizer());
    estimatorBatch = tf.withName("estimator_batch").placeholder(TFloat32.class, Placeholder.shape(images()));
    sampleBatch = tf.withName("sample_batch").placeholder(TFloat32.class, Placeholder.shape(images()));
    seed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

    Operand<TFloat32> y = task.degrade(tf, estimatorBatch);
    UNetEstimator.Forward<TFloat32> fake = estimator.apply(tf, y, noise(y, 1, 1), BatchNorm.Mode.TRAINING);
    estimatorOutput = fake.output();
    if (adversarial()) {
      buildAdversarial(y, fake, masterSeed);
    } else {
      buildL1(fake);
    }

    // samples in inference mode
    sampleMeasurement = task.degrade(tf, sampleBatch);
    sampleInputView = task.networkInput(tf, sampleMeasurement);
    sampleOutput = tf.withName("sample_output").identity(
        estimator.apply(tf, sampleMeasurement, noise(sampleMeasurement, 1, 5), BatchNorm.Mode.INFERENCE).output());

    variables = new VariableStore(tf, new ArrayList<>(adversarial()
        ? List.of(estimatorParams, estimatorStatistics, criticParams, estimatorAdam.slots(), criticAdam.slots())
        : List.of(estimatorParams, estimatorStatistics, estimatorAdam.slots())));
  }

  boolean adversarial() {
    return config.getObjective() == ImageGanConfig.Objective.ADVERSARIAL;
  }

  private boolean bfloat16() {
    return ConvolutionPrecision.bfloat16(config.getPrecision());
  }

  private Shape images() {
    int side = config.getData().getImageSize();
    return Shape.of(-1, side, side, 3);
  }

  /** The estimator step on L_1 = mean |G(y, 0) - x| (no critic). */
  private void buildL1(UNetEstimator.Forward<TFloat32> fake) {
    l1Loss = tf.withName("loss_l1").identity(L1Loss.meanAbsoluteError(tf, fake.output(), estimatorBatch));
    psnr = tf.withName("psnr").identity(L1Loss.batchPsnr(tf, fake.output(), estimatorBatch));
    estimatorStep = withMovingAverages(estimatorAdam.apply(Graphs.gradients(tf, l1Loss, estimatorParams.reads())),
        fake.updates());
  }

  /** The critic, the estimator's GAN (and robust) steps and the critic step with R1. */
  private void buildAdversarial(Operand<TFloat32> y, UNetEstimator.Forward<TFloat32> fake, long masterSeed) {
    int side = config.getData().getImageSize();
    criticParams = new Parameters<>(tf, CRITIC, masterSeed, TFloat32.class);
    critic = new ResNetCritic<>(criticParams, config.getCritic(), side, bfloat16());
    criticAdam = new AdamOptimizer(tf, criticParams, config.getCriticOptimizer());
    criticBatch = tf.withName("critic_batch").placeholder(TFloat32.class, Placeholder.shape(images()));

    // estimator step
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
    }

    // critic step: real x against G(D(x), z) of the same images
    Operand<TFloat32> yc = task.degrade(tf, criticBatch);
    Operand<TFloat32> fakeForCritic = tf.stopGradient(
        estimator.apply(tf, yc, noise(yc, 1, 4), BatchNorm.Mode.TRAINING).output());
    Operand<TFloat32> realLogits = critic.logits(tf, criticBatch);
    Operand<TFloat32> fakeLogits = critic.logits(tf, fakeForCritic);
    criticLoss = tf.withName("loss_critic").identity(GanLoss.criticLoss(tf, realLogits, fakeLogits));
    // diagnostics: mean D(x) and D(x_hat) before the update (both near 0 for a flat critic)
    meanRealLogit = tf.withName("d_real").identity(Graphs.meanAll(tf, realLogits));
    meanFakeLogit = tf.withName("d_fake").identity(Graphs.meanAll(tf, fakeLogits));
    // R1 on the same forward pass of D(x) as the loss
    r1 = tf.withName("r1").identity(GanLoss.r1(tf, realLogits, criticBatch, config.getR1Gamma()));
    int k = config.getR1Every();
    if (k == 1) {
      criticStep = criticAdam.apply(Graphs.gradients(tf, tf.math.add(criticLoss, r1), criticParams.reads()));
    } else {
      // one R1 subgraph; the R1 step differentiates criticLoss + k R1, the other step criticLoss alone
      Operand<TFloat32> lazy = tf.math.mul(Graphs.constant(tf, k, TFloat32.class), r1);
      criticStep = criticAdam.apply(Graphs.gradients(tf, tf.math.add(criticLoss, lazy), criticParams.reads()));
      criticStepWithoutR1 = criticAdam.apply(Graphs.gradients(tf, criticLoss, criticParams.reads()));
    }
  }

  /** The critic step of 0-based {@code step}: with R1 on R1 steps ({@link LazyR1#isR1Step}), else without. */
  Op criticStep(long step) {
    return criticStepWithoutR1 == null || LazyR1.isR1Step(step, config.getR1Every()) ? criticStep : criticStepWithoutR1;
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

  /** The critic (null for the L1 objective). */
  public ResNetCritic<TFloat32> critic() {
    return critic;
  }

  @Override
  public void close() {
    graph.close();
  }
}
