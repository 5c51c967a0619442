package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.ImageFolderDataConfig.SizePolicy;

class ImageFolderSetTest {
  @TempDir
  Path dir;

  private ImageFolderDataConfig.Builder folder() {
    return ImageFolderDataConfig.newBuilder().setPath(dir.toString());
  }

  private static int pixel(int x, int y) {
    return (x * 20 << 16) | (y * 20 << 8) | 99;
  }

  @Test
  void grayscaleAndRgbaImagesAreConvertedAndCounted() throws IOException {
    BufferedImage gray = new BufferedImage(6, 5, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 6; x++) {
        gray.getRaster().setSample(x, y, 0, 10 * x + y);
      }
    }
    ImageFixtures.write(gray, "png", dir.resolve("a_gray.png"));
    BufferedImage rgba = new BufferedImage(5, 5, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 5; y++) {
      for (int x = 0; x < 5; x++) {
        rgba.setRGB(x, y, (x * 50) << 24 | pixel(x, y));
      }
    }
    ImageFixtures.write(rgba, "png", dir.resolve("b_rgba.PNG"));
    ImageFixtures.write(ImageFixtures.rgb(5, 5, ImageFolderSetTest::pixel), "jpg", dir.resolve("c_rgb.JPEG"));
    Files.writeString(dir.resolve("notes.txt"), "not an image");

    ImageFolderSet set = new ImageFolderSet(folder().build(), 4, Split.TRAIN);
    assertThat(set.size()).isEqualTo(3);
    assertThat(set.file(0).getFileName().toString()).isEqualTo("a_gray.png");
    assertThat(set.file(2).getFileName().toString()).isEqualTo("c_rgb.JPEG");
    assertThat(set.conversions()).isEqualTo(new ImageFolderSet.Conversions(0, 0));
    float[] dst = new float[3 * set.pixels()];
    for (int i = 0; i < 3; i++) {
      set.read(i, dst, i * set.pixels());
    }
    set.read(0, new float[set.pixels()], 0); // counted once per file
    assertThat(set.conversions()).isEqualTo(new ImageFolderSet.Conversions(1, 1));

