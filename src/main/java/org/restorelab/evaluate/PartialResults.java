package org.restorelab.evaluate;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.nio.file.Files;
import java.nio.file.Path;
import org.restorelab.config.ConfigException;
import org.restorelab.run.AtomicFiles;

/**
 * What an image evaluation of one model has finished so far, kept on disk so an interrupted
 * evaluation resumes where it stopped and loses no finished batch: the per-input metrics of the
 * first {@code perInputDone} inputs and the features of the first {@code generatedDone} outputs.
 * The features file only grows (little-endian float32 rows); the JSON, written atomically after
 * the features are synced, commits how many rows count.
 */
final class PartialResults {
  final double[] pixelStd;
  final double[] robustness;
  final double[] aiPsnr;
  final double[] consistency;
  /** PSNR against the ground truth (image_evaluation.psnr). */
  final double[] psnr;
  int perInputDone;
  float[] features;
  int featureDim;
  int generatedDone;
  /** Wall time spent on this model so far, over every run that worked on it. */
  double seconds;
  private long mark = System.nanoTime();
  private final int generatedStorage;
  /** Feature rows already in the features file. */
  private int savedRows;

  PartialResults(int perInputs, int generated) {
    pixelStd = new double[perInputs];
    robustness = new double[perInputs];
    aiPsnr = new double[perInputs];
    consistency = new double[perInputs];
    psnr = new double[perInputs];
    features = new float[0];
    generatedStorage = generated;
  }

  /** Room for the features of every generated output, once their dimension is known. */
  void ensureFeatures(int dim) {
    if (featureDim == 0) {
      featureDim = dim;
      features = new float[generatedStorage * dim];
    } else if (featureDim != dim) {
      throw new IllegalStateException("features changed dimension from " + featureDim + " to " + dim);
    }
  }

  static Path json(Path dir, String key) {
    return dir.resolve(key + ".json");
  }

  static Path featureFile(Path dir, String key) {
    return dir.resolve(key + ".features.f32");
  }

  /**
   * Commits the progress: appends the features not yet on disk to the features file (which only
   * grows, so saving is linear in the work done), syncs it, then atomically rewrites the JSON that
   * says how many rows count. Rows beyond that count (an append cut short) are dropped on load.
   */
  void save(Path dir, String key) throws IOException {
    long now = System.nanoTime();
    seconds += (now - mark) / 1e9;
    mark = now;
    if (featureDim > 0 && generatedDone > savedRows) {
      Files.createDirectories(dir);
      try (FileChannel ch = FileChannel.open(featureFile(dir, key), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
        ch.truncate((long) savedRows * featureDim * Float.BYTES);
        ByteBuffer buf = ByteBuffer.allocate((generatedDone - savedRows) * featureDim * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(features, savedRows * featureDim, (generatedDone - savedRows) * featureDim);
        ch.position((long) savedRows * featureDim * Float.BYTES);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      savedRows = generatedDone;
    }
    JsonObject o = new JsonObject();
    o.addProperty("schema", "restorelab.partial-image-evaluation/1");
    o.addProperty("per_input_done", perInputDone);
    o.addProperty("generated_done", generatedDone);
    o.addProperty("feature_dim", featureDim);
    o.addProperty("seconds", seconds);
    Gson gson = new Gson();
    o.add("pixel_std", gson.toJsonTree(java.util.Arrays.copyOf(pixelStd, perInputDone)));
    o.add("robustness", gson.toJsonTree(java.util.Arrays.copyOf(robustness, perInputDone)));
    o.add("ai_psnr", gson.toJsonTree(java.util.Arrays.copyOf(aiPsnr, perInputDone)));
    o.add("consistency", gson.toJsonTree(java.util.Arrays.copyOf(consistency, perInputDone)));
    o.add("psnr", gson.toJsonTree(java.util.Arrays.copyOf(psnr, perInputDone)));
    AtomicFiles.writeString(json(dir, key), o.toString());
  }

  /** The saved progress of {@code key} in {@code dir}, or a fresh one. */
  static PartialResults load(Path dir, String key, int perInputs, int generated) {
    PartialResults p = new PartialResults(perInputs, generated);
    Path file = json(dir, key);
    if (!Files.exists(file)) {
      return p;
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      // a file from before the PSNR was measured: its per-input metrics are measured again
      p.perInputDone = o.has("psnr") ? Math.min(o.get("per_input_done").getAsInt(), perInputs) : 0;
      p.seconds = o.has("seconds") ? o.get("seconds").getAsDouble() : 0;
      copy(o, "pixel_std", p.pixelStd, p.perInputDone);
      copy(o, "robustness", p.robustness, p.perInputDone);
      copy(o, "ai_psnr", p.aiPsnr, p.perInputDone);
      copy(o, "consistency", p.consistency, p.perInputDone);
      copy(o, "psnr", p.psnr, p.perInputDone);
      int dim = o.get("feature_dim").getAsInt();
      int done = Math.min(o.get("generated_done").getAsInt(), generated);
      if (dim > 0 && done > 0) {
        p.ensureFeatures(dim);
        try (FileChannel ch = FileChannel.open(featureFile(dir, key), StandardOpenOption.READ)) {
          ByteBuffer buf = ByteBuffer.allocate(done * dim * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
          while (buf.hasRemaining()) {
            if (ch.read(buf) < 0) {
              throw new IOException("features file ends before row " + done);
            }
          }
          buf.flip();
          buf.asFloatBuffer().get(p.features, 0, done * dim);
        }
        p.generatedDone = done;
        p.savedRows = done;
      }
      return p;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot resume from " + file + " (or its features file): " + e.getMessage()
          + "; delete it to start this model's evaluation again", e);
    }
  }

  private static void copy(JsonObject o, String field, double[] into, int n) {
    var a = o.getAsJsonArray(field);
    for (int i = 0; i < n; i++) {
      into[i] = a.get(i).getAsDouble();
    }
  }
}
