package org.restorelab.data.image;

import java.awt.color.ColorSpace;
import java.awt.image.BufferedImage;
import java.awt.image.ColorModel;
import java.awt.image.IndexColorModel;
import java.awt.image.Raster;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Iterator;
import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import javax.imageio.stream.MemoryCacheImageInputStream;

/**
 * Decodes PNG and JPEG files (anything {@code javax.imageio} reads) into float RGB images in
 * [0, 1]. Samples are taken as stored, without colour management (as PIL does): 8-bit values are
 * divided by 255, 16-bit PNG values by 65535. Grayscale is replicated to R, G and B; an alpha
 * channel is dropped. A file that no decoder recognises, that fails to decode, or that decodes
 * with a warning (a truncated JPEG decodes to a half-grey image with only a warning) is an
 * {@link ImageDataException} naming the file.
 */
public final class ImageFiles {
  private ImageFiles() {}

  /**
   * A decoded image and what it was converted from: grayscale (one channel, or a palette of grays)
   * replicated to RGB, and an alpha channel (or palette transparency) dropped.
   */
  public record Decoded(Image image, boolean grayscale, boolean alpha) {}

  /** Decodes {@code file} into RGB. */
  public static Image read(Path file) {
    return decode(file).image();
  }

  /** Decodes {@code file} into RGB and says whether it was grayscale or had alpha. */
  public static Decoded decode(Path file) {
    byte[] bytes;
    try {
      bytes = Files.readAllBytes(file);
    } catch (NoSuchFileException e) {
      throw new ImageDataException("image file not found: " + file, e);
    } catch (IOException e) {
      throw new ImageDataException("cannot read image file " + file + ": " + e, e);
    }
    return decode(bytes, file.toString());
  }

  /** Decodes an encoded image; {@code name} names it in errors. */
  public static Decoded decode(byte[] encoded, String name) {
    BufferedImage image;
    try (ImageInputStream in = new MemoryCacheImageInputStream(new ByteArrayInputStream(encoded))) {
      Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
      if (!readers.hasNext()) {
        throw new ImageDataException("corrupt image file " + name + ": no image decoder recognises it ("
            + encoded.length + " bytes)");
      }
      ImageReader reader = readers.next();
      StringBuilder warnings = new StringBuilder();
      try {
        reader.setInput(in, true, true);
        reader.addIIOReadWarningListener((source, warning) -> warnings.append(warnings.length() > 0 ? "; " : "")
            .append(warning));
        image = reader.read(0);
      } finally {
        reader.dispose();
      }
      if (warnings.length() > 0) {
        throw new ImageDataException("corrupt image file " + name + ": " + warnings);
      }
    } catch (ImageDataException e) {
      throw e;
    } catch (IOException | RuntimeException e) {
      throw new ImageDataException("corrupt image file " + name + ": " + e.getMessage(), e);
    }
    return toRgb(image, name);
  }

  private static Decoded toRgb(BufferedImage image, String name) {
    int h = image.getHeight();
    int w = image.getWidth();
    ColorModel cm = image.getColorModel();
    float[] hwc = new float[h * w * 3];
    int colours = cm.getNumColorComponents();
    int colourSpace = cm.getColorSpace().getType();
    boolean plain = !(cm instanceof IndexColorModel) && !cm.isAlphaPremultiplied()
        && ((colourSpace == ColorSpace.TYPE_GRAY && colours == 1) || (colourSpace == ColorSpace.TYPE_RGB && colours == 3));
    if (plain) {
      Raster raster = image.getRaster();
      int bands = raster.getNumBands();
      float[] max = new float[colours];
      for (int c = 0; c < colours; c++) {
        max[c] = (1 << cm.getComponentSize(c)) - 1;
      }
      int[] row = new int[w * bands];
      for (int y = 0; y < h; y++) {
        raster.getPixels(0, y, w, 1, row);
        for (int x = 0; x < w; x++) {
          int o = (y * w + x) * 3;
          for (int c = 0; c < 3; c++) {
            int band = colours == 1 ? 0 : c;
            hwc[o + c] = row[x * bands + band] / max[band];
          }
        }
      }
      return new Decoded(new Image(h, w, hwc), colours == 1, cm.hasAlpha());
    }
    // Palettes and other colour spaces: Java2D's conversion to 8-bit sRGB.
    int[] argb = image.getRGB(0, 0, w, h, null, 0, w);
    for (int i = 0; i < argb.length; i++) {
      hwc[3 * i] = ((argb[i] >> 16) & 0xff) / 255f;
      hwc[3 * i + 1] = ((argb[i] >> 8) & 0xff) / 255f;
      hwc[3 * i + 2] = (argb[i] & 0xff) / 255f;
    }
    return new Decoded(new Image(h, w, hwc), colours == 1 || grayPalette(cm), cm.hasAlpha());
  }

  /** Whether a palette holds only grays (as ImageIO decodes 1, 2 and 4-bit grayscale PNGs). */
  private static boolean grayPalette(ColorModel cm) {
    if (!(cm instanceof IndexColorModel icm)) {
      return false;
    }
    for (int i = 0; i < icm.getMapSize(); i++) {
      if (icm.getRed(i) != icm.getGreen(i) || icm.getGreen(i) != icm.getBlue(i)) {
        return false;
      }
    }
    return true;
  }
}