    // gray 5x6 -> centre 4x4 at top round(0.5) = 0, left round(1.0) = 1; replicated to R, G, B
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(dst[(y * 4 + x) * 3 + c]).isEqualTo((10 * (x + 1) + y) / 255f);
        }
      }
    }
    // RGBA 5x5 -> top = left = round(0.5) = 0; the colour is kept whatever the alpha
    int o = set.pixels();
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 4; x++) {
        assertThat(dst[o + (y * 4 + x) * 3]).isEqualTo(x * 20 / 255f);
        assertThat(dst[o + (y * 4 + x) * 3 + 1]).isEqualTo(y * 20 / 255f);
        assertThat(dst[o + (y * 4 + x) * 3 + 2]).isEqualTo(99 / 255f);
      }
    }
  }

  @Test
  void cropToMultipleKeepsEachImageWholeCroppedBottomRight() throws IOException {
    ImageFixtures.write(ImageFixtures.rgb(10, 13, ImageFolderSetTest::pixel), "png", dir.resolve("img.png"));
    ImageFolderSet set = new ImageFolderSet(
        folder().setSizePolicy(SizePolicy.CROP_TO_MULTIPLE).setMultipleOf(4).build(), 64, Split.VALIDATION);
    Image img = set.readWhole(0);
    assertThat(img.height()).isEqualTo(12);
    assertThat(img.width()).isEqualTo(8);
    for (int y = 0; y < 12; y++) {
      for (int x = 0; x < 8; x++) {
        assertThat(img.get(y, x, 0)).isEqualTo(x * 20 / 255f);
        assertThat(img.get(y, x, 1)).isEqualTo(y * 20 / 255f);
      }
    }
    assertThatThrownBy(set::height).isInstanceOf(UnsupportedOperationException.class).hasMessageContaining("readWhole");
    assertThatThrownBy(set::width).isInstanceOf(UnsupportedOperationException.class);
    assertThatThrownBy(() -> set.read(0, new float[12 * 8 * 3], 0)).isInstanceOf(UnsupportedOperationException.class);
    ImageFolderSet bigMultiple = new ImageFolderSet(
        folder().setSizePolicy(SizePolicy.CROP_TO_MULTIPLE).setMultipleOf(16).build(), 64, Split.TRAIN);
    assertThatThrownBy(() -> bigMultiple.readWhole(0)).isInstanceOf(ImageDataException.class)
        .hasMessageContaining("img.png").hasMessageContaining("13x10");
  }

  @Test
  void wrongSizesAreErrorsNamingFileAndSizes() throws IOException {
    Path small = ImageFixtures.write(ImageFixtures.rgb(5, 3, ImageFolderSetTest::pixel), "png", dir.resolve("small.png"));
    ImageFolderSet crop = new ImageFolderSet(folder().build(), 4, Split.TRAIN);
    assertThatThrownBy(() -> crop.read(0, new float[48], 0)).isInstanceOf(ImageDataException.class)
        .hasMessageContaining(small.toString()).hasMessageContaining("3x5").hasMessageContaining("4x4");
    ImageFolderSet exact = new ImageFolderSet(folder().setSizePolicy(SizePolicy.REQUIRE_EXACT).build(), 5, Split.TRAIN);
    assertThatThrownBy(() -> exact.read(0, new float[75], 0)).isInstanceOf(ImageDataException.class)
        .hasMessageContaining(small.toString()).hasMessageContaining("3x5").hasMessageContaining("5x5");
    ImageFolderSet ok = new ImageFolderSet(folder().setSizePolicy(SizePolicy.REQUIRE_EXACT).build(), 3, Split.TRAIN);
    assertThatThrownBy(() -> ok.read(0, new float[27], 0)).isInstanceOf(ImageDataException.class);
    ImageFixtures.write(ImageFixtures.rgb(4, 4, ImageFolderSetTest::pixel), "png", small);
    float[] dst = new float[48];
    new ImageFolderSet(folder().setSizePolicy(SizePolicy.REQUIRE_EXACT).build(), 4, Split.TRAIN).read(0, dst, 0);
    assertThat(dst[3 * 5 + 1]).isEqualTo(20 / 255f); // (y, x) = (1, 1)
  }

  @Test
  void trainFractionSplitsTheSortedFilesAndRecursionIsOptional() throws IOException {
    for (String name : new String[] {"d.png", "a.png", "c.jpg", "b.png", "sub/e.png"}) {
      ImageFixtures.write(ImageFixtures.rgb(4, 4, ImageFolderSetTest::pixel), name.endsWith("jpg") ? "jpg" : "png",
          dir.resolve(name));
    }
    ImageFolderSet train = new ImageFolderSet(folder().setTrainFraction(0.5).build(), 4, Split.TRAIN);
    ImageFolderSet val = new ImageFolderSet(folder().setTrainFraction(0.5).build(), 4, Split.VALIDATION);
    assertThat(train.describe(0)).endsWith("a.png");
    assertThat(train.describe(1)).endsWith("b.png");
    assertThat(train.size()).isEqualTo(2);
    assertThat(val.size()).isEqualTo(2);
    assertThat(val.describe(0)).endsWith("c.jpg");
    ImageFolderSet all = new ImageFolderSet(folder().setRecursive(true).build(), 4, Split.VALIDATION);
    assertThat(all.size()).isEqualTo(5);
    assertThat(all.describe(4)).endsWith("e.png");
    assertThatThrownBy(() -> new ImageFolderSet(folder().setTrainFraction(1.5).build(), 4, Split.TRAIN))
        .isInstanceOf(ConfigException.class);
    assertThatThrownBy(() -> new ImageFolderSet(folder().setPath(dir.resolve("sub/none").toString()).build(), 4,
        Split.TRAIN)).isInstanceOf(ImageDataException.class).hasMessageContaining("none");
  }
}
