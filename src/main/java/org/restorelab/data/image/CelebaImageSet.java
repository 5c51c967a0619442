package org.restorelab.data.image;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.restorelab.config.CelebaDataConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.run.Seeds;

/**
 * CelebA (SPEC section 4): the aligned JPEGs listed in {@code list_eval_partition.txt}. TRAIN is
 * a seeded random {@code train_fraction} of the official training partition (0); VALIDATION is
 * the official validation partition (1) plus the rest of partition 0, in file order; the test
 * partition (2) is not used. Each image is resized bilinearly (to resize x resize, or its shorter
 * side to resize) and centre-cropped to image_size x image_size.
 */
public final class CelebaImageSet implements ImageSet {
  /** The seed path of the train/validation split of partition 0. */
  public static final String SPLIT_SEED_PATH = "celeba/split";

  private final Path images;
  private final List<String> files;
  private final CelebaDataConfig config;
  private final int size;
  private final Resampler resampler;

  public CelebaImageSet(CelebaDataConfig config, int imageSize, Split split, long seed) {
    if (!config.hasRoot() || config.getRoot().isEmpty()) {
      throw new ConfigException("celeba.root is not set: give the folder holding " + config.getImages()
          + "/ and " + config.getPartitionFile());
    }
    if (!(config.getTrainFraction() > 0 && config.getTrainFraction() <= 1)) {
      throw new ConfigException("celeba.train_fraction = " + config.getTrainFraction() + ": must be in (0, 1]");
    }
    if (config.getResize() < imageSize) {
      throw new ConfigException("celeba.resize = " + config.getResize() + " is smaller than the image size "
          + imageSize + " cropped from it");
    }
    Path root = Path.of(config.getRoot());
    this.images = root.resolve(config.getImages());
    if (!Files.isDirectory(images)) {
      throw new ImageDataException("CelebA images folder not found: " + images);
    }
    this.config = config;
    this.size = imageSize;
    this.resampler = new Resampler(Resampler.BILINEAR, config.getAntialias());
    List<String> names = new ArrayList<>();
    int[] partitions = readPartitions(root.resolve(config.getPartitionFile()), names);
    this.files = select(names, partitions, config.getTrainFraction(), split, seed);
    if (files.isEmpty()) {
      throw new ImageDataException("the CelebA " + split.label() + " split is empty (partition file "
          + root.resolve(config.getPartitionFile()) + ", train_fraction " + config.getTrainFraction() + ")");
    }
  }

  /** Reads "<file> <0|1|2>" lines into {@code names}; returns the partitions. */
  private static int[] readPartitions(Path file, List<String> names) {
    List<String> lines;
    try {
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ImageDataException("CelebA partition file not found: " + file, e);
    } catch (IOException e) {
      throw new ImageDataException("cannot read the CelebA partition file " + file + ": " + e, e);
    }
    int[] partitions = new int[lines.size()];
    for (int i = 0; i < lines.size(); i++) {
      String line = lines.get(i).strip();
      if (line.isEmpty()) {
        continue;
      }
      String[] parts = line.split("\\s+");
      if (parts.length != 2 || !parts[1].matches("[012]")) {
        throw new ImageDataException(file + ":" + (i + 1) + ": expected '<image file> <0|1|2>', found '" + line + "'");
      }
      partitions[names.size()] = parts[1].charAt(0) - '0';
      names.add(parts[0]);
    }
    if (names.isEmpty()) {
      throw new ImageDataException("the CelebA partition file " + file + " lists no images");
    }
    return Arrays.copyOf(partitions, names.size());
  }

  /** The files of {@code split}, in file order. */
  private static List<String> select(List<String> names, int[] partitions, double fraction, Split split, long seed) {
    int[] official = java.util.stream.IntStream.range(0, names.size()).filter(i -> partitions[i] == 0).toArray();
    int[] shuffled = official.clone();
    SplittableRandom random = Seeds.random(seed, SPLIT_SEED_PATH);
    for (int i = shuffled.length - 1; i > 0; i--) { // Fisher-Yates
      int j = random.nextInt(i + 1);
      int t = shuffled[i];
      shuffled[i] = shuffled[j];
      shuffled[j] = t;
    }
    boolean[] train = new boolean[names.size()];
    int trainCount = (int) Math.round(fraction * official.length);
    for (int k = 0; k < trainCount; k++) {
      train[shuffled[k]] = true;
    }
    List<String> out = new ArrayList<>();
    for (int i = 0; i < names.size(); i++) {
      boolean wanted = split == Split.TRAIN ? train[i] : partitions[i] == 1 || (partitions[i] == 0 && !train[i]);
      if (wanted) {
        out.add(names.get(i));
      }
    }
    return List.copyOf(out);
  }

  @Override
  public int size() {
    return files.size();
  }

  @Override
  public int height() {
    return size;
  }

  @Override
  public int width() {
    return size;
  }

  /** The image file name (as in the partition file) of image {@code index}. */
  public String file(int index) {
    return files.get(index);
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    Path file = images.resolve(files.get(index));
    Image image = ImageFiles.read(file);
    int h;
    int w;
    if (config.getResizeMode() == CelebaDataConfig.Resize.SHORTER_SIDE) {
      int r = config.getResize();
      // torchvision Resize(int): the longer side is truncated, int(r * long / short)
      h = image.height() <= image.width() ? r : (int) ((long) r * image.height() / image.width());
      w = image.height() <= image.width() ? (int) ((long) r * image.width() / image.height()) : r;
    } else {
      h = config.getResize();
      w = config.getResize();
    }
    Image cropped = Resampler.centerCrop(resampler.resize(image, h, w), size, size);
    System.arraycopy(cropped.hwc(), 0, dst, offset, cropped.hwc().length);
  }

  @Override
  public String describe(int index) {
    return images.resolve(files.get(index)).toString();
  }
}
