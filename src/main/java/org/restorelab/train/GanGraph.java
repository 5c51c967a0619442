package org.restorelab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.restorelab.attack.RobustnessLoss;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.OptimizerConfig;
import org.restorelab.config.RobustnessConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.critic.Critic;
import org.restorelab.critic.MlpCritic;
import org.restorelab.critic.ResNetCritic;
import org.restorelab.estimator.LatentNoise;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.estimator.TrainableEstimator;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.ConvolutionPrecision;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;
import org.restorelab.task.ToyProjection;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The training graph of a restoration GAN, toy (Appendix E.1) or image (section 6, Appendix E.2),
 * float32, built from a {@link Spec}: the task D, the estimator G, the critic and the settings the
 * toy and image configs share.
 * <ul>
 *   <li>estimator step: L_G = E softplus(-D(G(D(x), z))) [+ lambda_R L_R (Eq. 7) on every
 *       {@code apply_every}-th step], Adam on G, then G's batch-norm moving averages (if any);
 *   <li>critic step: E softplus(-D(x)) + E softplus(D(x_hat)) + (gamma / 2) E |grad D(x)|^2, Adam on D;
 *       with lazy R1 ({@code r1_every} = k > 1, {@link LazyR1}) the R1 step adds k R1 and the other
 *       steps use the GAN loss alone, with StyleGAN2's rescaled Adam;
 *   <li>with {@link Spec#samples}, a sample path: G in inference mode (moving averages) for sample grids.
 * </ul>
 * Without a critic ({@code objective: L1}) the estimator step minimises
 * L_1 = mean |G(D(x), 0) - x| ({@link L1Loss}), and the GAN, robustness and critic ops are null.
 * The attack of L_R perturbs the measurement y (the toy's x1, the masked image, the
 * low-resolution image before upsampling), per SPEC section 4, through
 * {@link TrainableEstimator#robustnessOutput}. Randomness is stateless, from the fed step seed.
 * The checkpoint holds the variables of G's weights, G's statistics, the critic, then the two
 * Adams' slots, in this order.
 */
public final class GanGraph implements AutoCloseable {
  public static final String ESTIMATOR = "estimator";
  public static final String ESTIMATOR_STATISTICS = "estimator_bn";
  public static final String CRITIC = "critic";

  /** Builds G from its weights and batch-norm statistics (left empty by a network without batch norm) for a task. */
  @FunctionalInterface
  public interface EstimatorFactory {
    TrainableEstimator<TFloat32> build(Parameters<TFloat32> weights, Parameters<TFloat32> statistics,
        RestorationTask task);
  }

  /** Builds the critic D from its weights. */
  @FunctionalInterface
  public interface CriticFactory {
    Critic<TFloat32> build(Parameters<TFloat32> weights);
  }

  /**
   * What a GAN is built from.
   *
   * @param task D and consistency (the toy's {@link ToyProjection} included)
   * @param critic null for the L1 objective (no critic, no R1, no L_R)
   * @param attackMode the batch-norm mode of G inside the attack of L_R
   * @param r1SharedForward whether R1 differentiates the critic loss's own D(x) (the image GANs) or
   *     a second forward pass of D on the same x (the toy GANs, as they were trained for reports/:
   *     sharing the pass changes the order of the critic gradient's sums, so the toy's numbers)
   * @param samples whether to build the inference-mode sample path
   */
  public record Spec(RestorationTask task, EstimatorFactory estimator, CriticFactory critic,
      NoiseConfig.Distribution noise, RobustnessConfig robustness, BatchNorm.Mode attackMode,
      OptimizerConfig estimatorOptimizer, OptimizerConfig criticOptimizer, double r1Gamma, int r1Every,
      boolean r1SharedForward, boolean samples) {

    /** The toy GAN of a toy_gan config: MLPs on the unit disk's x = (x1, x2), y = x1. */
    public static Spec toy(ToyGanConfig config) {
      return new Spec(ToyProjection.INSTANCE, toyEstimator(config),
          weights -> new MlpCritic<>(weights, config.getCritic().getHiddenList(), 2),
          config.getNoise().getDistribution(), config.getRobustness(), BatchNorm.Mode.INFERENCE,
          config.getEstimatorOptimizer(), config.getCriticOptimizer(), config.getR1Gamma(), 1, false, false);
    }

    /** The toy's G: an MLP with no batch norm (its statistics stay empty). */
    public static EstimatorFactory toyEstimator(ToyGanConfig config) {
      return (weights, statistics, task) -> new ToyMlpEstimator<>(weights, config.getEstimator().getHiddenList(),
          config.getNoise().getDim());
    }

    /** The image GAN of an image_gan config: U-Net and ResNet critic (none for objective L1). */
    public static Spec images(ImageGanConfig config) {
      int side = config.getData().getImageSize();
      boolean bfloat16 = ConvolutionPrecision.bfloat16(config.getPrecision());
      CriticFactory critic = config.getObjective() == ImageGanConfig.Objective.ADVERSARIAL
          ? weights -> new ResNetCritic<>(weights, config.getCritic(), side, bfloat16) : null;
      BatchNorm.Mode attackMode = config.getAttackBatchNorm() == ImageGanConfig.AttackBatchNorm.MOVING_AVERAGES
          ? BatchNorm.Mode.INFERENCE : BatchNorm.Mode.TRAINING;
      return new Spec(Tasks.create(config.getTask(), side, "image_gan.task"), imageEstimator(config, bfloat16),
          critic, config.getNoise().getDistribution(), config.getRobustness(), attackMode,
          config.getEstimatorOptimizer(), config.getCriticOptimizer(), config.getR1Gamma(), config.getR1Every(),
          true, true);
    }

    /** The image GAN's G: the U-Net of the config for a task (the export's may be of any size). */
    public static EstimatorFactory imageEstimator(ImageGanConfig config, boolean bfloat16) {
      return (weights, statistics, task) -> new UNetEstimator<>(weights, statistics, config.getEstimator(), task,
          bfloat16);
    }

    boolean stochastic() {
      return noise != NoiseConfig.Distribution.ZERO;
    }
  }

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final Spec spec;
  final RestorationTask task;
  final Parameters<TFloat32> estimatorParams;
  final Parameters<TFloat32> estimatorStatistics;
  final TrainableEstimator<TFloat32> estimator;
  final AdamOptimizer estimatorAdam;
  /** Clean signals x [B, signal shape] of the estimator step and (adversarial) of the critic step. */
  final Placeholder<TFloat32> estimatorBatch;
  /** The step's [2] int64 seed. */
  final Placeholder<TInt64> seed;
  /** G(D(x), z) of the estimator step, in training mode (batch statistics). */
  final Operand<TFloat32> estimatorOutput;
  Op estimatorStep;
  // with a critic (null for L1)
  Parameters<TFloat32> criticParams;
  Critic<TFloat32> critic;
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
  // objective L1 (null with a critic): mean |x_hat - x| and the batch PSNR of the estimator step
  Operand<TFloat32> l1Loss;
  Operand<TFloat32> psnr;
  /** Inference-mode samples (with {@link Spec#samples}): clean signals in, (y, x_hat) out; z from {@link #seed}. */
  Placeholder<TFloat32> sampleBatch;
  Operand<TFloat32> sampleMeasurement;
  /** What the network sees for the sample inputs (the masked image; the upsampled low-resolution one). */
  Operand<TFloat32> sampleInputView;
  Operand<TFloat32> sampleOutput;
  final VariableStore variables;

  /** The toy GAN of a toy_gan config. */
  public static GanGraph toy(ToyGanConfig config, long masterSeed) {
    return new GanGraph(Spec.toy(config), masterSeed);
  }

  /** The image GAN of an image_gan config. */
  public static GanGraph images(ImageGanConfig config, long masterSeed) {
    return new GanGraph(Spec.images(config), masterSeed);
  }

  public GanGraph(Spec spec, long masterSeed) {
    this.spec = spec;
    task = spec.task();
    estimatorParams = new Parameters<>(tf, ESTIMATOR, masterSeed, TFloat32.class);
    estimatorStatistics = new Parameters<>(tf, ESTIMATOR_STATISTICS, masterSeed, TFloat32.class);
    estimator = spec.estimator().build(estimatorParams, estimatorStatistics, task);
    estimatorAdam = new AdamOptimizer(tf, estimatorParams, spec.estimatorOptimizer());
    estimatorBatch = tf.withName("estimator_batch").placeholder(TFloat32.class, Placeholder.shape(signals()));
    if (spec.samples()) {
      sampleBatch = tf.withName("sample_batch").placeholder(TFloat32.class, Placeholder.shape(signals()));
    }
    seed = tf.withName("step_seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));

    Operand<TFloat32> y = task.degrade(tf, estimatorBatch);
    TrainableEstimator.Forward<TFloat32> fake = estimator.apply(tf, y, noise(y, 1, 1), BatchNorm.Mode.TRAINING);
    estimatorOutput = fake.output();
    if (adversarial()) {
      buildAdversarial(y, fake, masterSeed);
    } else {
      buildL1(fake);
    }

    if (spec.samples()) { // samples in inference mode
      sampleMeasurement = task.degrade(tf, sampleBatch);
      sampleInputView = task.networkInput(tf, sampleMeasurement);
      sampleOutput = tf.withName("sample_output").identity(
          estimator.apply(tf, sampleMeasurement, noise(sampleMeasurement, 1, 5), BatchNorm.Mode.INFERENCE).output());
    }

    variables = new VariableStore(tf, new ArrayList<>(adversarial()
        ? List.of(estimatorParams, estimatorStatistics, criticParams, estimatorAdam.slots(), criticAdam.slots())
        : List.of(estimatorParams, estimatorStatistics, estimatorAdam.slots())));
  }

  boolean adversarial() {
    return spec.critic() != null;
  }

  /** [-1, signal shape]. */
  private Shape signals() {
    return Shape.of(-1).append(task.signalShape());
  }

  /** The estimator step on L_1 = mean |G(y, 0) - x| (no critic). */
  private void buildL1(TrainableEstimator.Forward<TFloat32> fake) {
    l1Loss = tf.withName("loss_l1").identity(L1Loss.meanAbsoluteError(tf, fake.output(), estimatorBatch));
    psnr = tf.withName("psnr").identity(L1Loss.batchPsnr(tf, fake.output(), estimatorBatch));
    estimatorStep = withMovingAverages(estimatorAdam.apply(Graphs.gradients(tf, l1Loss, estimatorParams.reads())),
        fake.updates());
  }

  /** The critic, the estimator's GAN (and robust) steps and the critic step with R1. */
  private void buildAdversarial(Operand<TFloat32> y, TrainableEstimator.Forward<TFloat32> fake, long masterSeed) {
    criticParams = new Parameters<>(tf, CRITIC, masterSeed, TFloat32.class);
    critic = spec.critic().build(criticParams);
    criticAdam = new AdamOptimizer(tf, criticParams, spec.criticOptimizer());
    criticBatch = tf.withName("critic_batch").placeholder(TFloat32.class, Placeholder.shape(signals()));

    // estimator step
    ganLoss = tf.withName("loss_gan").identity(GanLoss.estimatorLoss(tf, critic.logits(tf, fake.output())));
    estimatorStep = withMovingAverages(estimatorAdam.apply(Graphs.gradients(tf, ganLoss, estimatorParams.reads())),
        fake.updates());
    RobustnessConfig robustness = spec.robustness();
    if (robustness.getLambdaR() > 0) {
      int seeds = spec.stochastic() ? robustness.getAttack().getSeeds() : 1;
      robustLoss = tf.withName("loss_robust").identity(robustnessLoss(y, seeds).loss());
      Operand<TFloat32> total = tf.math.add(ganLoss,
          tf.math.mul(Graphs.constant(tf, robustness.getLambdaR(), TFloat32.class), robustLoss));
      estimatorRobustStep = withMovingAverages(
          estimatorAdam.apply(Graphs.gradients(tf, total, estimatorParams.reads())), fake.updates());
    }

    // critic step: real x against G(D(x), z) of the same signals
    Operand<TFloat32> yc = task.degrade(tf, criticBatch);
    Operand<TFloat32> fakeForCritic = tf.stopGradient(
        estimator.apply(tf, yc, noise(yc, 1, 4), BatchNorm.Mode.TRAINING).output());
    Operand<TFloat32> realLogits = critic.logits(tf, criticBatch);
    Operand<TFloat32> fakeLogits = critic.logits(tf, fakeForCritic);
    criticLoss = tf.withName("loss_critic").identity(GanLoss.criticLoss(tf, realLogits, fakeLogits));
    // diagnostics: mean D(x) and D(x_hat) before the update (both near 0 for a flat critic)
    meanRealLogit = tf.withName("d_real").identity(Graphs.meanAll(tf, realLogits));
    meanFakeLogit = tf.withName("d_fake").identity(Graphs.meanAll(tf, fakeLogits));
    r1 = tf.withName("r1").identity(spec.r1SharedForward()
        ? GanLoss.r1(tf, realLogits, criticBatch, spec.r1Gamma()) // the same forward pass of D(x) as the loss
        : GanLoss.r1(tf, x -> critic.logits(tf, x), criticBatch, spec.r1Gamma()));
    int k = spec.r1Every();
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
    return criticStepWithoutR1 == null || LazyR1.isR1Step(step, spec.r1Every()) ? criticStep : criticStepWithoutR1;
  }

  /**
   * L_R of Eq. 7 with the attack on the flattened measurement y [n, dy], through G's
   * {@link TrainableEstimator#robustnessOutput} rows.
   */
  private RobustnessLoss.Terms<TFloat32> robustnessLoss(Operand<TFloat32> y, int seeds) {
    int dy = (int) task.measurementSize();
    Operand<TFloat32> yFlat = tf.reshape(y, tf.constant(new long[] {-1, dy}));
    Operand<TFloat32> z = noise(y, seeds, 2);
    return RobustnessLoss.build(tf, (yIn, zIn) -> estimator.robustnessOutput(tf, yIn, zIn, spec.attackMode()),
        yFlat, dy, z, seeds, subSeed(3), spec.robustness());
  }

  /** z [rows(y) * copies, dz] from the step seed's stream k. */
  private Operand<TFloat32> noise(Operand<TFloat32> y, int copies, long k) {
    Operand<TInt64> rows = tf.math.mul(Graphs.rows(tf, y), tf.constant((long) copies));
    return LatentNoise.sample(tf, spec.noise(), estimator.noiseSize(), rows, subSeed(k), TFloat32.class);
  }

  /** The optimizer step, then the moving-average updates of the same forward pass (the step alone without any). */
  private Op withMovingAverages(Op step, List<Op> updates) {
    if (updates.isEmpty()) {
      return step;
    }
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

  public TrainableEstimator<TFloat32> estimator() {
    return estimator;
  }

  /** The critic (null for the L1 objective). */
  public Critic<TFloat32> critic() {
    return critic;
  }

  /**
   * G's variables out of all of a checkpoint's, as the export takes them: those of its weights' and
   * its statistics' {@link Parameters} (not its optimizer slots), in that order.
   */
  Map<String, Checkpoint.Tensor> estimatorVariables(Map<String, Checkpoint.Tensor> all) {
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    for (Parameters<TFloat32> group : List.of(estimatorParams, estimatorStatistics)) {
      for (Parameters.Parameter<TFloat32> p : group.list()) {
        out.put(p.name(), all.get(p.name()));
      }
    }
    return out;
  }

  @Override
  public void close() {
    graph.close();
  }
}
