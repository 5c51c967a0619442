package org.restorelab.critic;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.ResNetCriticConfig;
import org.restorelab.graph.Activations;
import org.restorelab.graph.Conv2d;
import org.restorelab.graph.Dense;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.graph.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The critic of Table 4 (after Mescheder et al. 2018): Conv3x3 3 -> f, then pairs of
 * pre-activation ResNet blocks separated by 2x2 average pooling, then a fully connected layer to
 * one logit. For a 64 x 64 input:
 * <pre>
 *   f -> f, f -> 2f | pool | 2f -> 2f, 2f -> 4f | pool | 4f -> 4f, 4f -> 8f | pool |
 *   8f -> 8f, 8f -> 16f | pool | 16f -> 16f (x2) | pool | 16f -> 16f (x2) | FC 16f*2*2 -> 1
 * </pre>
 * A block is out = shortcut(x) + 0.1 conv_1(lrelu(conv_0(lrelu(x)))), conv_0: in -> min(in, out),
 * conv_1: -> out, shortcut a 1x1 conv without bias when in != out, identity otherwise. LeakyReLU
 * 0.2 everywhere but after the last layer ({@link Activations#leakyRelu}). Pooling is reshape + mean so that R1's
 * second-order gradient exists (TFJAVA_NOTES). Any input side divisible by 32 works; the fully
 * connected layer takes 16f (side/32)^2 features. The critic does not see y.
 */
public final class ResNetCritic<T extends TFloating> implements Critic<T> {
  private record Block<T extends TFloating>(Conv2d<T> conv0, Conv2d<T> conv1, Conv2d<T> shortcut) {}

  /** Table 4's stages: (in, out) multiples of f, and whether a pooling follows the stage. */
  private static final int[][] STAGES = {{1, 1}, {1, 2}, {2, 2}, {2, 4}, {4, 4}, {4, 8}, {8, 8}, {8, 16},
      {16, 16}, {16, 16}, {16, 16}, {16, 16}};

  private final int side;
  private final double slope;
  private final double residualScale;
  private final Conv2d<T> stem;
  private final List<Block<T>> blocks = new ArrayList<>();
  private final Dense<T> fc;
  private final long parameterCount;

  public ResNetCritic(Parameters<T> params, ResNetCriticConfig config, int side, boolean bfloat16) {
    if (side % 32 != 0) {
      throw new IllegalArgumentException("Table 4's critic pools five times: the image side must be divisible by 32, got "
          + side);
    }
    int f = config.getWidth();
    if (f <= 0) {
      throw new IllegalArgumentException("critic.width must be positive, got " + f);
    }
    this.side = side;
    this.slope = config.getLeakySlope();
    this.residualScale = config.getResidualScale();
    stem = Conv2d.create(params, "conv_in", 3, 3, f, true, bfloat16);
    for (int i = 0; i < STAGES.length; i++) {
      int in = STAGES[i][0] * f;
      int out = STAGES[i][1] * f;
      int hidden = Math.min(in, out);
      String name = "block" + (i + 1);
      blocks.add(new Block<>(Conv2d.create(params, name + "_conv0", 3, in, hidden, true, bfloat16),
          Conv2d.create(params, name + "_conv1", 3, hidden, out, true, bfloat16),
          in == out ? null : Conv2d.create(params, name + "_shortcut", 1, in, out, false, bfloat16)));
    }
    int last = side / 32;
    fc = Dense.create(params, "fc", 16 * f * last * last, 1);
    parameterCount = params.count();
  }

  /** D(x): x [n, side, side, 3] -> logits [n]. */
  @Override
  public Operand<T> logits(Ops tf, Operand<T> x) {
    Operand<T> h = stem.apply(tf, x);
    int size = side;
    int f = stem.out();
    for (int i = 0; i < blocks.size(); i++) {
      h = block(tf, blocks.get(i), h);
      // pooling after every second block but the last pair
      if (i % 2 == 1 && i < blocks.size() - 1) {
        h = Pooling.average(tf, h, 2, size, size, STAGES[i][1] * f);
        size /= 2;
      }
    }
    Operand<T> flat = tf.reshape(lrelu(tf, h), tf.constant(new long[] {-1, (long) size * size * 16 * f}));
    return tf.reshape(fc.apply(tf, flat), tf.constant(new long[] {-1}));
  }

  private Operand<T> block(Ops tf, Block<T> b, Operand<T> x) {
    Operand<T> shortcut = b.shortcut() == null ? x : b.shortcut().apply(tf, x);
    Operand<T> dx = b.conv1().apply(tf, lrelu(tf, b.conv0().apply(tf, lrelu(tf, x))));
    return tf.math.add(shortcut, tf.math.mul(Graphs.constant(tf, residualScale, x.type()), dx));
  }

  /** LeakyReLU, in the form that lets Grappler's remapper finish on training graphs ({@link Activations}). */
  private Operand<T> lrelu(Ops tf, Operand<T> x) {
    return Activations.leakyRelu(tf, x, slope);
  }

  /** Trainable scalars. */
  @Override
  public long parameterCount() {
    return parameterCount;
  }
}
