package org.restorelab.task;

import org.restorelab.config.ConfigException;
import org.restorelab.config.TaskConfig;

/** Builds the task a config names, checking it against the image size. */
public final class Tasks {
  private Tasks() {}

  /**
   * @param field the config path of the task, for error messages ("image_gan.task")
   * @param imageSize the data's image side
   */
  public static RestorationTask create(TaskConfig config, int imageSize, String field) {
    return switch (config.getTaskCase()) {
      case INPAINTING -> new Inpainting(imageSize, imageSize, config.getInpainting().getMaskedFraction(),
          config.getInpainting().getFill());
      case SUPER_RESOLUTION -> {
        int scale = config.getSuperResolution().getScale();
        if (scale < 2 || imageSize % scale != 0) {
          throw new ConfigException(field + ".super_resolution.scale = " + scale
              + " must be >= 2 and divide data.image_size = " + imageSize);
        }
        yield new SuperResolution(imageSize, imageSize, scale);
      }
      case TASK_NOT_SET -> throw new ConfigException(field + ": set inpainting { } or super_resolution { scale: N }");
    };
  }
}
