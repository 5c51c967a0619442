package org.restorelab.estimator;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.UNetConfig;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Conv2d;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.graph.Pooling;
import org.restorelab.graph.TransposedConv2d;
import org.restorelab.task.RestorationTask;
import org.tensorflow.Operand;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/**
 * The image estimator G(y, z) of Figure 7: a U-Net (Ronneberger et al. 2015) of width s with
 * noise injection, followed by the task's consistency enforcement.
 * <pre>
 *   u   = networkInput(y)                                  [n, h, w, 3]
 *   x1  = DoubleConv(u)                                    s channels
 *   x_{i+1} = DoubleConv(MaxPool2(cat(x_i, Z_i)))          Down block i = 1..4: 2s, 4s, 8s, 16s
 *   up  = DoubleConv(cat(x_{5-j}, TConv(up)))              Up block j = 1..4: 8s, 4s, 2s, s
 *   raw = Conv1x1(up)                                      3 channels, no activation
 *   x_hat = enforceConsistency(raw, y)
 * </pre>
 * DoubleConv = (Conv3x3 -> BN -> ReLU) twice. Z = (Z1..Z4) arrives flat, z [n, dz], and each
 * Z_i is reshaped to the spatial size of the input of down block i (h / 2^(i-1)) with
 * {@code noise_channels} channels. A deterministic estimator is the same network fed z = 0.
 * Built for a task of any size (h, w = -1, as {@code SuperResolution.anySize}), the graph reads
 * h and w at run time (any multiple of {@link #SPATIAL_MULTIPLE}) and z's size follows them.
 */
public final class UNetEstimator<T extends TFloating> implements TrainableEstimator<T> {
  private record DoubleConv<T extends TFloating>(Conv2d<T> first, BatchNorm<T> firstNorm, Conv2d<T> second,
      BatchNorm<T> secondNorm) {}

  /** What h and w must be multiples of: four 2x2 max poolings. */
  public static final int SPATIAL_MULTIPLE = 16;
  /** The noise levels: Z_i has the spatial size of the input divided by 2^(i-1), i = 1..4. */
  public static final int[] NOISE_DIVISORS = {1, 2, 4, 8};

  private final RestorationTask task;
  private final int height;
  private final int width;
  private final int noiseChannels;
  private final DoubleConv<T> inc;
  private final List<DoubleConv<T>> down = new ArrayList<>();
  private final List<TransposedConv2d<T>> upSample = new ArrayList<>();
  private final List<Conv2d<T>> upSampleNearest = new ArrayList<>();
  private final List<DoubleConv<T>> up = new ArrayList<>();
  private final Conv2d<T> outc;
  private final boolean nearestUpsampling;
  private long parameterCount;

  /**
   * @param params trainable weights
   * @param statistics batch-norm moving averages
   */
  public UNetEstimator(Parameters<T> params, Parameters<T> statistics, UNetConfig config, RestorationTask task,
      boolean bfloat16) {
    this.task = task;
    this.height = (int) task.signalShape().get(0);
    this.width = (int) task.signalShape().get(1);
    if (height > 0 && (height % SPATIAL_MULTIPLE != 0 || width % SPATIAL_MULTIPLE != 0)) {
      throw new IllegalArgumentException("the U-Net's four down blocks need an image size divisible by 16, got "
          + height + "x" + width);
    }
    int s = config.getWidth();
    if (s <= 0) {
      throw new IllegalArgumentException("estimator.width must be positive, got " + s);
    }
    noiseChannels = config.getNoiseChannels();
    nearestUpsampling = config.getUpsampling() == UNetConfig.Upsampling.NEAREST_CONV;
    double momentum = config.getBatchNormMomentum();
    double eps = config.getBatchNormEpsilon();
    inc = doubleConv(params, statistics, "inc", 3, s, momentum, eps, bfloat16);
    for (int i = 0; i < 4; i++) {
      int in = s << i;
      down.add(doubleConv(params, statistics, "down" + (i + 1), in + noiseChannels, in * 2, momentum, eps, bfloat16));
    }
    for (int j = 0; j < 4; j++) {
      int in = s << (4 - j);
      if (nearestUpsampling) {
        upSampleNearest.add(Conv2d.create(params, "up" + (j + 1) + "_reduce", 1, in, in / 2, true, bfloat16));
      } else {
        upSample.add(TransposedConv2d.create(params, "up" + (j + 1) + "_tconv", in, in / 2, bfloat16));
      }
      up.add(doubleConv(params, statistics, "up" + (j + 1), in, in / 2, momentum, eps, bfloat16));
    }
    outc = Conv2d.create(params, "outc", 1, s, 3, true, bfloat16);
    parameterCount = params.count();
  }

  private DoubleConv<T> doubleConv(Parameters<T> params, Parameters<T> statistics, String name, int in, int out,
      double momentum, double eps, boolean bfloat16) {
    // no conv bias: the batch norm that follows removes it (as in the reference U-Net)
    return new DoubleConv<>(Conv2d.create(params, name + "_conv1", 3, in, out, false, bfloat16),
        new BatchNorm<>(params, statistics, name + "_bn1", out, momentum, eps),
        Conv2d.create(params, name + "_conv2", 3, out, out, false, bfloat16),
        new BatchNorm<>(params, statistics, name + "_bn2", out, momentum, eps));
  }

  /** Noise channels per level (the {@code noise_channels} of the config). */
  public int noiseChannels() {
    return noiseChannels;
  }

