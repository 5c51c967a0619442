package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.IntBinaryOperator;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.restorelab.config.CelebaDataConfig;
import org.restorelab.config.ConfigException;

class CelebaImageSetTest {
  @TempDir
  static Path shared;

  static Path root;

  @BeforeAll
  static void writeCeleba() throws IOException {
    root = ImageFixtures.celeba(shared.resolve("celeba"), ImageFixtures.CELEBA_PARTITIONS);
  }

  private static CelebaDataConfig config(Path root, double trainFraction) {
    return CelebaDataConfig.newBuilder().setRoot(root.toString()).setTrainFraction(trainFraction).build();
  }

  private static List<String> files(CelebaImageSet set) {
    List<String> out = new ArrayList<>();
    for (int i = 0; i < set.size(); i++) {
      out.add(set.file(i));
    }
    return out;
  }

  private static String name(int k) {
    return String.format("%06d.jpg", k);
  }

  @Test
  void splitsTakeAFractionOfTheTrainingPartitionAndAreSeeded() {
    CelebaImageSet train = new CelebaImageSet(config(root, 0.75), 64, Split.TRAIN, 1);
    CelebaImageSet val = new CelebaImageSet(config(root, 0.75), 64, Split.VALIDATION, 1);
    assertThat(train.size()).isEqualTo(9); // round(0.75 * 12)
    assertThat(val.size()).isEqualTo(7); // the 4 of partition 1 and the other 3 of partition 0
    Set<String> all = new HashSet<>(files(train));
    all.addAll(files(val));
    assertThat(all).hasSize(16);
    for (int k = 1; k <= 12; k++) {
      assertThat(all).contains(name(k));
    }
    assertThat(files(val)).contains(name(13), name(14), name(15), name(16)).doesNotContain(name(17), name(20));
    assertThat(files(train)).isSorted().allMatch(f -> f.compareTo(name(12)) <= 0);
    assertThat(train.describe(0)).isEqualTo(root.resolve("img_align_celeba").resolve(train.file(0)).toString());

    assertThat(files(new CelebaImageSet(config(root, 0.75), 64, Split.TRAIN, 1))).isEqualTo(files(train));
    boolean anotherSeedDiffers = false;
    for (long seed = 2; seed < 6; seed++) {
      anotherSeedDiffers |= !files(new CelebaImageSet(config(root, 0.75), 64, Split.TRAIN, seed)).equals(files(train));
    }
    assertThat(anotherSeedDiffers).isTrue();
    assertThat(new CelebaImageSet(config(root, 1.0), 64, Split.TRAIN, 1).size()).isEqualTo(12);
    assertThat(new CelebaImageSet(config(root, 1.0), 64, Split.VALIDATION, 1).size()).isEqualTo(4);
  }

  /** The resize weights of one axis over every input pixel (no support bounds): rows out, columns in. */
  private static double[][] weights(int in, int out, boolean antialias) {
    double scale = (double) in / out;
    double stretch = antialias ? Math.max(1, scale) : 1;
    double[][] w = new double[out][in];
    for (int i = 0; i < out; i++) {
      double centre = (i + 0.5) * scale - 0.5;
      double sum = 0;
      for (int j = 0; j < in; j++) {
        w[i][j] = Math.max(0, 1 - Math.abs(j - centre) / stretch);
        sum += w[i][j];
      }
      for (int j = 0; j < in; j++) {
        w[i][j] /= sum;
      }
    }
    return w;
  }

  /** Resize (h, w) -> (rh, rw) as Wy * image * Wx^T in float64, then the 64x64 window at (top, left). */
  private static double[] expected(IntBinaryOperator rgb, int h, int w, int rh, int rw, boolean antialias, int top,
      int left) {
    double[][] wy = weights(h, rh, antialias);
    double[][] wx = weights(w, rw, antialias);
    double[] out = new double[64 * 64 * 3];
    for (int c = 0; c < 3; c++) {
      int shift = 16 - 8 * c;
      double[][] cols = new double[64][h]; // image * Wx^T, for the 64 cropped columns
      for (int y = 0; y < h; y++) {
        for (int x = 0; x < 64; x++) {
          double s = 0;
          for (int j = 0; j < w; j++) {
            s += wx[left + x][j] * ((rgb.applyAsInt(j, y) >> shift) & 0xff) / 255.0;
          }
          cols[x][y] = s;
        }
      }
      for (int y = 0; y < 64; y++) {
        for (int x = 0; x < 64; x++) {
          double s = 0;
          for (int i = 0; i < h; i++) {
            s += wy[top + y][i] * cols[x][i];
          }
          out[(y * 64 + x) * 3 + c] = s;
        }
      }
    }
    return out;
  }

