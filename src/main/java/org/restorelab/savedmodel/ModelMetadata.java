package org.restorelab.savedmodel;

import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.restorelab.config.ConfigException;
import org.restorelab.run.AtomicFiles;

/**
 * The metadata record RestoreLab writes inside an exported SavedModel folder,
 * {@code assets.extra/restorelab.json}: a pretty-printed JSON object whose {@code format} field
 * names its layout ({@link #TOY_ESTIMATOR}, {@link #IMAGE_ESTIMATOR}, {@link #FEATURE_EXTRACTOR}).
 * Writer and reader of the file; a model without one (anyone else's) is read as null.
 */
public final class ModelMetadata {
  /** The file, relative to the SavedModel folder. */
  public static final String FILE = "assets.extra/restorelab.json";
  /** A toy (y, z) -> x_hat estimator: noise_distribution, noise_dim, measurement_columns. */
  public static final String TOY_ESTIMATOR = "restorelab.toy-estimator/1";
  /** An image (y, z) -> x_hat estimator: task, noise_distribution, noise_dim. */
  public static final String IMAGE_ESTIMATOR = "restorelab.image-estimator/1";
  /** A feature extractor: input_size, feature_dim, logits_dim, factors. */
  public static final String FEATURE_EXTRACTOR = "restorelab.feature-extractor/1";

  private ModelMetadata() {}

  /** Writes {@code metadata} into the SavedModel folder {@code dir}, atomically. */
  public static void write(Path dir, JsonObject metadata) throws IOException {
    AtomicFiles.writeString(dir.resolve(FILE), new GsonBuilder().setPrettyPrinting().create().toJson(metadata) + "\n");
  }

  /** The SavedModel's metadata, or null when it has none; an unreadable file is an error naming the folder. */
  public static JsonObject read(Path dir) {
    Path file = dir.resolve(FILE);
    if (!Files.exists(file)) {
      return null;
    }
    try {
      return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("SavedModel " + dir + ": unreadable " + FILE + ": " + e.getMessage());
    }
  }
}
