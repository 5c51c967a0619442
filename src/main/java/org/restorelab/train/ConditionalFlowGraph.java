package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.estimator.flow.DataInitialization;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.task.SuperResolution;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The maximum-likelihood training graph of the conditional flow, float32 NHWC: for fed images x
 * in [0, 1], y = AvgPool_s(x); x is dequantized, x~ = x + u / bins - 1/2 with u ~ U[0, 1) drawn
 * from the step's seed, and the loss is the negative log-likelihood in bits per dimension,
 * <pre>  bpd = (-log p(x~ | y) / D + log bins) / log 2</pre>
 * (the log bins term makes it the discrete images' code length; Dinh et al. 2017, section 4.1).
 * One Adam step over the flow's trained variables (optionally with the gradients' global norm
 * clipped), the one-pass data-dependent ActNorm initialization, and a sampling path at a fed
 * temperature.
 */
public final class ConditionalFlowGraph implements AutoCloseable {
  /** Names of the trained variables, the fixed ones (1x1 permutations and signs), and the optimizer's slots. */
  public static final String NETWORK = "flow";
  public static final String FIXED = "flow_fixed";

  final Graph graph = new Graph();
  final Ops tf = Ops.create(graph);
  final Parameters<TFloat32> params;
  final Parameters<TFloat32> fixed;
  final ConditionalFlow<TFloat32> flow;
  final SuperResolution task;
  final AdamOptimizer adam;
  /** Training images [n, S, S, 3] in [0, 1] and the step's seed [2] (dequantization noise). */
  final Placeholder<TFloat32> images;
  final Placeholder<TInt64> seed;
  /** Bits per dimension averaged over the batch. */
  final Operand<TFloat32> bitsPerDim;
  /** The gradients' global L2 norm before clipping. */
  final Operand<TFloat32> gradientNorm;
  final Op step;
  final List<Op> initialization;
  /** Sampling: the low-resolution view NN_up(y) and x_hat = clip(decode(eps, y, T) + 1/2) for eps drawn from seed. */
  final Placeholder<TFloat32> temperature;
  final Operand<TFloat32> sampleInputView;
  final Operand<TFloat32> sample;
  /** Per sample, 1 where decode(eps, y, T) before clipping holds a NaN or an infinity, else 0 [n]. */
  final Operand<TFloat32> sampleNonFinite;
  final VariableStore variables;

  public ConditionalFlowGraph(ConditionalFlowConfig config, SuperResolution task, long masterSeed) {
    this.task = task;
    int side = config.getData().getImageSize();
    params = new Parameters<>(tf, NETWORK, masterSeed, TFloat32.class);
    fixed = new Parameters<>(tf, FIXED, masterSeed, TFloat32.class);
    flow = new ConditionalFlow<>(params, fixed, config.getFlow(), side, task.scale());
    adam = new AdamOptimizer(tf, params, config.getOptimizer());
    images = tf.withName("images").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
    seed = tf.withName("seed").placeholder(TInt64.class, Placeholder.shape(Shape.of(2)));
    Operand<TFloat32> y = task.degrade(tf, images);
    Operand<TFloat32> x = dequantize(images, config.getDequantizationBins());
    ConditionalFlow.Encoded<TFloat32> encoded = flow.encode(tf, x, y, null);
    double dims = (double) side * side * 3;
    Operand<TFloat32> nll = tf.math.neg(Graphs.meanAll(tf, flow.logLikelihood(tf, encoded)));
    bitsPerDim = tf.withName("bits_per_dim").identity(tf.math.add(
        tf.math.mul(nll, Graphs.constant(tf, 1 / (dims * Math.log(2)), TFloat32.class)),
        Graphs.constant(tf, Math.log(config.getDequantizationBins()) / Math.log(2), TFloat32.class)));
    List<Operand<TFloat32>> grads = Graphs.gradients(tf, bitsPerDim, params.reads());
    gradientNorm = globalNorm(grads);
    step = adam.apply(config.getMaxGradientNorm() > 0 ? clip(grads, config.getMaxGradientNorm()) : grads);
    DataInitialization init = new DataInitialization();
    flow.encode(tf, x, y, init);
    initialization = init.assignments();
    temperature = tf.withName("temperature").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    sampleInputView = task.networkInput(tf, y);
    Operand<TFloat32> eps = tf.random.statelessRandomNormal(
        tf.stack(List.of(Graphs.rows(tf, images), tf.constant(flow.latentSize()))), seed, TFloat32.class);
    Operand<TFloat32> decoded = flow.decode(tf, flow.splitLatents(tf, eps), y, temperature);
    sample = image(tf, decoded);
    sampleNonFinite = nonFinite(decoded);
    variables = new VariableStore(tf, List.of(params, fixed, adam.slots()));
  }

  /** x + u / bins - 1/2, u ~ U[0, 1) from the step's seed. */
  private Operand<TFloat32> dequantize(Operand<TFloat32> x, int bins) {
    Operand<TFloat32> u = tf.random.statelessRandomUniform(tf.shape(x), seed, TFloat32.class);
    return tf.math.sub(tf.math.add(x, tf.math.mul(u, Graphs.constant(tf, 1.0 / bins, TFloat32.class))),
        Graphs.constant(tf, 0.5, TFloat32.class));
  }

  /** 1 per image [n] where any value is NaN or infinite (clipping would hide an infinity). */
  private Operand<TFloat32> nonFinite(Operand<TFloat32> images) {
    Operand<TFloat32> bad = tf.dtypes.cast(tf.math.logicalNot(tf.math.isFinite(images)), TFloat32.class);
    return tf.max(bad, tf.constant(new int[] {1, 2, 3}));
  }

  /** The decoded (centred) image back in [0, 1]: clip(h + 1/2, 0, 1). */
  public static Operand<TFloat32> image(Ops tf, Operand<TFloat32> centred) {
    Operand<TFloat32> shifted = tf.math.add(centred, Graphs.constant(tf, 0.5, TFloat32.class));
    return tf.math.minimum(tf.math.maximum(shifted, Graphs.constant(tf, 0, TFloat32.class)),
        Graphs.constant(tf, 1, TFloat32.class));
  }

  private Operand<TFloat32> globalNorm(List<Operand<TFloat32>> grads) {
    List<Operand<TFloat32>> squares = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      squares.add(tf.reshape(Graphs.sumAll(tf, tf.math.square(g)), tf.constant(new long[] {1})));
    }
    return tf.math.sqrt(Graphs.sumAll(tf, tf.concat(squares, tf.constant(0))));
  }

  /** g min(1, max / |g|) for every gradient, with the global norm |g|. */
  private List<Operand<TFloat32>> clip(List<Operand<TFloat32>> grads, double max) {
    Operand<TFloat32> factor = tf.math.minimum(Graphs.constant(tf, 1, TFloat32.class),
        tf.math.div(Graphs.constant(tf, max, TFloat32.class), tf.math.add(gradientNorm,
            Graphs.constant(tf, 1e-12, TFloat32.class))));
    List<Operand<TFloat32>> out = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      out.add(tf.math.mul(g, factor));
    }
    return out;
  }

  public ConditionalFlow<TFloat32> flow() {
    return flow;
  }

  @Override
  public void close() {
    graph.close();
  }
}
