package org.restorelab.data.image;

/**
 * A finite, indexed set of RGB images of one size. Pixels are float in [0, 1], stored HWC
 * (row-major, then R, G, B), so a batch of them is an NHWC tensor. Reading the same index twice
 * gives the same image.
 */
public interface ImageSet {
  /** The number of images. */
  int size();

  int height();

  int width();

  /** Floats per image: height * width * 3. */
  default int pixels() {
    return height() * width() * 3;
  }

  /**
   * Writes image {@code index} into {@code dst[offset .. offset + pixels())}.
   *
   * @throws ImageDataException naming the file (or source) when the image cannot be read
   */
  void read(int index, float[] dst, int offset);

  /** Where image {@code index} comes from (a file path, "npz file#row", "faces/train/17"). */
  String describe(int index);
}
