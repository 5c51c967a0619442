package org.restorelab.data.image;

import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageFolderDataConfig;

/** Opens the image set an {@link ImageDataConfig} describes. */
public final class ImageSets {
  private ImageSets() {}

  /**
   * Checks what the source's own vocabulary decides, before any work: the faces' fixed factors
   * ({@link ProceduralFaces#fixedCodes(org.restorelab.config.ProceduralFacesConfig, String)}).
   * {@code path} is the data block's path ("image_gan.data"); errors name the field under it.
   */
  public static void validate(ImageDataConfig config, String path) {
    if (config.getSourceCase() == ImageDataConfig.SourceCase.FACES) {
      ProceduralFaces.fixedCodes(config.getFaces(), path + ".faces");
    }
  }

  /**
   * The {@code split} of the configured source at the configured image size; {@code seed} is the
   * master seed (it draws the CelebA train/validation split).
   */
  public static ImageSet open(ImageDataConfig config, Split split, long seed) {
    int size = config.getImageSize();
    if (size <= 0) {
      throw new ConfigException("data.image_size = " + size + ": must be positive");
    }
    return switch (config.getSourceCase()) {
      case CELEBA -> new CelebaImageSet(config.getCeleba(), size, split, seed);
      case IMAGENET64 -> new ImageNet64Set(config.getImagenet64(), size, split);
      case FOLDER -> {
        if (config.getFolder().getSizePolicy() == ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE) {
          throw new ConfigException("data.folder.size_policy: CROP_TO_MULTIPLE keeps each image at its own size,"
              + " which only evaluate ifgsm and evaluate images read (with any-size SavedModels);"
              + " use CENTER_CROP (or REQUIRE_EXACT)");
        }
        yield new ImageFolderSet(config.getFolder(), size, split);
      }
      case FACES -> new ProceduralFaces(config.getFaces(), size, seed, split);
      case TEXTURES -> new ProceduralTextures(config.getTextures(), size, seed, split);
      case SOURCE_NOT_SET -> throw new ConfigException(
          "no image data source: set one of celeba, imagenet64, folder, faces, textures");
      // ---- procedural sources (faces, textures): to be wired in here by their generators ----
      default -> throw new IllegalArgumentException("image data source " + config.getSourceCase()
          + ": procedural sources are opened by their own generators, not (yet) by ImageSets.open");
    };
  }
}
