package org.restorelab.data.image;

/**
 * One RGB image of its own size: float pixels in [0, 1], HWC (row-major, then R, G, B).
 *
 * @param hwc {@code height * width * 3} floats
 */
public record Image(int height, int width, float[] hwc) {
  public Image {
    if (height <= 0 || width <= 0 || hwc.length != height * width * 3) {
      throw new IllegalArgumentException("an image of " + height + "x" + width + " needs "
          + (long) height * width * 3 + " floats, got " + hwc.length);
    }
  }

  /** The value of channel {@code c} at row {@code y}, column {@code x}. */
  public float get(int y, int x, int c) {
    return hwc[(y * width + x) * 3 + c];
  }
}
