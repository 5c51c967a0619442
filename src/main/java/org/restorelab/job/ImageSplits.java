package org.restorelab.job;

import java.io.PrintWriter;
import java.util.Locale;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;

/** The training and validation splits of an image data config. */
record ImageSplits(ImageSet train, ImageSet validation) {
  /** Opens both splits and announces their sizes on {@code out}. */
  static ImageSplits open(ImageDataConfig data, long seed, PrintWriter out) {
    ImageSplits splits = new ImageSplits(ImageSets.open(data, Split.TRAIN, seed), ImageSets.open(data, Split.VALIDATION, seed));
    out.printf("data: %,d training and %,d validation images (%s)%n", splits.train().size(),
        splits.validation().size(), data.getSourceCase().name().toLowerCase(Locale.ROOT));
    return splits;
  }
}
