package org.restorelab.estimator.flow;

import java.util.ArrayList;
import java.util.List;
import java.util.OptionalDouble;
import org.restorelab.config.ConditionalFlowArchitecture;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.family.TFloating;

/**
 * An SRFlow-style conditional normalizing flow (Lugmayr et al. 2020): a bijection between a
 * high-resolution image x and latents (eps_1, ..., eps_L), conditioned on its low-resolution y
 * through a {@link LowResolutionEncoder}. Level l: squeeze, K {@link FlowStep}s, then a split whose
 * leaving half is standardized by its {@link ConditionalGaussian} prior (the top level's whole
 * tensor by a prior of u_L). Exact log-likelihood, Dinh et al.'s change of variables:
 * <pre>  log p(x | y) = sum_l log N(eps_l; 0, I) + log |det d(eps_1..eps_L) / dx|</pre>
 * Sampling runs the layers in reverse from eps_l ~ N(0, I), drawing each split's z_l at
 * temperature T. {@link #decodingAnySize} makes the decoder take y of any size whose levels
 * divide the output (h and w multiples of 2^levels), the latents following that size.
 */
public final class ConditionalFlow<T extends TFloating> {
  private final int side;
  private final int levels;
  private final LowResolutionEncoder<T> encoder;
  private final List<List<FlowStep<T>>> steps = new ArrayList<>();
  private final List<ConditionalGaussian<T>> priors = new ArrayList<>();
  private final int[] levelSides;
  private final int[] levelChannels;
  private final long parameterCount;

  /** The latents of an image: standardized eps_l per level and the whole map's log-determinant [n]. */
  public record Encoded<T extends TFloating>(List<Operand<T>> latents, Operand<T> logDet) {}

  /**
   * @param params trained variables
   * @param fixed variables that are saved but not trained (the 1x1 convolutions' P and signs)
   * @param side the high-resolution image's side
   * @param scale the super-resolution factor (the low-resolution side is side / scale)
   */
  public ConditionalFlow(Parameters<T> params, Parameters<T> fixed, ConditionalFlowArchitecture config, int side,
      int scale) {
    this.side = side;
    this.levels = config.getLevels();
    check(side, scale, levels);
    levelSides = new int[levels];
    levelChannels = new int[levels];
    int channels = 3;
    for (int l = 0; l < levels; l++) {
      levelSides[l] = side >> (l + 1);
      levelChannels[l] = channels * 4;
      channels = levelChannels[l] / 2;
    }
    int hidden = config.getHiddenChannels();
    ScaleBound bound = ScaleBound.of(config);
    int f = config.getEncoderChannels();
    long before = size(params);
    encoder = new LowResolutionEncoder<>(params, side / scale, f, config.getEncoderBlocks(), levelSides);
    for (int l = 0; l < levels; l++) {
      List<FlowStep<T>> level = new ArrayList<>();
      for (int k = 0; k < config.getStepsPerLevel(); k++) {
        FlowStep<T> step = new FlowStep<>(params, fixed, "level" + (l + 1) + "_step" + (k + 1), levelSides[l],
            levelSides[l], levelChannels[l], f, hidden, bound);
        level.add(step);
      }
      steps.add(level);
      boolean top = l == levels - 1;
      int latent = top ? levelChannels[l] : levelChannels[l] / 2;
      int condition = top ? f : levelChannels[l] - latent + f;
      ConditionalGaussian<T> prior = new ConditionalGaussian<>(params, "level" + (l + 1) + "_prior", latent,
          condition, hidden, config.hasPriorLogScaleMax() ? OptionalDouble.of(config.getPriorLogScaleMax())
              : OptionalDouble.empty());
      priors.add(prior);
    }
    parameterCount = size(params) - before;
  }

  private static long size(Parameters<?> params) {
    return params.list().stream().mapToLong(p -> p.shape().size()).sum();
  }

