package org.restorelab.evaluate;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.Image;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;

/**
 * An image folder of size policy CROP_TO_MULTIPLE evaluated at its images' own sizes (Set5, Set14,
 * BSD100 as the super-resolution community measures them), shared by {@code evaluate ifgsm}
 * ({@link IfgsmAtOwnSizes}) and {@code evaluate images} ({@link ImageEvaluation}): which configs
 * and models it applies to, the same folder as image_size centre crops for everything else (the
 * fixed-size models, FID and precision/recall), and the folder's first n images grouped by size,
 * so a model is loaded once per distinct size. Each image is keyed by its file name, from which
 * its random streams are derived: a folder's numbers are the means of its single-image runs.
 */
public final class OwnSizes {
  /** One image of a folder: its index in the split, its file name (the key of its streams), its size. */
  public record Entry(int index, String name, int height, int width) {}

  /** The images of one size, in folder order. */
  public record Group(int height, int width, List<Entry> entries) {
    /** "h x w" without spaces, e.g. "60x80". */
    public String label() {
      return height + "x" + width;
    }
  }

  private OwnSizes() {}

  /** Whether the images keep their own sizes: an image folder of size policy CROP_TO_MULTIPLE. */
  public static boolean applies(ImageDataConfig data) {
    return data.hasFolder() && data.getFolder().getSizePolicy() == ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE;
  }

  /** The same data as image_size centre crops (CENTER_CROP); {@code data} itself when not {@link #applies}. */
  public static ImageDataConfig centreCropped(ImageDataConfig data) {
    return applies(data) ? data.toBuilder().setFolder(data.getFolder().toBuilder()
        .setSizePolicy(ImageFolderDataConfig.SizePolicy.CENTER_CROP)).build() : data;
  }

  /** Whether the SavedModel takes any size (its restorelab.json has an any-size {@link SpatialSizes} record). */
  public static boolean anySize(SavedModelConfig model) {
    return SpatialSizes.read(ModelMetadata.read(LoadedEstimator.checkFolder(model))) != null;
  }

  /**
   * With own sizes, multiple_of must be a multiple of the scale (modcrop), so every image has a
   * low-resolution input of whole pixels: else an error naming {@code field} ("...data.folder.multiple_of").
   */
  public static void requireMultipleOfScale(ImageDataConfig data, int scale, String field) {
    if (applies(data) && data.getFolder().getMultipleOf() % scale != 0) {
      throw new ConfigException(field + " = " + data.getFolder().getMultipleOf()
          + " with size_policy CROP_TO_MULTIPLE must be a multiple of the scale " + scale
          + " (modcrop: give multiple_of: " + scale + ")");
    }
  }

  /**
   * The first {@code n} images of {@code folder} (read whole once, to learn their sizes; not kept),
   * grouped by size in order of first appearance, each group in folder order.
   */
  public static List<Group> group(ImageFolderSet folder, int n) {
    Map<String, List<Entry>> bySize = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      Image image = folder.readWhole(i);
      bySize.computeIfAbsent(image.height() + "x" + image.width(), k -> new ArrayList<>())
          .add(new Entry(i, folder.file(i).getFileName().toString(), image.height(), image.width()));
    }
    List<Group> groups = new ArrayList<>();
    for (List<Entry> entries : bySize.values()) {
      groups.add(new Group(entries.get(0).height(), entries.get(0).width(), List.copyOf(entries)));
    }
    return List.copyOf(groups);
  }

  /** The labels ("h x w") of the groups, in their order. */
  public static List<String> labels(List<Group> groups) {
    return groups.stream().map(Group::label).toList();
  }

  /** How many images the groups hold. */
  public static int count(List<Group> groups) {
    return groups.stream().mapToInt(g -> g.entries().size()).sum();
  }
}
