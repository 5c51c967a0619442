package org.restorelab.data.image;

import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.IntBinaryOperator;
import java.util.zip.CRC32;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;
import javax.imageio.ImageIO;

/** Test data in the real on-disk formats: PNG/JPEG files, CelebA folders, .npy arrays in npz files. */
final class ImageFixtures {
  private ImageFixtures() {}

  /** An 8-bit RGB image whose pixel (x, y) is {@code rgb.applyAsInt(x, y)} (0xRRGGBB). */
  static BufferedImage rgb(int width, int height, IntBinaryOperator rgb) {
    BufferedImage image = new BufferedImage(width, height, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < height; y++) {
      for (int x = 0; x < width; x++) {
        image.setRGB(x, y, rgb.applyAsInt(x, y));
      }
    }
    return image;
  }

  static Path write(BufferedImage image, String format, Path file) throws IOException {
    Files.createDirectories(file.getParent());
    if (!ImageIO.write(image, format, file.toFile())) {
      throw new IOException("no " + format + " writer for image type " + image.getType());
    }
    return file;
  }

  /** The smooth synthetic CelebA picture number {@code k} (JPEG compresses it almost exactly). */
  static int celebaPixel(int k, int x, int y) {
    int r = x * 255 / 177;
    int g = y * 255 / 217;
    int b = (40 + 9 * k) % 256;
    return (r << 16) | (g << 8) | b;
  }

  /**
   * A CelebA root with {@code partitions.length} 178x218 JPEGs 000001.jpg ... in
   * img_align_celeba/ and list_eval_partition.txt giving their partitions.
   */
  static Path celeba(Path root, int[] partitions) throws IOException {
    StringBuilder list = new StringBuilder();
    for (int k = 0; k < partitions.length; k++) {
      String name = String.format("%06d.jpg", k + 1);
      int picture = k;
      write(rgb(178, 218, (x, y) -> celebaPixel(picture, x, y)), "jpg", root.resolve("img_align_celeba").resolve(name));
      list.append(name).append(' ').append(partitions[k]).append('\n');
    }
    Files.writeString(root.resolve("list_eval_partition.txt"), list.toString());
    return root;
  }

  /** The 20-image CelebA fixture: 12 training, 4 validation, 4 test images. */
  static final int[] CELEBA_PARTITIONS = {0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2};

  /** A .npy array (C order) with the given descr, shape and raw data, in format version {@code version}. */
  static byte[] npy(String descr, long[] shape, byte[] data, int version) {
    StringBuilder dims = new StringBuilder();
    for (long d : shape) {
      dims.append(d).append(", ");
    }
    String shapeText = shape.length == 1 ? "(" + shape[0] + ",)" : "(" + dims.substring(0, dims.length() - 2) + ")";
    String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shapeText + ", }";
    int prefix = version == 1 ? 10 : 12;
    int padded = ((prefix + dict.length() + 1 + 63) / 64) * 64 - prefix; // numpy aligns the data to 64 bytes
    String header = dict + " ".repeat(padded - dict.length() - 1) + "\n";
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', (byte) version, 0});
    out.write(padded & 0xff);
    out.write((padded >> 8) & 0xff);
    if (version != 1) {
      out.write(0);
      out.write(0);
    }
    out.writeBytes(header.getBytes(StandardCharsets.ISO_8859_1));
    out.writeBytes(data);
    return out.toByteArray();
  }

  /** An npz file holding the given .npy arrays as "key.npy", stored or deflated. */
  static Path npz(Path file, Map<String, byte[]> arrays, boolean deflated) throws IOException {
    Files.createDirectories(file.getParent());
    try (OutputStream os = Files.newOutputStream(file); ZipOutputStream zip = new ZipOutputStream(os)) {
      for (Map.Entry<String, byte[]> a : arrays.entrySet()) {
        ZipEntry entry = new ZipEntry(a.getKey() + ".npy");
        if (deflated) {
          entry.setMethod(ZipEntry.DEFLATED);
        } else {
          CRC32 crc = new CRC32();
          crc.update(a.getValue());
          entry.setMethod(ZipEntry.STORED);
          entry.setSize(a.getValue().length);
          entry.setCompressedSize(a.getValue().length);
          entry.setCrc(crc.getValue());
        }
        zip.putNextEntry(entry);
        zip.write(a.getValue());
        zip.closeEntry();
      }
    }
    return file;
  }

  /** The test value of ImageNet-style row {@code row}, channel c, pixel p (of s * s). */
  static int imagenetValue(int batch, int row, int c, int p) {
    return (batch * 101 + row * 37 + c * 71 + p * 13) % 256;
  }

  /** An ImageNet64-format npz: 'data' uint8 [rows, 3 * s * s] channels first, and 'labels'. */
  static Path imagenetNpz(Path file, int batch, int rows, int s, boolean deflated, int npyVersion) throws IOException {
    int plane = s * s;
    byte[] data = new byte[rows * 3 * plane];
    for (int r = 0; r < rows; r++) {
      for (int c = 0; c < 3; c++) {
        for (int p = 0; p < plane; p++) {
          data[r * 3 * plane + c * plane + p] = (byte) imagenetValue(batch, r, c, p);
        }
      }
    }
    byte[] labels = new byte[rows * 8];
    Map<String, byte[]> arrays = new LinkedHashMap<>();
    arrays.put("data", npy("|u1", new long[] {rows, 3L * plane}, data, npyVersion));
    arrays.put("labels", npy("<i8", new long[] {rows}, labels, 1));
    return npz(file, arrays, deflated);
  }
}
