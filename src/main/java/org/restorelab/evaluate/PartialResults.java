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
import java.util.List;
import org.restorelab.config.ConfigException;
import org.restorelab.metric.FeatureFile;
import org.restorelab.run.AtomicFiles;

/**
 * What an image evaluation of one model has finished so far, kept on disk so an interrupted
 * evaluation resumes where it stopped and loses no finished batch: the per-input metrics of the
 * first {@code perInputDone} inputs and the features of the first {@code generatedDone} outputs.
 * The features file only grows (little-endian float32 rows); the JSON, written atomically after
 * the features are synced, commits how many rows count.
 *
 * <p>A shard of a sharded evaluation ({@code restorelab-spark evaluate-images}) keeps the inputs
 * {@code [perInputFrom, perInputs)} and outputs {@code [generatedFrom, generated)} only, in the same
 * format with {@code per_input_from} and {@code generated_from} in the JSON (absent: 0); the arrays
 * and the features file then start at those indices. {@link #merge} joins the shards of a model
 * into the one file a whole evaluation writes.
 */
final class PartialResults {
  final double[] pixelStd;
  final double[] robustness;
  final double[] aiPsnr;
  final double[] consistency;
  /** PSNR against the ground truth (image_evaluation.psnr). */
  final double[] psnr;
  /** The first input (absolute index) this partial holds; 0 but for a shard. */
  final int perInputFrom;
  /** The first generated output (absolute index) this partial holds; 0 but for a shard. */
  final int generatedFrom;
  /** Absolute: the inputs [perInputFrom, perInputDone) are finished. */
  int perInputDone;
  /** Rows [0, generatedDone - generatedFrom) of the features of outputs generatedFrom.. */
  float[] features;
  int featureDim;
  /** Absolute: the outputs [generatedFrom, generatedDone) have their features. */
  int generatedDone;
  /** Wall time spent on this model so far, over every run that worked on it. */
  double seconds;
  private long mark = System.nanoTime();
  private final int generatedStorage;
  /** Absolute: the outputs [generatedFrom, savedRows) are in the features file. */
  private int savedRows;

  PartialResults(int perInputs, int generated) {
    this(0, perInputs, 0, generated);
  }