  /** The size of the flat z: sum over i of (h / 2^(i-1)) (w / 2^(i-1)) noise_channels. */
  @Override
  public long noiseSize() {
    if (height < 0) {
      throw new IllegalStateException("a U-Net of any size has no fixed noise size: use noiseSize(tf, input)");
    }
    long total = 0;
    for (int i = 0; i < 4; i++) {
      total += (long) (height >> i) * (width >> i) * noiseChannels;
    }
    return total;
  }

  /** The size of the flat z for the network input u [n, h, w, 3], read at run time (int64 scalar). */
  public Operand<TInt64> noiseSize(Ops tf, Operand<T> input) {
    Operand<TInt32> h = Graphs.dim(tf, input, 1);
    Operand<TInt32> w = Graphs.dim(tf, input, 2);
    Operand<TInt32> total = tf.constant(0);
    for (int d : NOISE_DIVISORS) {
      Operand<TInt32> divisor = tf.constant(d);
      total = tf.math.add(total, tf.math.mul(tf.math.mul(tf.math.floorDiv(h, divisor), tf.math.floorDiv(w, divisor)),
          tf.constant(noiseChannels)));
    }
    return tf.dtypes.cast(total, TInt64.class);
  }

  /** Trainable scalars. */
  @Override
  public long parameterCount() {
    return parameterCount;
  }

  public RestorationTask task() {
    return task;
  }

  /** x_hat = G(y, z): y [n, measurement shape], z [n, noiseSize()] -> [n, h, w, 3]. */
  @Override
  public Forward<T> apply(Ops tf, Operand<T> y, Operand<T> z, BatchNorm.Mode mode) {
    List<Op> updates = new ArrayList<>();
    Operand<T> x = doubleConv(tf, inc, task.networkInput(tf, y), mode, updates);
    List<Operand<T>> skips = new ArrayList<>();
    long offset = 0;
    Operand<TInt32> dynamicOffset = tf.constant(0);
    for (int i = 0; i < 4; i++) {
      skips.add(x);
      Operand<T> zi;
      if (height < 0) { // Z_i takes the spatial size of x, read at run time
        Operand<TInt32> h = Graphs.dim(tf, x, 1);
        Operand<TInt32> w = Graphs.dim(tf, x, 2);
        Operand<TInt32> size = tf.math.mul(tf.math.mul(h, w), tf.constant(noiseChannels));
        zi = tf.reshape(tf.slice(z, tf.stack(List.of(tf.constant(0), dynamicOffset)),
            tf.stack(List.of(tf.constant(-1), size))), tf.stack(List.of(tf.constant(-1), h, w, tf.constant(noiseChannels))));
        dynamicOffset = tf.math.add(dynamicOffset, size);
      } else {
        int h = height >> i;
        int w = width >> i;
        long size = (long) h * w * noiseChannels;
        zi = tf.reshape(tf.slice(z, tf.constant(new int[] {0, (int) offset}), tf.constant(new int[] {-1, (int) size})),
            tf.constant(new long[] {-1, h, w, noiseChannels}));
        offset += size;
      }
      Operand<T> withNoise = tf.concat(List.of(x, zi), tf.constant(3));
      x = doubleConv(tf, down.get(i), Pooling.max2(tf, withNoise), mode, updates);
    }
    for (int j = 0; j < 4; j++) {
      Operand<T> upsampled;
      if (nearestUpsampling) {
        int c = upSampleNearest.get(j).in();
        upsampled = upSampleNearest.get(j).apply(tf, height < 0 ? Pooling.nearestUpsample(tf, x, 2, c)
            : Pooling.nearestUpsample(tf, x, 2, height >> (4 - j), width >> (4 - j), c));
      } else {
        upsampled = upSample.get(j).apply(tf, x);
      }
      x = doubleConv(tf, up.get(j), tf.concat(List.of(skips.get(3 - j), upsampled), tf.constant(3)), mode, updates);
    }
    Operand<T> raw = outc.apply(tf, x);
    return new Forward<>(task.enforceConsistency(tf, raw, y), updates);
  }

  /**
   * G on flat rows: y [n, dy] is reshaped to the task's measurement shape and x_hat flattened to
   * [n, h w 3], so the attack's per-row L2 ball is the ball of Eq. 6.
   */
  @Override
  public Operand<T> robustnessOutput(Ops tf, Operand<T> yFlat, Operand<T> z, BatchNorm.Mode mode) {
    Operand<T> out = apply(tf, tf.reshape(yFlat, tf.constant(withBatch(task.measurementShape()))), z, mode).output();
    return tf.reshape(out, tf.constant(new long[] {-1, task.signalShape().size()}));
  }

  private static long[] withBatch(org.tensorflow.ndarray.Shape shape) {
    long[] dims = new long[shape.numDimensions() + 1];
    dims[0] = -1;
    System.arraycopy(shape.asArray(), 0, dims, 1, shape.numDimensions());
    return dims;
  }

  private Operand<T> doubleConv(Ops tf, DoubleConv<T> block, Operand<T> x, BatchNorm.Mode mode, List<Op> updates) {
    BatchNorm.Applied<T> a = block.firstNorm().apply(tf, block.first().apply(tf, x), mode);
    updates.addAll(a.updates());
    BatchNorm.Applied<T> b = block.secondNorm().apply(tf, block.second().apply(tf, tf.nn.relu(a.output())), mode);
    updates.addAll(b.updates());
    return tf.nn.relu(b.output());
  }
}
