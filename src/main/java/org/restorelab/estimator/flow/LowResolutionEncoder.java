package org.restorelab.estimator.flow;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.graph.Conv2d;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.graph.Pooling;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The low-resolution encoder that conditions every flow layer (SRFlow's conditional network):
 * y - 1/2 -> conv3x3 -> ReLU -> residual blocks (conv3x3, ReLU, conv3x3, + skip) -> features at the
 * low resolution; for each level a resampling to that level's size (nearest-neighbour up or box
 * average down, powers of 2) and a conv3x3 + ReLU give u_l. With {@link #readSizesAtRunTime} the
 * resampling reads h and w from y's runtime shape (the ratios stay the constructor's sides').
 */
public final class LowResolutionEncoder<T extends TFloating> {
  private final Conv2d<T> stem;
  private final List<Conv2d<T>> blocks = new ArrayList<>();
  private final List<Conv2d<T>> adapters = new ArrayList<>();
  private final int lowSide;
  private final int channels;
  private final int[] levelSides;
  private boolean runtimeSizes;

  /**
   * @param lowSide the low-resolution image's side
   * @param levelSides the side of each level's tensors (after its squeeze)
   */
  public LowResolutionEncoder(Parameters<T> params, int lowSide, int channels, int residualBlocks, int[] levelSides) {
    this.lowSide = lowSide;
    this.channels = channels;
    this.levelSides = levelSides.clone();
    stem = Conv2d.create(params, "encoder_stem", 3, 3, channels, true, false);
    for (int b = 0; b < residualBlocks; b++) {
      blocks.add(Conv2d.create(params, "encoder_block" + b + "_conv1", 3, channels, channels, true, false));
      blocks.add(Conv2d.create(params, "encoder_block" + b + "_conv2", 3, channels, channels, true, false));
    }
    for (int l = 0; l < levelSides.length; l++) {
      int side = levelSides[l];
      if (!(side % lowSide == 0 && Integer.bitCount(side / lowSide) == 1)
          && !(lowSide % side == 0 && Integer.bitCount(lowSide / side) == 1)) {
        throw new IllegalArgumentException("level " + (l + 1) + " is " + side + "x" + side + ", the low-resolution"
            + " image " + lowSide + "x" + lowSide + ": their ratio must be a power of 2");
      }
      adapters.add(Conv2d.create(params, "encoder_level" + (l + 1), 3, channels, channels, true, false));
    }
  }

  /** Makes {@link #features} take y of any size whose levels divide it (same ratios). */
  public void readSizesAtRunTime() {
    runtimeSizes = true;
  }

  /** u_l for every level, [n, side_l, side_l, channels]. */
  public List<Operand<T>> features(Ops tf, Operand<T> y) {
    Operand<T> h = tf.nn.relu(stem.apply(tf, tf.math.sub(y, Graphs.constant(tf, 0.5, y.type()))));
    for (int b = 0; b < blocks.size(); b += 2) {
      Operand<T> r = blocks.get(b + 1).apply(tf, tf.nn.relu(blocks.get(b).apply(tf, h)));
      h = tf.math.add(h, r);
    }
    List<Operand<T>> out = new ArrayList<>();
    for (int l = 0; l < levelSides.length; l++) {
      int side = levelSides[l];
      Operand<T> resampled;
      if (runtimeSizes) {
        resampled = side >= lowSide ? (side == lowSide ? h : Pooling.nearestUpsample(tf, h, side / lowSide, channels))
            : Pooling.average(tf, h, lowSide / side, channels);
      } else {
        resampled = side >= lowSide
            ? (side == lowSide ? h : Pooling.nearestUpsample(tf, h, side / lowSide, lowSide, lowSide, channels))
            : Pooling.average(tf, h, lowSide / side, lowSide, lowSide, channels);
      }
      out.add(tf.nn.relu(adapters.get(l).apply(tf, resampled)));
    }
    return out;
  }

  public int channels() {
    return channels;
  }

}
