package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.BenchmarkFolderConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.config.ProceduralFacesConfig;

/**
 * The mixed-size benchmark folder: every size holds its faces and textures as PNGs of exactly
 * that size, each the centre of the procedural image drawn square at max(h, w) (to the 8-bit
 * rounding), no two files the same image; bad sizes are refused naming the element.
 */
class BenchmarkFolderTest {
  @TempDir Path dir;

  @Test
  void eachSizeHoldsItsFacesAndTexturesCentreCroppedFromTheProceduralImage() throws Exception {
    BenchmarkFolderConfig c = BenchmarkFolderConfig.newBuilder().addSizes("20x28").addSizes("36X24")
        .setFacesPerSize(2).setTexturesPerSize(1).build();
    List<BenchmarkFolder.Written> files = BenchmarkFolder.write(c, 7, dir, "benchmark_folder");
    assertThat(files).extracting(BenchmarkFolder.Written::file).containsExactly("face-20x28-0.png",
        "face-20x28-1.png", "texture-20x28-0.png", "face-36x24-2.png", "face-36x24-3.png", "texture-36x24-1.png");
    ImageFolderSet folder = new ImageFolderSet(ImageFolderDataConfig.newBuilder().setPath(dir.toString())
        .setSizePolicy(ImageFolderDataConfig.SizePolicy.CROP_TO_MULTIPLE).setMultipleOf(4).build(), 32, Split.VALIDATION);
    assertThat(folder.size()).isEqualTo(6);
    for (int i = 0; i < folder.size(); i++) {
      String name = Path.of(folder.describe(i)).getFileName().toString();
      Image image = folder.readWhole(i);
      int[] hw = name.contains("20x28") ? new int[] {20, 28} : new int[] {36, 24};
      assertThat(new int[] {image.height(), image.width()}).as(name).containsExactly(hw);
    }
    // face-36x24-3.png is face 3 of the validation split drawn at 36x36, columns 6..29
    ProceduralFaces faces = new ProceduralFaces(ProceduralFacesConfig.newBuilder().setTrainSize(0).setValidationSize(4)
        .build(), 36, 7, Split.VALIDATION);
    float[] square = new float[36 * 36 * 3];
    faces.read(3, square, 0);
    Image file = ImageFiles.read(dir.resolve("face-36x24-3.png"));
    for (int y = 0; y < 36; y++) {
      for (int x = 0; x < 24; x++) {
        for (int ch = 0; ch < 3; ch++) {
          assertThat((double) file.hwc()[(y * 24 + x) * 3 + ch])
              .isCloseTo(square[(y * 36 + x + 6) * 3 + ch], org.assertj.core.data.Offset.offset(0.5 / 255 + 1e-6));
        }
      }
    }
    assertThat(ImageFiles.read(dir.resolve("face-20x28-0.png")).hwc())
        .isNotEqualTo(ImageFiles.read(dir.resolve("face-20x28-1.png")).hwc());
  }

  @Test
  void badSizesAreRefusedNamingTheElement() {
    assertThatThrownBy(() -> BenchmarkFolder.sizes(BenchmarkFolderConfig.newBuilder().addSizes("60x80").addSizes("60by80")
        .build(), "benchmark_folder")).isInstanceOf(ConfigException.class)
        .hasMessage("benchmark_folder.sizes[1]: \"60by80\" is not HxW (rows x columns, e.g. \"60x80\")");
    assertThatThrownBy(() -> BenchmarkFolder.sizes(BenchmarkFolderConfig.newBuilder().addSizes("4x80").build(),
        "benchmark_folder")).isInstanceOf(ConfigException.class).hasMessageContaining("sizes[0]: \"4x80\" has a side below 8");
    assertThatThrownBy(() -> BenchmarkFolder.sizes(BenchmarkFolderConfig.getDefaultInstance(), "benchmark_folder"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("benchmark_folder.sizes: give at least one size");
    assertThatThrownBy(() -> BenchmarkFolder.sizes(BenchmarkFolderConfig.newBuilder().addSizes("16x16").setFacesPerSize(0)
        .setTexturesPerSize(0).build(), "benchmark_folder")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("both 0");
  }
}
