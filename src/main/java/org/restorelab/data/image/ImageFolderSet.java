package org.restorelab.data.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.ImageFolderDataConfig.SizePolicy;

/**
 * A folder of PNG and JPEG images (extensions .png, .jpg, .jpeg in any case), sorted by path,
 * sub-folders included when {@code recursive}. TRAIN is the first {@code train_fraction} of the
 * sorted files and VALIDATION the rest (a fraction of 1 gives every file to both). The size
 * policy either centre-crops every image to image_size (smaller ones are an error), requires it
 * exactly, or ({@code CROP_TO_MULTIPLE}) keeps each image whole, cropped at the bottom and right
 * to a multiple of {@code multiple_of}: such images differ in size, so they are read with
 * {@link #readWhole}, and the fixed-size {@link ImageSet} methods refuse them.
 */
public final class ImageFolderSet implements ImageSet {
  /** How many of the distinct files read so far were grayscale, and how many had alpha. */
  public record Conversions(int grayscale, int alphaDropped) {}

  private final List<Path> files;
  private final SizePolicy policy;
  private final int size;
  private final int multiple;
  private final Set<Integer> grayscale = ConcurrentHashMap.newKeySet();
  private final Set<Integer> alpha = ConcurrentHashMap.newKeySet();

  public ImageFolderSet(ImageFolderDataConfig config, int imageSize, Split split) {
    double fraction = config.getTrainFraction();
    if (!(fraction > 0 && fraction <= 1)) {
      throw new ConfigException("folder.train_fraction = " + fraction + ": must be in (0, 1]");
    }
    if (config.getMultipleOf() < 1) {
      throw new ConfigException("folder.multiple_of = " + config.getMultipleOf() + ": must be at least 1");
    }
    if (!config.hasPath() || config.getPath().isEmpty()) {
      throw new ConfigException("folder.path is not set");
    }
    Path folder = Path.of(config.getPath());
    if (!Files.isDirectory(folder)) {
      throw new ImageDataException("image folder not found: " + folder);
    }
    List<Path> all;
    try (Stream<Path> walk = config.getRecursive() ? Files.walk(folder) : Files.list(folder)) {
      all = walk.filter(p -> Files.isRegularFile(p) && isImage(p))
          .sorted(Comparator.comparing(Path::toString))
          .collect(Collectors.toList());
    } catch (IOException | UncheckedIOException e) {
      throw new ImageDataException("cannot list image folder " + folder + ": " + e, e);
    }
    if (all.isEmpty()) {
      throw new ImageDataException("no PNG or JPEG images in " + folder + (config.getRecursive() ? " or below" : ""));
    }
    int train = fraction == 1 ? all.size() : (int) Math.round(fraction * all.size());
    List<Path> chosen = fraction == 1 || split == Split.TRAIN ? all.subList(0, train) : all.subList(train, all.size());
    if (chosen.isEmpty()) {
      throw new ImageDataException("the " + split.label() + " split of " + folder + " is empty (" + all.size()
          + " images, train_fraction " + fraction + ")");
    }
    this.files = List.copyOf(chosen);
    this.policy = config.getSizePolicy();
    this.size = imageSize;
    this.multiple = config.getMultipleOf();
  }

  private static boolean isImage(Path p) {
    String name = p.getFileName().toString().toLowerCase(Locale.ROOT);
    return name.endsWith(".png") || name.endsWith(".jpg") || name.endsWith(".jpeg");
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public int height() {
    return fixedSize();
  }

  @Override
  public int width() {
    return fixedSize();
  }

  private int fixedSize() {
    if (policy == SizePolicy.CROP_TO_MULTIPLE) {
      throw new UnsupportedOperationException("images of size policy CROP_TO_MULTIPLE keep their own sizes: "
          + "read them with ImageFolderSet.readWhole");
    }
    return size;
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    fixedSize();
    float[] hwc = readWhole(index).hwc();
    System.arraycopy(hwc, 0, dst, offset, hwc.length);
  }

  /**
   * Image {@code index} under the size policy: image_size x image_size, or for
   * CROP_TO_MULTIPLE its own size cropped to multiples of multiple_of.
   */
  public Image readWhole(int index) {
    Path file = files.get(index);
    ImageFiles.Decoded decoded = ImageFiles.decode(file);
    if (decoded.grayscale()) {
      grayscale.add(index);
    }
    if (decoded.alpha()) {
      alpha.add(index);
    }
    Image image = decoded.image();
    int h = image.height();
    int w = image.width();
    switch (policy) {
      case CROP_TO_MULTIPLE -> {
        int ch = h - h % multiple;
        int cw = w - w % multiple;
        if (ch == 0 || cw == 0) {
          throw new ImageDataException(file + " is " + h + "x" + w + ", smaller than multiple_of " + multiple);
        }
        return Resampler.crop(image, 0, 0, ch, cw);
      }
      case REQUIRE_EXACT -> {
        if (h != size || w != size) {
          throw new ImageDataException(file + " is " + h + "x" + w + ", not the required " + size + "x" + size);
        }
        return image;
      }
      default -> {
        if (h < size || w < size) {
          throw new ImageDataException(file + " is " + h + "x" + w + ", smaller than the image size " + size + "x" + size);
        }
        return Resampler.centerCrop(image, size, size);
      }
    }
  }

  /** Grayscale and alpha conversions among the distinct files read so far. */
  public Conversions conversions() {
    return new Conversions(grayscale.size(), alpha.size());
  }

  /** The names of the files read so far that were grayscale (replicated to RGB), sorted. */
  public List<String> grayscaleFiles() {
    return names(grayscale);
  }

  /** The names of the files read so far whose alpha channel was dropped, sorted. */
  public List<String> alphaDroppedFiles() {
    return names(alpha);
  }

  private List<String> names(Set<Integer> indices) {
    return indices.stream().sorted().map(i -> files.get(i).getFileName().toString()).toList();
  }

  /** The file of image {@code index}. */
  public Path file(int index) {
    return files.get(index);
  }

  @Override
  public String describe(int index) {
    return files.get(index).toString();
  }
}
