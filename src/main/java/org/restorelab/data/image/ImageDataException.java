package org.restorelab.data.image;

/** Bad image data: a corrupt or missing file, a wrong size or shape. The message names the file. */
public final class ImageDataException extends RuntimeException {
  public ImageDataException(String message) {
    super(message);
  }

  public ImageDataException(String message, Throwable cause) {
    super(message, cause);
  }
}
