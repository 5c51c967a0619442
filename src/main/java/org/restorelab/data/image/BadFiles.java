package org.restorelab.data.image;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The unreadable files of an image set met so far (with {@code skip_bad_files}), shared by the
 * training batches ({@link BatchLoader}) and the evaluation's substituting set
 * ({@link SubstitutingImageSet}). Safe for concurrent readers.
 */
final class BadFiles {
  private final Map<Integer, BatchLoader.SkippedFile> bad = new ConcurrentHashMap<>();

  /** Reads image {@code index} of {@code set}; false (and the file recorded) if it is bad. */
  boolean tryRead(ImageSet set, int index, float[] dst, int offset) {
    if (bad.containsKey(index)) {
      return false;
    }
    try {
      set.read(index, dst, offset);
      return true;
    } catch (ImageDataException e) {
      bad.putIfAbsent(index, new BatchLoader.SkippedFile(set.describe(index), e.getMessage()));
      return false;
    }
  }

  int count() {
    return bad.size();
  }

  /** The distinct bad files, sorted by source. */
  List<BatchLoader.SkippedFile> sorted() {
    List<BatchLoader.SkippedFile> out = new ArrayList<>(bad.values());
    out.sort(Comparator.comparing(BatchLoader.SkippedFile::source));
    return out;
  }
}
