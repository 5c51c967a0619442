package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.awt.Transparency;
import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ComponentColorModel;
import java.awt.image.DataBuffer;
import java.awt.image.IndexColorModel;
import java.awt.image.WritableRaster;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ImageFilesTest {
  @TempDir
  Path dir;

  @Test
  void rgbPngDecodesExactlyHwc() throws IOException {
    Path f = ImageFixtures.write(ImageFixtures.rgb(3, 2, (x, y) -> (x * 80 << 16) | (y * 200 << 8) | 7), "png",
        dir.resolve("a.png"));
    ImageFiles.Decoded d = ImageFiles.decode(f);
    assertThat(d.grayscale()).isFalse();
    assertThat(d.alpha()).isFalse();
    Image img = d.image();
    assertThat(img.height()).isEqualTo(2);
    assertThat(img.width()).isEqualTo(3);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        assertThat(img.get(y, x, 0)).isEqualTo(x * 80 / 255f);
        assertThat(img.get(y, x, 1)).isEqualTo(y * 200 / 255f);
        assertThat(img.get(y, x, 2)).isEqualTo(7 / 255f);
      }
    }
  }

  @Test
  void grayscaleIsReplicatedWithoutGammaConversion() throws IOException {
    BufferedImage g = new BufferedImage(4, 1, BufferedImage.TYPE_BYTE_GRAY);
    g.getRaster().setPixels(0, 0, 4, 1, new int[] {0, 10, 128, 255});
    ImageFiles.Decoded d = ImageFiles.decode(ImageFixtures.write(g, "png", dir.resolve("g.png")));
    assertThat(d.grayscale()).isTrue();
    int[] expected = {0, 10, 128, 255};
    for (int x = 0; x < 4; x++) {
      for (int c = 0; c < 3; c++) {
        assertThat(d.image().get(0, x, c)).isEqualTo(expected[x] / 255f);
      }
    }
    BufferedImage bits = new BufferedImage(3, 1, BufferedImage.TYPE_BYTE_BINARY); // a 1-bit PNG
    bits.getRaster().setPixels(0, 0, 3, 1, new int[] {1, 0, 1});
    ImageFiles.Decoded b = ImageFiles.decode(ImageFixtures.write(bits, "png", dir.resolve("bits.png")));
    assertThat(b.grayscale()).isTrue();
    assertThat(b.image().hwc()).containsExactly(1, 1, 1, 0, 0, 0, 1, 1, 1);
  }

  @Test
  void palettePngsDecodeToTheirColours() throws IOException {
    IndexColorModel palette = new IndexColorModel(8, 2, new byte[] {10, (byte) 200}, new byte[] {20, 100},
        new byte[] {30, 50});
    BufferedImage p = new BufferedImage(2, 1, BufferedImage.TYPE_BYTE_INDEXED, palette);
    p.getRaster().setPixels(0, 0, 2, 1, new int[] {1, 0});
    ImageFiles.Decoded d = ImageFiles.decode(ImageFixtures.write(p, "png", dir.resolve("p.png")));
    assertThat(d.grayscale()).isFalse();
    assertThat(d.image().hwc()).containsExactly(200 / 255f, 100 / 255f, 50 / 255f, 10 / 255f, 20 / 255f, 30 / 255f);
  }

  @Test
  void alphaIsDroppedNotComposited() throws IOException {
    BufferedImage a = new BufferedImage(2, 1, BufferedImage.TYPE_INT_ARGB);
    a.setRGB(0, 0, 0x00ff8040); // fully transparent
    a.setRGB(1, 0, 0x80102030);
    ImageFiles.Decoded d = ImageFiles.decode(ImageFixtures.write(a, "png", dir.resolve("a.png")));
    assertThat(d.alpha()).isTrue();
    assertThat(d.grayscale()).isFalse();
    assertThat(new float[] {d.image().get(0, 0, 0), d.image().get(0, 0, 1), d.image().get(0, 0, 2)})
        .containsExactly(255 / 255f, 0x80 / 255f, 0x40 / 255f);
    assertThat(new float[] {d.image().get(0, 1, 0), d.image().get(0, 1, 1), d.image().get(0, 1, 2)})
        .containsExactly(0x10 / 255f, 0x20 / 255f, 0x30 / 255f);
  }

  @Test
  void sixteenBitPngsKeepTheirPrecision() throws IOException {
    BufferedImage g16 = new BufferedImage(3, 1, BufferedImage.TYPE_USHORT_GRAY);
    g16.getRaster().setPixels(0, 0, 3, 1, new int[] {0, 1000, 65535});
    Image g = ImageFiles.read(ImageFixtures.write(g16, "png", dir.resolve("g16.png")));
    assertThat(g.get(0, 1, 2)).isEqualTo(1000 / 65535f);
    assertThat(g.get(0, 2, 0)).isEqualTo(1f);

    ComponentColorModel cm = new ComponentColorModel(ColorSpace.getInstance(ColorSpace.CS_sRGB), false, false,
        Transparency.OPAQUE, DataBuffer.TYPE_USHORT);
    WritableRaster raster = cm.createCompatibleWritableRaster(2, 1);
    raster.setPixels(0, 0, 2, 1, new int[] {1, 2, 3, 60000, 30000, 65535});
    Image rgb = ImageFiles.read(ImageFixtures.write(new BufferedImage(cm, raster, false, null), "png",
        dir.resolve("rgb16.png")));
    assertThat(rgb.hwc()).containsExactly(1 / 65535f, 2 / 65535f, 3 / 65535f, 60000 / 65535f, 30000 / 65535f, 1f);
  }

  @Test
  void jpegDecodesCloseToWhatWasWritten() throws IOException {
    Image img = ImageFiles.read(ImageFixtures.write(ImageFixtures.rgb(16, 8, (x, y) -> 0x80a0c0), "jpg",
        dir.resolve("flat.jpg")));
    for (int i = 0; i < img.hwc().length; i += 3) {
      assertThat(img.hwc()[i]).isCloseTo(0x80 / 255f, within(2 / 255f));
      assertThat(img.hwc()[i + 2]).isCloseTo(0xc0 / 255f, within(2 / 255f));
    }
  }

  @Test
  void corruptTruncatedAndMissingFilesAreErrorsNamingTheFile() throws IOException {
    Path garbage = Files.write(dir.resolve("garbage.png"), "not an image at all".getBytes());
    assertThatThrownBy(() -> ImageFiles.read(garbage))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(garbage.toString());

    byte[] jpeg = Files.readAllBytes(ImageFixtures.write(ImageFixtures.rgb(64, 64, (x, y) -> x * y * 997),
        "jpg", dir.resolve("full.jpg")));
    Path truncatedJpeg = Files.write(dir.resolve("truncated.jpg"), Arrays.copyOf(jpeg, jpeg.length / 2));
    assertThatThrownBy(() -> ImageFiles.read(truncatedJpeg))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(truncatedJpeg.toString());
    Path headerOnly = Files.write(dir.resolve("header.jpg"), Arrays.copyOf(jpeg, 200));
    assertThatThrownBy(() -> ImageFiles.read(headerOnly))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(headerOnly.toString());

    byte[] png = Files.readAllBytes(ImageFixtures.write(ImageFixtures.rgb(64, 64, (x, y) -> x * y * 997),
        "png", dir.resolve("full.png")));
    Path truncatedPng = Files.write(dir.resolve("truncated.png"), Arrays.copyOf(png, png.length / 2));
    assertThatThrownBy(() -> ImageFiles.read(truncatedPng))
        .isInstanceOf(ImageDataException.class).hasMessageContaining(truncatedPng.toString());

    Path missing = dir.resolve("missing.png");
    assertThatThrownBy(() -> ImageFiles.read(missing))
        .isInstanceOf(ImageDataException.class).hasMessageContaining("not found").hasMessageContaining(missing.toString());
  }
}