  @ParameterizedTest
  @CsvSource({
      // mode, antialias, resized height, resized width, crop top, crop left
      "SQUARE, true, 102, 102, 19, 19",
      "SQUARE, false, 102, 102, 19, 19",
      "SHORTER_SIDE, true, 124, 102, 30, 19"}) // 102 * 218 / 178 = 124.9 -> 124
  void pixelsMatchAnIndependentFloat64ResizeAndCrop(CelebaDataConfig.Resize mode, boolean antialias, int rh, int rw,
      int top, int left) throws IOException {
    CelebaDataConfig c = config(root, 1.0).toBuilder().setResizeMode(mode).setAntialias(antialias).build();
    CelebaImageSet set = new CelebaImageSet(c, 64, Split.TRAIN, 1);
    int index = 4;
    float[] got = new float[set.pixels() + 5];
    set.read(index, got, 5);

    BufferedImage decoded = ImageIO.read(root.resolve("img_align_celeba").resolve(set.file(index)).toFile());
    double[] fromFile = expected((x, y) -> decoded.getRGB(x, y), 218, 178, rh, rw, antialias, top, left);
    int picture = Integer.parseInt(set.file(index).substring(0, 6)) - 1;
    double[] fromPicture = expected((x, y) -> ImageFixtures.celebaPixel(picture, x, y), 218, 178, rh, rw, antialias,
        top, left);
    for (int i = 0; i < fromFile.length; i++) {
      assertThat((double) got[5 + i]).as("value %d", i).isCloseTo(fromFile[i], within(1e-5));
      assertThat((double) got[5 + i]).as("value %d", i).isCloseTo(fromPicture[i], within(0.03)); // JPEG loss only
    }
  }

  @Test
  void aCorruptJpegIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
    Path r = ImageFixtures.celeba(dir, new int[] {0, 0, 0, 1});
    Path bad = r.resolve("img_align_celeba/000002.jpg");
    byte[] bytes = Files.readAllBytes(bad);
    Files.write(bad, Arrays.copyOf(bytes, bytes.length / 3));
    CelebaImageSet set = new CelebaImageSet(config(r, 1.0), 64, Split.TRAIN, 1);
    float[] dst = new float[set.pixels()];
    set.read(0, dst, 0);
    assertThatThrownBy(() -> set.read(1, dst, 0))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(bad.toString());
    Files.delete(r.resolve("img_align_celeba/000003.jpg"));
    assertThatThrownBy(() -> set.read(2, dst, 0)).isInstanceOf(ImageDataException.class)
        .hasMessageContaining("not found").hasMessageContaining("000003.jpg");
  }

  @Test
  void aMissingOrMalformedPartitionFileIsAnErrorNamingIt(@TempDir Path dir) throws IOException {
    Files.createDirectories(dir.resolve("img_align_celeba"));
    assertThatThrownBy(() -> new CelebaImageSet(config(dir, 0.8), 64, Split.TRAIN, 1))
        .isInstanceOf(ImageDataException.class)
        .hasMessageContaining(dir.resolve("list_eval_partition.txt").toString()).hasMessageContaining("not found");
    Files.writeString(dir.resolve("list_eval_partition.txt"), "000001.jpg 0\n000002.jpg 1\n000003.jpg 7\n");
    assertThatThrownBy(() -> new CelebaImageSet(config(dir, 0.8), 64, Split.TRAIN, 1))
        .isInstanceOf(ImageDataException.class)
        .hasMessageContaining(dir.resolve("list_eval_partition.txt") + ":3").hasMessageContaining("000003.jpg 7");
  }

  @Test
  void badSettingsAreConfigErrors() {
    assertThatThrownBy(() -> new CelebaImageSet(config(root, 0), 64, Split.TRAIN, 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("train_fraction");
    assertThatThrownBy(() -> new CelebaImageSet(config(root, 0.8).toBuilder().setResize(50).build(), 64, Split.TRAIN, 1))
        .isInstanceOf(ConfigException.class).hasMessageContaining("resize");
    assertThatThrownBy(() -> new CelebaImageSet(config(root.resolve("nowhere"), 0.8), 64, Split.TRAIN, 1))
        .isInstanceOf(ImageDataException.class).hasMessageContaining("nowhere");
  }
}
