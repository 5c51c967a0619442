package org.restorelab.data.image;

import java.util.List;
import java.util.SplittableRandom;
import org.restorelab.run.Seeds;

/**
 * An image set whose bad files are replaced by other images of the same set, as
 * {@link BatchLoader} does for training with {@code skip_bad_files}: when image i cannot be read,
 * its substitute is drawn from {@code Seeds.random(seed, seedPath + "/substitute/" + i)} (drawing
 * again while the draw is bad too, at most {@link BatchLoader#MAX_SUBSTITUTE_DRAWS} times), so the
 * pixels of index i depend only on (seed, i) and a resumed evaluation reads what an uninterrupted
 * one did. The bad files are recorded ({@link #skipped()}).
 */
public final class SubstitutingImageSet implements ImageSet {
  private final ImageSet set;
  private final long seed;
  private final String seedPath;
  private final BadFiles bad = new BadFiles();

  public SubstitutingImageSet(ImageSet set, long seed, String seedPath) {
    this.set = set;
    this.seed = seed;
    this.seedPath = seedPath;
  }

  @Override
  public int size() {
    return set.size();
  }

  @Override
  public int height() {
    return set.height();
  }

  @Override
  public int width() {
    return set.width();
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    if (tryRead(index, dst, offset)) {
      return;
    }
    SplittableRandom random = Seeds.random(seed, seedPath + "/substitute/" + index);
    for (int k = 0; k < BatchLoader.MAX_SUBSTITUTE_DRAWS; k++) {
      if (tryRead(random.nextInt(set.size()), dst, offset)) {
        return;
      }
    }
    throw new ImageDataException(BatchLoader.MAX_SUBSTITUTE_DRAWS + " substitute images for bad file "
        + set.describe(index) + " were all bad too (" + bad.count() + " bad files so far)");
  }

  private boolean tryRead(int index, float[] dst, int offset) {
    return bad.tryRead(set, index, dst, offset);
  }

  @Override
  public String describe(int index) {
    return set.describe(index);
  }

  /** The underlying set. */
  public ImageSet underlying() {
    return set;
  }

  /** The distinct bad files met so far, sorted by source. */
  public List<BatchLoader.SkippedFile> skipped() {
    return bad.sorted();
  }
}
