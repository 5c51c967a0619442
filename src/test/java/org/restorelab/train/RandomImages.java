package org.restorelab.train;

import java.util.SplittableRandom;
import org.restorelab.data.image.ImageSet;

/** An in-memory image set of smooth random images, for training-loop tests that need no files. */
final class RandomImages implements ImageSet {
  private final int count;
  private final int side;
  private final long seed;

  RandomImages(int count, int side, long seed) {
    this.count = count;
    this.side = side;
    this.seed = seed;
  }

  @Override
  public int size() {
    return count;
  }

  @Override
  public int height() {
    return side;
  }

  @Override
  public int width() {
    return side;
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    SplittableRandom r = new SplittableRandom(seed * 1_000_003L + index);
    double fx = r.nextDouble(0.05, 0.3);
    double fy = r.nextDouble(0.05, 0.3);
    double[] phase = {r.nextDouble(6.3), r.nextDouble(6.3), r.nextDouble(6.3)};
    for (int y = 0; y < side; y++) {
      for (int x = 0; x < side; x++) {
        for (int c = 0; c < 3; c++) {
          dst[offset + (y * side + x) * 3 + c] = (float) (0.5 + 0.4 * Math.sin(fx * x + fy * y + phase[c]));
        }
      }
    }
  }

  @Override
  public String describe(int index) {
    return "random/" + index;
  }
}