  /** The architecture's constraints, as a message naming the numbers (null when fine). */
  public static String problem(int side, int scale, int levels) {
    if (levels < 1) {
      return "levels must be >= 1, got " + levels;
    }
    if (scale < 1 || Integer.bitCount(scale) != 1) {
      return "the scale factor must be a power of 2, got " + scale;
    }
    if (side % (1 << levels) != 0) {
      return "the image size " + side + " must be divisible by 2^levels = " + (1 << levels);
    }
    if (side % scale != 0) {
      return "the scale factor " + scale + " must divide the image size " + side;
    }
    return null;
  }

  private static void check(int side, int scale, int levels) {
    String p = problem(side, scale, levels);
    if (p != null) {
      throw new IllegalArgumentException(p);
    }
  }

  /** x (centred, [n, side, side, 3]) -> latents and log |det|; with {@code init}, ActNorms initialize from this batch. */
  public Encoded<T> encode(Ops tf, Operand<T> x, Operand<T> y, DataInitialization init) {
    List<Operand<T>> u = encoder.features(tf, y);
    List<Operand<T>> latents = new ArrayList<>();
    Operand<T> logDet = null;
    Operand<T> h = x;
    for (int l = 0; l < levels; l++) {
      h = Squeeze.squeeze(tf, h);
      for (FlowStep<T> step : steps.get(l)) {
        Transformed<T> t = step.forward(tf, h, u.get(l), init);
        h = t.value();
        logDet = logDet == null ? t.logDet() : tf.math.add(logDet, t.logDet());
      }
      Transformed<T> eps;
      if (l == levels - 1) {
        eps = priors.get(l).standardize(tf, h, u.get(l));
      } else {
        int kept = levelChannels[l] / 2;
        Operand<T> z = Channels.take(tf, h, kept, levelChannels[l]);
        h = Channels.take(tf, h, 0, kept);
        eps = priors.get(l).standardize(tf, z, Channels.concat(tf, List.of(h, u.get(l))));
      }
      latents.add(eps.value());
      logDet = tf.math.add(logDet, eps.logDet());
    }
    return new Encoded<>(latents, logDet);
  }

  /** log p(x | y) per row [n] (Eq. 2 of SRFlow: the standard normal density of the latents plus log |det|). */
  public Operand<T> logLikelihood(Ops tf, Encoded<T> encoded) {
    Operand<T> sum = encoded.logDet();
    for (int l = 0; l < levels; l++) {
      sum = tf.math.add(sum, ConditionalGaussian.standardNormalLogDensity(tf, encoded.latents().get(l),
          latentShapes().get(l).size()));
    }
    return sum;
  }

  /** The inverse: standardized latents eps_l (one per level) -> centred x, each split drawn at temperature T. */
  public Operand<T> decode(Ops tf, List<Operand<T>> eps, Operand<T> y, Operand<T> temperature) {
    return decode(tf, eps, y, temperature, null);
  }

  /**
   * {@link #decode}, recording into {@code trace} (when not null), in the order computed, each
   * level's prior sample z_l ("level L prior") and the output of every layer's inverse ("level l
   * step k <layer>"), to find where a sample leaves float32's range.
   */
  public Operand<T> decode(Ops tf, List<Operand<T>> eps, Operand<T> y, Operand<T> temperature,
      java.util.Map<String, Operand<T>> trace) {
    List<Operand<T>> u = encoder.features(tf, y);
    Operand<T> h = priors.get(levels - 1).sample(tf, eps.get(levels - 1), u.get(levels - 1), temperature);
    record(trace, "level " + levels + " prior", h);
    for (int l = levels - 1; l >= 0; l--) {
      if (l < levels - 1) {
        Operand<T> z = priors.get(l).sample(tf, eps.get(l), Channels.concat(tf, List.of(h, u.get(l))), temperature);
        record(trace, "level " + (l + 1) + " prior", z);
        h = Channels.concat(tf, List.of(h, z));
      }
      List<FlowStep<T>> level = steps.get(l);
      for (int k = level.size() - 1; k >= 0; k--) {
        String step = "level " + (l + 1) + " step " + (k + 1) + " ";
        h = level.get(k).reverse(tf, h, u.get(l), trace == null ? null : (layer, out) -> trace.put(step + layer, out));
      }
      h = Squeeze.unsqueeze(tf, h);
    }
    return h;
  }

