package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageNet64DataConfig;

class ImageNet64SetTest {
  @TempDir
  Path dir;

  private static ImageNet64DataConfig train(String... patterns) {
    return ImageNet64DataConfig.newBuilder().addAllTrainFiles(java.util.List.of(patterns)).build();
  }

  /** Image i of batch b holds imagenetValue(b, row, c, y * s + x) / 255 at HWC (y, x, c). */
  private static void assertPixels(ImageSet set, int index, int batch, int row) {
    int s = set.height();
    float[] dst = new float[set.pixels() + 3];
    set.read(index, dst, 3);
    for (int y = 0; y < s; y++) {
      for (int x = 0; x < s; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(dst[3 + (y * s + x) * 3 + c]).as("image %d (%d, %d, %d)", index, y, x, c)
              .isEqualTo(ImageFixtures.imagenetValue(batch, row, c, y * s + x) / 255f);
        }
      }
    }
  }

  @ParameterizedTest
  @CsvSource({"false, 1", "true, 1", "false, 2", "true, 2"})
  void npzRowsBecomeExactHwcPixels(boolean deflated, int npyVersion) throws IOException {
    ImageFixtures.imagenetNpz(dir.resolve("train_data_batch_1.npz"), 0, 5, 4, deflated, npyVersion);
    ImageFixtures.imagenetNpz(dir.resolve("train_data_batch_2.npz"), 1, 3, 4, deflated, npyVersion);
    ImageNet64Set set = new ImageNet64Set(train(dir + "/train_data_batch_*.npz"), 4, Split.TRAIN);
    assertThat(set.size()).isEqualTo(8);
    assertThat(set.height()).isEqualTo(4);
    assertThat(set.width()).isEqualTo(4);
    for (int i = 0; i < 5; i++) {
      assertPixels(set, i, 0, i);
    }
    for (int i = 0; i < 3; i++) {
      assertPixels(set, 5 + i, 1, i);
    }
    assertThat(set.describe(6)).isEqualTo(dir.resolve("train_data_batch_2.npz") + "#1");
    assertThatThrownBy(() -> set.read(8, new float[48], 0)).isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void validationFilesAndPlainPathsAndGlobOrder() throws IOException {
    ImageFixtures.imagenetNpz(dir.resolve("val_data.npz"), 3, 2, 4, false, 1);
    ImageFixtures.imagenetNpz(dir.resolve("b/x_2.npz"), 2, 1, 4, false, 1);
    ImageFixtures.imagenetNpz(dir.resolve("b/x_1.npz"), 1, 1, 4, false, 1);
    ImageNet64DataConfig c = ImageNet64DataConfig.newBuilder()
        .addValidationFiles(dir.resolve("val_data.npz").toString()).addTrainFiles(dir + "/*/x_?.npz").build();
    ImageNet64Set val = new ImageNet64Set(c, 4, Split.VALIDATION);
    assertThat(val.size()).isEqualTo(2);
    assertPixels(val, 1, 3, 1);
    ImageNet64Set tr = new ImageNet64Set(c, 4, Split.TRAIN);
    assertPixels(tr, 0, 1, 0); // x_1 sorts first
    assertPixels(tr, 1, 2, 0);
  }

  @Test
  void theWrongShapeOrTypeIsAnErrorNamingFileKeyAndShapes() throws IOException {
    Path wrong = ImageFixtures.npz(dir.resolve("wrong.npz"),
        Map.of("data", ImageFixtures.npy("|u1", new long[] {3, 50}, new byte[150], 1)), false);
    assertThatThrownBy(() -> new ImageNet64Set(train(wrong.toString()), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class)
        .hasMessageContaining(wrong.toString()).hasMessageContaining("'data'")
        .hasMessageContaining("[N, 48]").hasMessageContaining("[3, 50]");
    assertThatThrownBy(() -> new ImageNet64Set(train(wrong.toString()), 64, Split.TRAIN))
        .hasMessageContaining("[N, 12288]");

    Path floats = ImageFixtures.npz(dir.resolve("floats.npz"),
        Map.of("data", ImageFixtures.npy("<f4", new long[] {1, 48}, new byte[192], 1)), true);
    assertThatThrownBy(() -> new ImageNet64Set(train(floats.toString()), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(floats.toString()).hasMessageContaining("<f4");

    Path noData = ImageFixtures.npz(dir.resolve("nodata.npz"),
        Map.of("labels", ImageFixtures.npy("<i8", new long[] {1}, new byte[8], 1)), false);
    assertThatThrownBy(() -> new ImageNet64Set(train(noData.toString()), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(noData.toString())
        .hasMessageContaining("no array 'data'").hasMessageContaining("labels");

    Path truncated = dir.resolve("truncated.npz");
    byte[] good = Files.readAllBytes(ImageFixtures.imagenetNpz(dir.resolve("good.npz"), 0, 4, 4, false, 1));
    Files.write(truncated, java.util.Arrays.copyOf(good, good.length - 100));
    assertThatThrownBy(() -> new ImageNet64Set(train(truncated.toString()), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(truncated.toString());

    Path notZip = Files.writeString(dir.resolve("text.npz"), "hello");
    assertThatThrownBy(() -> new ImageNet64Set(train(notZip.toString()), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(notZip.toString());
  }

  @Test
  void missingFilesAndEmptyGlobsAreErrorsNamingThePattern() {
    String pattern = dir + "/train_*.npz";
    assertThatThrownBy(() -> new ImageNet64Set(train(pattern), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining("no files match '" + pattern + "'");
    assertThatThrownBy(() -> new ImageNet64Set(train(dir + "/absent.npz"), 4, Split.TRAIN))
        .isInstanceOf(ImageDataException.class).hasMessageContaining("absent.npz");
    assertThatThrownBy(() -> new ImageNet64Set(train(), 4, Split.TRAIN))
        .isInstanceOf(ConfigException.class).hasMessageContaining("imagenet64.train_files");
  }

  @Test
  void npyHeadersParse() throws IOException {
    byte[] npy = ImageFixtures.npy("|u1", new long[] {7, 12288}, new byte[0], 1);
    NpyHeader h = NpyHeader.read(new java.io.ByteArrayInputStream(npy));
    assertThat(h.descr()).isEqualTo("|u1");
    assertThat(h.fortranOrder()).isFalse();
    assertThat(h.shape()).containsExactly(7, 12288);
    assertThat(h.length()).isEqualTo(npy.length).isEqualTo(128);
    assertThat(NpyHeader.read(new java.io.ByteArrayInputStream(ImageFixtures.npy("<i8", new long[] {5}, new byte[0], 2)))
        .shape()).containsExactly(5);
    assertThatThrownBy(() -> NpyHeader.read(new java.io.ByteArrayInputStream("PK\3\4 not npy".getBytes())))
        .isInstanceOf(IOException.class).hasMessageContaining("magic");
  }
}
