package org.restorelab.data.image;

/** Which part of a data set: training images, or validation images (evaluation inputs). */
public enum Split {
  TRAIN,
  VALIDATION;

  /** Lower-case name, used in seed paths and descriptions. */
  public String label() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }
}