  private static <T extends TFloating> void record(java.util.Map<String, Operand<T>> trace, String name, Operand<T> h) {
    if (trace != null) {
      trace.put(name, h);
    }
  }

  /**
   * Makes {@link #decode} read h and w at run time (for any-size exports; the encoding and the
   * log-determinants keep the constructor's side).
   */
  public void decodingAnySize() {
    encoder.readSizesAtRunTime();
  }

  /** Each level's latent channels: the side divided by 2^(l+1), these channels deep. */
  public int[] latentChannels() {
    int[] out = new int[levels];
    for (int l = 0; l < levels; l++) {
      out[l] = (int) latentShapes().get(l).get(2);
    }
    return out;
  }

  /**
   * Splits a flat z [n, latent size] of outputs [n, H, W, 3] (H = scale h, W = scale w for y
   * [n, h, w, 3]; read at run time) into the levels' tensors [n, H / 2^(l+1), W / 2^(l+1), c_l].
   */
  public List<Operand<T>> splitLatents(Ops tf, Operand<T> flat, Operand<TInt32> height, Operand<TInt32> width) {
    List<Operand<T>> out = new ArrayList<>();
    Operand<TInt32> from = tf.constant(0);
    int[] channels = latentChannels();
    for (int l = 0; l < levels; l++) {
      Operand<TInt32> divisor = tf.constant(2 << l);
      Operand<TInt32> h = tf.math.floorDiv(height, divisor);
      Operand<TInt32> w = tf.math.floorDiv(width, divisor);
      Operand<TInt32> size = tf.math.mul(tf.math.mul(h, w), tf.constant(channels[l]));
      Operand<T> part = tf.slice(flat, tf.stack(List.of(tf.constant(0), from)), tf.stack(List.of(tf.constant(-1), size)));
      out.add(tf.reshape(part, tf.stack(List.of(tf.constant(-1), h, w, tf.constant(channels[l])))));
      from = tf.math.add(from, size);
    }
    return out;
  }

  /** The shape of each level's latent, without the batch axis. */
  public List<Shape> latentShapes() {
    List<Shape> out = new ArrayList<>();
    for (int l = 0; l < levels; l++) {
      int c = l == levels - 1 ? levelChannels[l] : levelChannels[l] / 2;
      out.add(Shape.of(levelSides[l], levelSides[l], c));
    }
    return out;
  }

  /** Latent scalars per image (= side * side * 3: a flow keeps the dimension). */
  public long latentSize() {
    return latentShapes().stream().mapToLong(Shape::size).sum();
  }

  /** Splits a flat z [n, latentSize] (levels in order, each NHWC row-major) into the levels' tensors. */
  public List<Operand<T>> splitLatents(Ops tf, Operand<T> flat) {
    List<Operand<T>> out = new ArrayList<>();
    long from = 0;
    for (Shape s : latentShapes()) {
      Operand<T> part = tf.stridedSlice(flat, org.tensorflow.ndarray.index.Indices.all(),
          org.tensorflow.ndarray.index.Indices.slice(from, from + s.size()));
      out.add(tf.reshape(part, tf.constant(Shape.of(-1).append(s).asArray())));
      from += s.size();
    }
    return out;
  }

  /** The levels' latents as one flat [n, latentSize] tensor (the inverse of {@link #splitLatents}). */
  public Operand<T> flattenLatents(Ops tf, List<Operand<T>> latents) {
    List<Operand<T>> rows = new ArrayList<>();
    List<Shape> shapes = latentShapes();
    for (int l = 0; l < latents.size(); l++) {
      rows.add(tf.reshape(latents.get(l), tf.constant(new long[] {-1, shapes.get(l).size()})));
    }
    return tf.concat(rows, tf.constant(1));
  }

  public int side() {
    return side;
  }

  public int levels() {
    return levels;
  }

  /** Trained scalars. */
  public long parameterCount() {
    return parameterCount;
  }
}
