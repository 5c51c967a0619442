package org.restorelab.run;

import java.util.concurrent.Callable;
import org.tensorflow.Graph;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.proto.ConfigProto;

/**
 * Where the core opens its TensorFlow sessions and loads SavedModels, so that a caller can give
 * them a {@link ConfigProto} for the duration of a call ({@link #withConfig}): a Spark task pins
 * TensorFlow to the GPUs Spark assigned it ({@code gpu_options.visible_device_list}) this way,
 * since {@code CUDA_VISIBLE_DEVICES} cannot change once a JVM has started. The config holds for the
 * calling thread and the threads it starts; with none set (the CLI) a session is TensorFlow's default.
 * TensorFlow fixes its GPU mapping once per process: every config given in one JVM must name the
 * same visible devices.
 */
public final class TfSessions {
  private static final InheritableThreadLocal<ConfigProto> CONFIG = new InheritableThreadLocal<>();

  private TfSessions() {}

  /** The config in force for this thread, or null for TensorFlow's default. */
  public static ConfigProto config() {
    return CONFIG.get();
  }

  /** Runs {@code body} with {@code config} (null: the default) for every session it opens; the previous one after. */
  public static <T> T withConfig(ConfigProto config, Callable<T> body) throws Exception {
    ConfigProto previous = CONFIG.get();
    CONFIG.set(config);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        CONFIG.remove();
      } else {
        CONFIG.set(previous);
      }
    }
  }

  /** A session on {@code graph} with the config in force. */
  public static Session open(Graph graph) {
    ConfigProto config = CONFIG.get();
    return config == null ? new Session(graph) : new Session(graph, config);
  }

  /** Loads the SavedModel in {@code dir} with {@code tags}, its session with the config in force. */
  public static SavedModelBundle load(String dir, String... tags) {
    ConfigProto config = CONFIG.get();
    return config == null ? SavedModelBundle.load(dir, tags)
        : SavedModelBundle.loader(dir).withTags(tags).withConfigProto(config).load();
  }
}
