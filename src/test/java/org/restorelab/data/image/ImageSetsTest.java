package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.CelebaDataConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.ImageNet64DataConfig;

class ImageSetsTest {
  @Test
  void opensEachFileSource(@TempDir Path dir) throws IOException {
    ImageFixtures.celeba(dir.resolve("celeba"), new int[] {0, 0, 0, 0, 1});
    ImageSet celeba = ImageSets.open(ImageDataConfig.newBuilder()
        .setCeleba(CelebaDataConfig.newBuilder().setRoot(dir.resolve("celeba").toString())).build(), Split.VALIDATION, 5);
    assertThat(celeba).isInstanceOf(CelebaImageSet.class);
    assertThat(celeba.size()).isEqualTo(2); // partition 1 and round(0.2 * 4) = 1 of partition 0
    assertThat(celeba.height()).isEqualTo(64);

    ImageFixtures.imagenetNpz(dir.resolve("in/val_data.npz"), 0, 3, 8, false, 1);
    ImageSet imagenet = ImageSets.open(ImageDataConfig.newBuilder().setImageSize(8)
        .setImagenet64(ImageNet64DataConfig.newBuilder().addValidationFiles(dir + "/in/val_*.npz")).build(),
        Split.VALIDATION, 5);
    assertThat(imagenet).isInstanceOf(ImageNet64Set.class);
    assertThat(imagenet.size()).isEqualTo(3);

    ImageFixtures.write(ImageFixtures.rgb(9, 9, (x, y) -> 0), "png", dir.resolve("f/x.png"));
    ImageSet folder = ImageSets.open(ImageDataConfig.newBuilder().setImageSize(8)
        .setFolder(ImageFolderDataConfig.newBuilder().setPath(dir.resolve("f").toString())).build(), Split.TRAIN, 5);
    assertThat(folder).isInstanceOf(ImageFolderSet.class);
    assertThat(folder.pixels()).isEqualTo(8 * 8 * 3);
  }

  @Test
  void refusesBadSizesAndAMissingSource() {
    ImageDataConfig folder = ImageDataConfig.newBuilder()
        .setFolder(ImageFolderDataConfig.newBuilder().setPath("/nowhere")).build();
    assertThatThrownBy(() -> ImageSets.open(folder.toBuilder().setImageSize(0).build(), Split.TRAIN, 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("image_size");
    assertThatThrownBy(() -> ImageSets.open(ImageDataConfig.getDefaultInstance(), Split.TRAIN, 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no image data source");
  }
}
