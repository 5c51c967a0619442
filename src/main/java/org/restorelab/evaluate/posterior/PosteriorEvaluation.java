package org.restorelab.evaluate.posterior;

import com.google.gson.Gson;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.restorelab.config.ConfigException;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.evaluate.ImageEstimator;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.MeasurementGraph;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.Seeds;
import org.restorelab.metric.PosteriorMetrics;

/**
 * The posterior metrics of one estimator ({@link PosteriorMetrics}): for each of the first M
 * validation inputs, N samples G(y, z) (a deterministic estimator's one output, counted N
 * times), their hidden factors read by the factor classifier. Streamed in batches of inputs; the
 * codes of finished batches are kept in {@code partial/<key>.posterior.json}, so an interrupted
 * run resumes with the numbers of an uninterrupted one (z of batch b comes from the stream
 * {@code <stream>/batch-b} alone).
 */
public final class PosteriorEvaluation {
  /** The metrics and the classified codes [M][N][F] they came from (for the charts). */
  public record Outcome(PosteriorMetrics.Result metrics, int[][][] codes) {}

  private final KnownPosterior posterior;
  private final HiddenFactorClassifier classifier;
  private final ImageSet validation;
  private final MeasurementGraph measurements;
  private final int inputs;
  private final int samples;
  private final int batch;
  private final int saveEvery;
  private final long seed;

  /**
   * @param validation the inputs' images; procedural faces must fix the factors {@code posterior}
   *     was built for ({@link KnownPosterior#requireDataOf})
   * @param inputs M (capped by the validation split)
   * @param samples N
   */
  public PosteriorEvaluation(KnownPosterior posterior, HiddenFactorClassifier classifier, ImageSet validation,
      MeasurementGraph measurements, int inputs, int samples, int batch, int saveEvery, long seed) {
    if (validation instanceof ProceduralFaces faces) {
      posterior.requireDataOf(faces, "the posterior metrics' validation faces");
    }
    this.posterior = posterior;
    this.classifier = classifier;
    this.validation = validation;
    this.measurements = measurements;
    this.inputs = Math.min(inputs, validation.size());
    this.samples = samples;
    this.batch = batch;
    this.saveEvery = saveEvery;
    this.seed = seed;
  }

  /**
   * Evaluates {@code model} with z from the stream {@code stream}, resuming from {@code partial};
   * null when {@code stop} asked to stop (progress saved).
   */
  public Outcome evaluate(ImageEstimator model, String stream, Path partial, String key, BooleanSupplier stop)
      throws IOException {
    int[][][] codes = new int[inputs][][];
    if (!fill(model, stream, partial, key, stop, codes, 0)) {
      return null;
    }
    return new Outcome(PosteriorMetrics.of(codes, posterior.cardinalities()), codes);
  }

  /**
   * A shard of {@link #evaluate}: the codes of inputs [from, to) ({@code from} a multiple of
   * batch_size, so the z streams are those of the whole evaluation) into
   * {@code <partial>/<key>.posterior.json} with {@code "from"}; false when stopped.
   */
  public boolean evaluateShard(ImageEstimator model, String stream, Path partial, String key, BooleanSupplier stop,
      int from, int to) throws IOException {
    return fill(model, stream, partial, key, stop, new int[to][][], from);
  }

  /**
   * Joins the finished shards of {@code key} (folders in order, their [from, to) covering
   * [0, inputs) in order) into the file a whole evaluation resumes from, in {@code into}.
   */
  public static void mergeShards(List<Path> shards, List<int[]> ranges, String key, int inputs, Path into)
      throws IOException {
    int[][][] codes = new int[inputs][][];
    int at = 0;
    for (int s = 0; s < shards.size(); s++) {
      int[] r = ranges.get(s);
      Path file = shards.get(s).resolve(key + ".posterior.json");
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      int from = o.has("from") ? o.get("from").getAsInt() : 0;
      int done = o.get("done").getAsInt();
      if (from != at || r[0] != at || done != r[1]) {
        throw new ConfigException(file + " holds inputs [" + from + ", " + done + "), expected [" + at + ", " + r[1]
            + ")");
      }
      int[][][] saved = new Gson().fromJson(o.get("codes"), int[][][].class);
      System.arraycopy(saved, 0, codes, from, done - from);
      at = done;
    }
    if (at != inputs) {
      throw new IllegalArgumentException("the shards end at input " + at + ", expected " + inputs);
    }
    save(into.resolve(key + ".posterior.json"), codes, 0, inputs);
  }

