package org.restorelab.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.imageio.ImageIO;
import org.restorelab.config.BenchmarkFolderConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.config.ProceduralTexturesConfig;
import org.restorelab.run.AtomicFiles;

/**
 * A folder of procedural images of mixed sizes, a stand-in for Set5, Set14 and BSD100, whose
 * images all differ in size: at each h x w, faces and textures of the validation split drawn square
 * at max(h, w) and centre-cropped, written as 8-bit PNG files {@code kind-HxW-i.png}; the k-th
 * size draws images {@code k * per_size} to {@code (k + 1) * per_size - 1}, so no two files show the same one.
 */
public final class BenchmarkFolder {
  /** One written image. */
  public record Written(String file, String kind, int height, int width) {}

  private BenchmarkFolder() {}

  /** The config's sizes as {h, w}, refused with the element named when malformed. */
  public static List<int[]> sizes(BenchmarkFolderConfig c, String path) {
    ConfigValidator.requireInRange(c, path);
    if (c.getSizesCount() == 0) {
      throw new ConfigException(path + ".sizes: give at least one size \"HxW\", e.g. sizes: [\"60x80\", \"128x128\"]");
    }
    if (c.getFacesPerSize() + c.getTexturesPerSize() == 0) {
      throw new ConfigException(path + ": faces_per_size and textures_per_size are both 0, so no image would be drawn");
    }
    List<int[]> out = new ArrayList<>();
    for (int i = 0; i < c.getSizesCount(); i++) {
      String s = c.getSizes(i);
      String[] parts = s.trim().split("[xX]");
      int[] hw = new int[2];
      try {
        if (parts.length != 2) {
          throw new NumberFormatException();
        }
        hw[0] = Integer.parseInt(parts[0].trim());
        hw[1] = Integer.parseInt(parts[1].trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(path + ".sizes[" + i + "]: \"" + s + "\" is not HxW (rows x columns, e.g. \"60x80\")");
      }
      if (hw[0] < Procedural.MIN_SIZE || hw[1] < Procedural.MIN_SIZE) {
        throw new ConfigException(path + ".sizes[" + i + "]: \"" + s + "\" has a side below " + Procedural.MIN_SIZE);
      }
      out.add(hw);
    }
    return out;
  }

  /** Draws the folder into {@code dir} (created); returns the files in order. */
  public static List<Written> write(BenchmarkFolderConfig c, long seed, Path dir, String path) throws IOException {
    List<int[]> sizes = sizes(c, path);
    Files.createDirectories(dir);
    List<Written> written = new ArrayList<>();
    int faces = c.getFacesPerSize();
    int textures = c.getTexturesPerSize();
    for (int k = 0; k < sizes.size(); k++) { // size k draws images k * per_size, ..., so every image differs
      int[] hw = sizes.get(k);
      int side = Math.max(hw[0], hw[1]);
      ImageSet faceSet = new ProceduralFaces(ProceduralFacesConfig.newBuilder().setTrainSize(0)
          .setValidationSize(sizes.size() * faces).build(), side, seed, Split.VALIDATION);
      ImageSet textureSet = new ProceduralTextures(ProceduralTexturesConfig.newBuilder().setTrainSize(0)
          .setValidationSize(sizes.size() * textures).build(), side, seed, Split.VALIDATION);
      for (int i = k * faces; i < (k + 1) * faces; i++) {
        written.add(writeOne(faceSet, i, "face", hw, dir));
      }
      for (int i = k * textures; i < (k + 1) * textures; i++) {
        written.add(writeOne(textureSet, i, "texture", hw, dir));
      }
    }
    return written;
  }

  private static Written writeOne(ImageSet set, int index, String kind, int[] hw, Path dir) throws IOException {
    int side = set.height();
    float[] square = new float[side * side * 3];
    set.read(index, square, 0);
    int top = (side - hw[0]) / 2;
    int left = (side - hw[1]) / 2;
    BufferedImage image = new BufferedImage(hw[1], hw[0], BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < hw[0]; y++) {
      for (int x = 0; x < hw[1]; x++) {
        int o = ((top + y) * side + left + x) * 3;
        image.setRGB(x, y, (byte255(square[o]) << 16) | (byte255(square[o + 1]) << 8) | byte255(square[o + 2]));
      }
    }
    String file = kind + "-" + hw[0] + "x" + hw[1] + "-" + index + ".png";
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    if (!ImageIO.write(image, "png", bytes)) {
      throw new UncheckedIOException(new IOException("no PNG writer"));
    }
    AtomicFiles.write(dir.resolve(file), bytes.toByteArray());
    return new Written(file, kind, hw[0], hw[1]);
  }

  private static int byte255(float v) {
    return (int) Math.round(Math.max(0, Math.min(1, v)) * 255);
  }
}