  /** The inputs [perInputFrom, perInputTo) and outputs [generatedFrom, generatedTo), nothing done. */
  PartialResults(int perInputFrom, int perInputTo, int generatedFrom, int generatedTo) {
    int perInputs = perInputTo - perInputFrom;
    this.perInputFrom = perInputFrom;
    this.generatedFrom = generatedFrom;
    pixelStd = new double[perInputs];
    robustness = new double[perInputs];
    aiPsnr = new double[perInputs];
    consistency = new double[perInputs];
    psnr = new double[perInputs];
    features = new float[0];
    generatedStorage = generatedTo - generatedFrom;
    perInputDone = perInputFrom;
    generatedDone = generatedFrom;
    savedRows = generatedFrom;
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
        long rows = savedRows - generatedFrom;
        ch.truncate(rows * featureDim * Float.BYTES);
        ByteBuffer buf = ByteBuffer.allocate((generatedDone - savedRows) * featureDim * Float.BYTES)
            .order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(features, (int) rows * featureDim, (generatedDone - savedRows) * featureDim);
        ch.position(rows * featureDim * Float.BYTES);
        while (buf.hasRemaining()) {
          ch.write(buf);
        }
        ch.force(true);
      }
      savedRows = generatedDone;
    }
    JsonObject o = new JsonObject();
    o.addProperty("schema", "restorelab.partial-image-evaluation/1");
    if (perInputFrom != 0 || generatedFrom != 0) { // a shard
      o.addProperty("per_input_from", perInputFrom);
      o.addProperty("generated_from", generatedFrom);
    }
    o.addProperty("per_input_done", perInputDone);
    o.addProperty("generated_done", generatedDone);
    o.addProperty("feature_dim", featureDim);
    o.addProperty("seconds", seconds);
    Gson gson = new Gson();
    o.add("pixel_std", gson.toJsonTree(java.util.Arrays.copyOf(pixelStd, perInputDone - perInputFrom)));
    o.add("robustness", gson.toJsonTree(java.util.Arrays.copyOf(robustness, perInputDone - perInputFrom)));
    o.add("ai_psnr", gson.toJsonTree(java.util.Arrays.copyOf(aiPsnr, perInputDone - perInputFrom)));
    o.add("consistency", gson.toJsonTree(java.util.Arrays.copyOf(consistency, perInputDone - perInputFrom)));
    o.add("psnr", gson.toJsonTree(java.util.Arrays.copyOf(psnr, perInputDone - perInputFrom)));
    AtomicFiles.writeString(json(dir, key), o.toString());
  }

  /** The saved progress of {@code key} in {@code dir}, or a fresh one. */
  static PartialResults load(Path dir, String key, int perInputs, int generated) {
    return load(dir, key, 0, perInputs, 0, generated);
  }

  /**
   * The saved progress of {@code key} in {@code dir} over the inputs [perInputFrom, perInputTo)
   * and outputs [generatedFrom, generatedTo) (a shard's; the whole evaluation's from 0), or a
   * fresh one; a file of another range is refused.
   */
  static PartialResults load(Path dir, String key, int perInputFrom, int perInputTo, int generatedFrom,
      int generatedTo) {
    PartialResults p = new PartialResults(perInputFrom, perInputTo, generatedFrom, generatedTo);
    Path file = json(dir, key);
    if (!Files.exists(file)) {
      return p;
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      int savedPerFrom = o.has("per_input_from") ? o.get("per_input_from").getAsInt() : 0;
      int savedGenFrom = o.has("generated_from") ? o.get("generated_from").getAsInt() : 0;
      if (savedPerFrom != perInputFrom || savedGenFrom != generatedFrom) {
        throw new IOException("it starts at input " + savedPerFrom + " and output " + savedGenFrom + ", expected "
            + perInputFrom + " and " + generatedFrom);
      }
      // a file from before the PSNR was measured: its per-input metrics are measured again
      p.perInputDone = o.has("psnr") ? Math.max(perInputFrom, Math.min(o.get("per_input_done").getAsInt(),
          perInputTo)) : perInputFrom;
      p.seconds = o.has("seconds") ? o.get("seconds").getAsDouble() : 0;
      int kept = p.perInputDone - perInputFrom;
      copy(o, "pixel_std", p.pixelStd, kept);
      copy(o, "robustness", p.robustness, kept);
      copy(o, "ai_psnr", p.aiPsnr, kept);
      copy(o, "consistency", p.consistency, kept);
      copy(o, "psnr", p.psnr, kept);
      int dim = o.get("feature_dim").getAsInt();
      int done = Math.min(o.get("generated_done").getAsInt(), generatedTo);
      int rows = done - generatedFrom;
      if (dim > 0 && rows > 0) {
        p.ensureFeatures(dim);
        FeatureFile.readInto(featureFile(dir, key), p.features, rows * dim);
        p.generatedDone = done;
        p.savedRows = done;
      }
      return p;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot resume from " + file + " (or its features file): " + e.getMessage()
          + "; delete it to start this model's evaluation again", e);
    }
  }

  /**
   * Joins the finished shards of one model into the partial a whole evaluation of the inputs
   * [0, perInputs) and outputs [0, generated) writes ({@code <into>/<key>.json} and its features
   * file), which the evaluation then resumes from with nothing left to do. {@code shards} are the
   * shards' folders in order, {@code ranges} their [perInputFrom, perInputTo, generatedFrom,
   * generatedTo); they must be finished and cover both ranges in order. Seconds add up.
   */
  static void merge(List<Path> shards, List<int[]> ranges, String key, int perInputs, int generated, Path into)
      throws IOException {
    PartialResults all = new PartialResults(perInputs, generated);
    int perAt = 0;
    int genAt = 0;
    for (int s = 0; s < shards.size(); s++) {
      int[] r = ranges.get(s);
      if (r[0] != perAt || r[2] != genAt) {
        throw new IllegalArgumentException("shard " + s + " starts at input " + r[0] + " and output " + r[2]
            + ", expected " + perAt + " and " + genAt);
      }
      PartialResults p = load(shards.get(s), key, r[0], r[1], r[2], r[3]);
      if (p.perInputDone != r[1] || p.generatedDone != r[3]) {
        throw new ConfigException("shard " + s + " of " + key + " in " + shards.get(s) + " is not finished: inputs "
            + p.perInputDone + " of " + r[1] + ", outputs " + p.generatedDone + " of " + r[3]);
      }
      int n = r[1] - r[0];
      System.arraycopy(p.pixelStd, 0, all.pixelStd, r[0], n);
      System.arraycopy(p.robustness, 0, all.robustness, r[0], n);
      System.arraycopy(p.aiPsnr, 0, all.aiPsnr, r[0], n);
      System.arraycopy(p.consistency, 0, all.consistency, r[0], n);
      System.arraycopy(p.psnr, 0, all.psnr, r[0], n);
      if (p.featureDim > 0) {
        all.ensureFeatures(p.featureDim);
        System.arraycopy(p.features, 0, all.features, r[2] * p.featureDim, (r[3] - r[2]) * p.featureDim);
      }
      all.seconds += p.seconds;
      perAt = r[1];
      genAt = r[3];
    }
    if (perAt != perInputs || genAt != generated) {
      throw new IllegalArgumentException("the shards end at input " + perAt + " and output " + genAt + ", expected "
          + perInputs + " and " + generated);
    }
    all.perInputDone = perInputs;
    all.generatedDone = generated;
    all.mark = System.nanoTime(); // the merged record keeps the shards' sum of seconds
    all.save(into, key);
  }

  private static void copy(JsonObject o, String field, double[] into, int n) {
    var a = o.getAsJsonArray(field);
    for (int i = 0; i < n; i++) {
      into[i] = a.get(i).getAsDouble();
    }
  }
}
