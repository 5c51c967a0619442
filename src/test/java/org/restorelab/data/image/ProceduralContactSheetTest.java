package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.config.ProceduralTexturesConfig;

/**
 * Writes target/procedural-contact-sheet.png: 64 faces (left) and 64 textures (right) at 32x32,
 * shown 4x, for looking at.
 */
class ProceduralContactSheetTest {
  private static final int SIZE = 32;
  private static final int SCALE = 4;
  private static final int GRID = 8;
  private static final int GAP = 16;

  @Test
  void writesAContactSheet() throws Exception {
    ImageSet faces =
        new ProceduralFaces(ProceduralFacesConfig.getDefaultInstance(), SIZE, 1, Split.TRAIN);
    ImageSet textures =
        new ProceduralTextures(
            ProceduralTexturesConfig.getDefaultInstance(), SIZE, 1, Split.TRAIN);
    int tile = SIZE * SCALE;
    int panel = GRID * tile;
    BufferedImage sheet =
        new BufferedImage(2 * panel + GAP, panel, BufferedImage.TYPE_INT_RGB);
    paste(faces, sheet, 0);
    paste(textures, sheet, panel + GAP);
    Path out = Path.of("target", "procedural-contact-sheet.png");
    Files.createDirectories(out.getParent());
    assertThat(ImageIO.write(sheet, "png", out.toFile())).isTrue();
    assertThat(ImageIO.read(out.toFile()).getWidth()).isEqualTo(2 * panel + GAP);
  }

  private static void paste(ImageSet set, BufferedImage sheet, int x0) {
    float[] px = new float[set.pixels()];
    for (int i = 0; i < GRID * GRID; i++) {
      set.read(i, px, 0);
      int ox = x0 + (i % GRID) * SIZE * SCALE;
      int oy = (i / GRID) * SIZE * SCALE;
      for (int y = 0; y < SIZE * SCALE; y++) {
        for (int x = 0; x < SIZE * SCALE; x++) {
          int o = ((y / SCALE) * SIZE + x / SCALE) * 3;
          int rgb =
              (Math.round(px[o] * 255) << 16)
                  | (Math.round(px[o + 1] * 255) << 8)
                  | Math.round(px[o + 2] * 255);
          sheet.setRGB(ox + x, oy + y, rgb);
        }
      }
    }
  }
}