  /** Runs the unfinished batches of [from, codes.length); false when stopped (progress saved). */
  private boolean fill(ImageEstimator model, String stream, Path partial, String key, BooleanSupplier stop,
      int[][][] codes, int from) throws IOException {
    int factors = posterior.cardinalities().length;
    int inputs = codes.length;
    Path file = partial.resolve(key + ".posterior.json");
    int done = load(file, codes, factors, from);
    int sinceSave = 0;
    while (done < inputs) {
      if (stop.getAsBoolean()) {
        save(file, codes, from, done);
        return false;
      }
      int n = Math.min(batch, inputs - done);
      float[] y = measurements.degrade(ImageEvaluation.read(validation, done, n), n);
      SplittableRandom random = Seeds.random(seed, stream + "/batch-" + done / batch);
      int draws = model.stochastic() ? samples : 1;
      for (int i = 0; i < n; i++) {
        codes[done + i] = new int[samples][];
      }
      for (int s = 0; s < draws; s++) {
        float[] x = model.sample(done, y, model.drawZ(n, random), n).images();
        int[][] c = classifier.classify(x, n, validation.height(), validation.width());
        for (int i = 0; i < n; i++) {
          codes[done + i][s] = c[i];
        }
      }
      for (int i = 0; i < n; i++) { // one output per input: the same codes N times
        for (int s = draws; s < samples; s++) {
          codes[done + i][s] = codes[done + i][0];
        }
      }
      done += n;
      if (++sinceSave >= saveEvery) {
        save(file, codes, from, done);
        sinceSave = 0;
      }
    }
    save(file, codes, from, done);
    return true;
  }

  public int inputs() {
    return inputs;
  }

  public int samples() {
    return samples;
  }

  /** Saves codes [from, done); a shard's file says its {@code from} (absent: 0). */
  private static void save(Path file, int[][][] codes, int from, int done) throws IOException {
    Files.createDirectories(file.getParent());
    JsonObject o = new JsonObject();
    o.addProperty("schema", "restorelab.partial-posterior/1");
    if (from != 0) {
      o.addProperty("from", from);
    }
    o.addProperty("done", done);
    o.add("codes", new Gson().toJsonTree(java.util.Arrays.copyOfRange(codes, from, done)));
    AtomicFiles.writeString(file, o.toString());
  }

  /** Fills codes[from .. done) from {@code file} when it exists (a file of another from is refused); returns done. */
  private int load(Path file, int[][][] codes, int factors, int from) {
    if (!Files.exists(file)) {
      return from;
    }
    try {
      JsonObject o = JsonParser.parseString(Files.readString(file)).getAsJsonObject();
      int savedFrom = o.has("from") ? o.get("from").getAsInt() : 0;
      if (savedFrom != from) {
        throw new IOException("it starts at input " + savedFrom + ", expected " + from);
      }
      int[][][] saved = new Gson().fromJson(o.get("codes"), int[][][].class);
      int done = Math.max(from, Math.min(o.get("done").getAsInt(), codes.length));
      for (int i = from; i < done; i++) {
        int[][] c = saved[i - from];
        if (c.length != samples || c[0].length != factors) {
          throw new IOException("input " + i + " has " + c.length + " samples of " + c[0].length
              + " factors, the config asks " + samples + " of " + factors);
        }
        codes[i] = c;
      }
      return done;
    } catch (IOException | RuntimeException e) {
      throw new ConfigException("cannot resume from " + file + ": " + e.getMessage()
          + "; delete it to start this model's posterior metrics again", e);
    }
  }
}
