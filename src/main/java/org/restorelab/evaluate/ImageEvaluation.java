package org.restorelab.evaluate;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.function.BooleanSupplier;
import org.restorelab.attack.AdamAscent;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.PsnrConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.data.image.ImageSet;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.metric.Features;
import org.restorelab.metric.FrechetDistance;
import org.restorelab.metric.GaussianStatistics;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.metric.PrecisionRecallEngine;
import org.restorelab.metric.Psnr;
import org.restorelab.metric.Robustness;
import org.restorelab.run.Seeds;
import org.restorelab.render.ProgressLine;
import org.restorelab.task.SuperResolution;

/**
 * The image metrics of Section 6.1.1 (Table 1, Figure 4) for one loaded estimator, streamed over
 * the validation set in batches, with finished batches kept on disk ({@link PartialResults}):
 * <ul>
 *   <li>per-pixel standard deviation over {@code std_samples} outputs per input (unbiased,
 *       n - 1, as torch.std), averaged over pixels and inputs;
 *   <li>robustness, Eq. 9 ({@link Robustness}): E[PSNR(G(y, z), G(y + delta*, z))], delta* from the attack of Eq. 6
 *       run around the loaded graph (Adam steps, L2 ball of radius epsilon, the same z draws on
 *       both sides), averaged over the attack's z draws and the inputs;
 *   <li>AI-PSNR = PSNR(y + delta*, y), per input, averaged;
 *   <li>PSNR(x_hat, x) against the ground truth under image_evaluation.psnr ({@link #psnrConfig}),
 *       on the first z draw, per input, averaged;
 *   <li>consistency = PSNR(D(x_hat), y) with the task's D (per input, averaged; the mean squared
 *       error is floored at {@link #MSE_FLOOR}, so an exactly consistent model scores 100 dB);
 *   <li>FID and precision/recall (k from the config) of the outputs on validation inputs (one z
 *       each) against real training images, in the extractor's feature space.
 * </ul>
 * Random streams are derived from the seed and the batch index only, so a resumed evaluation
 * gives the numbers of an uninterrupted one, and every model sees the same z draws.
 */
public final class ImageEvaluation {
  /** PSNRs use peak 1 (images in [0, 1]) and this floor on the mean squared error (100 dB). */
  public static final double MSE_FLOOR = Psnr.MSE_FLOOR;

  /**
   * The numbers of one model; {@code seconds} is its wall time over every run that worked on it.
   * {@code reference} marks a reference that is not a network (the exact posterior sampler): its
   * robustness and AI-PSNR are NaN, as it does not read the pixels of y. {@code posterior} holds
   * the posterior metrics, null without image_evaluation.posterior.
   */
  public record Result(String name, boolean stochastic, boolean reference, double fid, double precision,
      double recall, double pixelStd, double robustness, double aiPsnr, double consistency, int perInputs,
      int generated, double seconds, PosteriorMetrics.Result posterior, double psnr) {
    /** This result with the posterior metrics {@code p}. */
    public Result withPosterior(PosteriorMetrics.Result p) {
      return new Result(name, stochastic, reference, fid, precision, recall, pixelStd, robustness, aiPsnr,
          consistency, perInputs, generated, seconds, p, psnr);
    }
  }

  /**
   * An any-size model's per-input metrics at the images' own sizes ({@link OwnSizes}): the model's
   * config (loaded again at each size), the validation folder read whole, its first images grouped
   * by size, and the super-resolution scale.
   */
  public record AtOwnSizes(SavedModelConfig model, ImageFolderSet folder, List<OwnSizes.Group> groups, int scale) {}

  private final ImageEvaluationConfig config;
  private final long seed;
  private final ImageSet validation;
  private final MeasurementGraph measurements;
  private final PrintWriter log;
  private final Psnr psnr;

  public ImageEvaluation(ImageEvaluationConfig config, long seed, ImageSet validation, MeasurementGraph measurements,
      PrintWriter log) {
    this.config = config;
    this.seed = seed;
    this.validation = validation;
    this.measurements = measurements;
    this.log = log;
    this.psnr = new Psnr(psnrConfig(config));
  }

  /**
   * image_evaluation.psnr, or where unset: super-resolution's convention (Y, peak 255, shave = the
   * scale, as ifgsm's output_psnr), inpainting's (RGB, peak 255, no shave).
   */
  public static PsnrConfig psnrConfig(ImageEvaluationConfig c) {
    if (c.hasPsnr()) {
      return c.getPsnr();
    }
    return c.getTask().hasSuperResolution()
        ? PsnrConfig.newBuilder().setShave(c.getTask().getSuperResolution().getScale()).build()
        : PsnrConfig.newBuilder().setChannel(PsnrConfig.Channel.RGB).setShave(0).build();
  }

  /**
   * Evaluates {@code model}, resuming from {@code partialDir}; returns null when {@code stop} asked
   * to stop (progress saved).
   */
  public Result evaluate(ImageEstimator model, FeatureExtractor extractor, Features real, Path partialDir,
      String key, BooleanSupplier stop) throws IOException {
    return evaluate(model, extractor, real, partialDir, key, stop, null);
  }

  /**
   * {@link #evaluate(ImageEstimator, FeatureExtractor, Features, Path, String, BooleanSupplier)};
   * with {@code own} (not null) the per-input metrics are measured at the images' own sizes, one
   * image at a time in the order of {@code own.groups()}, image {@code f}'s streams named
   * {@code evaluate/<kind>/file/<f>}; FID and precision/recall stay on the validation set of this
   * evaluation (the centre crops) with {@code model}.
   */
  public Result evaluate(ImageEstimator model, FeatureExtractor extractor, Features real, Path partialDir,
      String key, BooleanSupplier stop, AtOwnSizes own) throws IOException {
    int perInputs = perInputs(own);
    int generated = generated();
    PartialResults p = PartialResults.load(partialDir, key, perInputs, generated);
    if (!fill(model, extractor, p, perInputs, generated, partialDir, key, stop, own)) {
      return null;
    }
    long finalSave = System.nanoTime();
    Features fake = new Features(p.features, generated, p.featureDim);
    double fid = FrechetDistance.compute(GaussianStatistics.of(real), GaussianStatistics.of(fake)).distance();
    PrecisionRecall.Result pr = PrecisionRecallEngine.current().compute(config.getPrecisionRecall(), real, fake);
    return new Result(model.name(), model.stochastic(), !model.readsPixels(), fid, pr.precision(), pr.recall(),
        mean(p.pixelStd), model.readsPixels() ? mean(p.robustness) : Double.NaN,
        model.readsPixels() ? mean(p.aiPsnr) : Double.NaN, mean(p.consistency), perInputs, generated,
        p.seconds + (System.nanoTime() - finalSave) / 1e9, null, mean(p.psnr));
  }

  /** The inputs the per-input metrics cover: the own-size images of {@code own}, else per_input_inputs. */
  public int perInputs(AtOwnSizes own) {
    return own != null ? OwnSizes.count(own.groups()) : Math.min(config.getPerInputInputs(), validation.size());
  }

  /** The outputs FID and precision/recall cover (one per validation input). */
  public int generated() {
    return Math.min(config.getGeneratedSamples(), validation.size());
  }

  /**
   * A shard of {@link #evaluate}: the per-input metrics of inputs [perInputFrom, perInputTo) and
   * the features of outputs [generatedFrom, generatedTo), into {@code partialDir} in the resumable
   * partial format (resuming a shard left unfinished there); false when {@code stop} asked to stop.
   * With the ranges starting at multiples of batch_size (of 1 for the per-input metrics at own
   * sizes) every number is the one the whole evaluation computes: the random streams are named by
   * batch. {@link #mergeShards} joins the shards for {@link #evaluate} to resume from.
   */
  public boolean evaluateShard(ImageEstimator model, FeatureExtractor extractor, Path partialDir, String key,
      BooleanSupplier stop, AtOwnSizes own, int perInputFrom, int perInputTo, int generatedFrom, int generatedTo)
      throws IOException {
    PartialResults p = PartialResults.load(partialDir, key, perInputFrom, perInputTo, generatedFrom, generatedTo);
    return fill(model, extractor, p, perInputTo, generatedTo, partialDir, key, stop, own);
  }

  /**
   * Joins the shards of {@code key} ({@code shards}: their folders in order; {@code ranges}: their
   * [perInputFrom, perInputTo, generatedFrom, generatedTo), covering [0, perInputs) and
   * [0, generated) in order) into the partial of a whole evaluation in {@code into}.
   */
  public static void mergeShards(List<Path> shards, List<int[]> ranges, String key, int perInputs, int generated,
      Path into) throws IOException {
    PartialResults.merge(shards, ranges, key, perInputs, generated, into);
  }

  /** Runs p's unfinished batches up to perInputs and generated; false when stopped (progress saved). */
  private boolean fill(ImageEstimator model, FeatureExtractor extractor, PartialResults p, int perInputs,
      int generated, Path partialDir, String key, BooleanSupplier stop, AtOwnSizes own) throws IOException {
    int batch = config.getBatchSize();
    int perInputBatch = own != null ? 1 : batch; // at own sizes: one image at a time
    int totalBatches = ceil(perInputs - p.perInputFrom, perInputBatch) + ceil(generated - p.generatedFrom, batch);
    int doneBatches = ceil(p.perInputDone - p.perInputFrom, perInputBatch)
        + ceil(p.generatedDone - p.generatedFrom, batch);
    int[] sinceSave = {0};
    long t0 = System.nanoTime();
    int firstBatch = doneBatches;
    if (own != null) {
      int position = 0;
      for (OwnSizes.Group g : own.groups()) {
        int end = position + g.entries().size();
        if (end <= p.perInputDone || position >= perInputs) { // done, or beyond this shard
          position = end;
          continue;
        }
        SuperResolution task = new SuperResolution(g.height(), g.width(), own.scale());
        try (MeasurementGraph sized = new MeasurementGraph(task);
            LoadedEstimator loaded = LoadedEstimator.load(own.model(), task)) {
          for (OwnSizes.Entry e : g.entries()) {
            if (position >= perInputs) {
              break;
            }
            if (position++ < p.perInputDone) {
              continue;
            }
            if (stop.getAsBoolean()) {
              p.save(partialDir, key);
              log.println();
              return false;
            }
            float[] x = own.folder().readWhole(e.index()).hwc();
            checkShave(e, own.folder().describe(e.index()));
            perInput(loaded, e.index(), x, sized.degrade(x, 1), 1, g.height(), g.width(), "file/" + e.name(),
                p.perInputDone, p);
            p.perInputDone++;
            doneBatches++;
            saveNow(p, partialDir, key, sinceSave);
            progress(model, doneBatches, totalBatches, firstBatch, t0, p);
          }
        }
      }
    }
    while (p.perInputDone < perInputs) {
      if (stop.getAsBoolean()) {
        p.save(partialDir, key);
        log.println();
        return false;
      }
      int i0 = p.perInputDone;
      int n = Math.min(batch, perInputs - i0);
      float[] x = read(validation, i0, n);
      perInput(model, i0, x, measurements.degrade(x, n), n, validation.height(), validation.width(),
          "batch-" + i0 / batch, i0, p);
      p.perInputDone += n;
      doneBatches++;
      saveNow(p, partialDir, key, sinceSave);
      progress(model, doneBatches, totalBatches, firstBatch, t0, p);
    }
    int sinceSaveGenerated = sinceSave[0];
    while (p.generatedDone < generated) {
      if (stop.getAsBoolean()) {
        p.save(partialDir, key);
        log.println();
        return false;
      }
      int i0 = p.generatedDone;
      int n = Math.min(batch, generated - i0);
      float[] y = measurements.degrade(read(validation, i0, n), n);
      float[] z = drawZ(model, n, Seeds.random(seed, "evaluate/fid-z/batch-" + i0 / batch));
      Features f = extractor.extract(model.sample(i0, y, z, n).images(), n, validation.height(), validation.width());
      p.ensureFeatures(f.dim());
      System.arraycopy(f.data(), 0, p.features, (i0 - p.generatedFrom) * f.dim(), f.data().length);
      p.generatedDone += n;
      doneBatches++;
      if (++sinceSaveGenerated >= config.getSaveEvery()) {
        p.save(partialDir, key);
        sinceSaveGenerated = 0;
      }
      progress(model, doneBatches, totalBatches, firstBatch, t0, p);
    }
    p.save(partialDir, key);
    log.println();
    return true;
  }

  /** Saves after every save_every per-input units ({@code sinceSave[0]} counts them). */
  private void saveNow(PartialResults p, Path dir, String key, int[] sinceSave) throws IOException {
    if (++sinceSave[0] >= config.getSaveEvery()) {
      p.save(dir, key);
      sinceSave[0] = 0;
    }
  }

  /** An image at its own size must leave pixels after the PSNR's shave: else an error naming the file. */
  private void checkShave(OwnSizes.Entry e, String file) {
    int shave = psnrConfig(config).getShave();
    if (2 * shave >= Math.min(e.height(), e.width())) {
      throw new ConfigException(file + " is " + e.height() + "x" + e.width() + ": too small for"
          + " image_evaluation.psnr.shave = " + shave);
    }
  }

  private void progress(ImageEstimator model, int done, int total, int first, long t0, PartialResults p) {
    double rate = (done - first) / ((System.nanoTime() - t0) / 1e9);
    int kept = p.perInputDone - p.perInputFrom;
    double std = mean(Arrays.copyOf(p.pixelStd, kept));
    log.print("\r" + model.name() + " " + (model.readsPixels()
        ? ProgressLine.format(done, total, rate, List.of("std", "robustness", "ai_psnr"), new double[] {std,
            mean(Arrays.copyOf(p.robustness, kept)), mean(Arrays.copyOf(p.aiPsnr, kept))})
        : ProgressLine.format(done, total, rate, List.of("std"), new double[] {std})));
    log.flush();
  }

  /**
   * Per-pixel std, PSNR, consistency, robustness and AI-PSNR of n inputs: ground truth x [n, h, w,
   * 3] (validation inputs {@code first ..}), y = D(x), stored at {@code [at, at + n)} of {@code p};
   * the random streams are {@code evaluate/<std-z|attack-z|attack-start>/<streams>}.
   * {@code at} is absolute (p starts at p.perInputFrom).
   */
  private void perInput(ImageEstimator model, int first, float[] x, float[] y, int n, int h, int w, String streams,
      int atInput, PartialResults p) {
    int at = atInput - p.perInputFrom;
    int pixels = model.signalSize();
    int samples = config.getStdSamples();
    if (samples < 2) {
      throw new ConfigException("image_evaluation.std_samples must be >= 2, got " + samples);
    }
    double[] mean = new double[n * pixels];
    double[] m2 = new double[n * pixels];
    SplittableRandom stdZ = Seeds.random(seed, "evaluate/std-z/" + streams);
    for (int s = 0; s < samples; s++) {
      ImageEstimator.Outputs out = model.sample(first, y, drawZ(model, n, stdZ), n);
      for (int j = 0; j < n * pixels; j++) { // Welford
        double d = out.images()[j] - mean[j];
        mean[j] += d / (s + 1);
        m2[j] += d * (out.images()[j] - mean[j]);
      }
      if (s == 0) {
        for (int i = 0; i < n; i++) {
          p.consistency[at + i] = psnr(out.consistencyMse()[i]);
          p.psnr[at + i] = psnr.between(x, i * pixels, out.images(), i * pixels, h, w);
        }
      }
    }
    for (int i = 0; i < n; i++) {
      double sum = 0;
      for (int j = i * pixels; j < (i + 1) * pixels; j++) {
        sum += Math.sqrt(m2[j] / (samples - 1));
      }
      p.pixelStd[at + i] = sum / pixels;
    }
    if (model instanceof LoadedEstimator loaded && model.readsPixels()) {
      robustness(loaded, y, n, streams, at, p); // at: index into p's arrays
    } // else not defined (the output does not depend on y's pixels): NaN in the result
  }

  /** Eq. 9 and AI-PSNR for the n measurements y, with delta* from the attack of Eq. 6. */
  private void robustness(LoadedEstimator model, float[] y, int n, String streams, int i0, PartialResults p) {
    AttackConfig attack = config.getAttack();
    int s = model.stochastic() ? attack.getSeeds() : 1;
    int rows = n * s;
    int m = model.measurementSize();
    int pixels = model.signalSize();
    float[] yRep = new float[rows * m];
    for (int r = 0; r < rows; r++) {
      System.arraycopy(y, (r / s) * m, yRep, r * m, m);
    }
    float[] z = drawZ(model, rows, Seeds.random(seed, "evaluate/attack-z/" + streams));
    float[] clean = model.run(yRep, z, rows).images();
    SplittableRandom start = Seeds.random(seed, "evaluate/attack-start/" + streams);
    double[] delta0 = new double[n * m];
    for (int i = 0; i < delta0.length; i++) {
      delta0[i] = start.nextGaussian() * attack.getInitScale() * attack.getEpsilon();
    }
    AdamAscent.project(delta0, m, attack.getEpsilon());
    float[] yIn = new float[rows * m];
    float[] grad = new float[rows * m];
    double[] delta = AdamAscent.maximise((d, g) -> {
      shift(yRep, d, s, m, yIn);
      model.distanceAndGradient(yIn, z, clean, rows, grad);
      Arrays.fill(g, 0);
      for (int r = 0; r < rows; r++) { // the mean over the z draws of each input (Eq. 6)
        int base = (r / s) * m;
        for (int j = 0; j < m; j++) {
          g[base + j] += grad[r * m + j] / s;
        }
      }
    }, delta0, m, attack);
    shift(yRep, delta, s, m, yIn);
    float[] attacked = model.run(yIn, z, rows).images();
    for (int i = 0; i < n; i++) {
      p.robustness[i0 + i] = Robustness.attackedPsnr(clean, attacked, i, s, pixels);
      p.aiPsnr[i0 + i] = Robustness.aiPsnr(delta, i, m);
    }
  }

  /** The partial key of the real training images' features. */
  public static final String REAL_KEY = "real-images";

  /** The real training images' features, streamed and kept in {@code partial/real}. */
  public static Features realFeatures(FeatureExtractor extractor, ImageSet train, int n, int batch, Path partial,
      BooleanSupplier stop) throws IOException {
    PartialResults p = PartialResults.load(partial, REAL_KEY, 0, n);
    return realFeatures(extractor, train, p, n, batch, partial, stop) ? new Features(p.features, n, p.featureDim)
        : null;
  }

  /**
   * A shard of {@link #realFeatures}: the features of training images [from, to) ({@code from} a
   * multiple of {@code batch}) into {@code partial}; false when stopped (progress saved).
   */
  public static boolean realFeaturesShard(FeatureExtractor extractor, ImageSet train, int from, int to, int batch,
      Path partial, BooleanSupplier stop) throws IOException {
    PartialResults p = PartialResults.load(partial, REAL_KEY, 0, 0, from, to);
    return realFeatures(extractor, train, p, to, batch, partial, stop);
  }

  private static boolean realFeatures(FeatureExtractor extractor, ImageSet train, PartialResults p, int n, int batch,
      Path partial, BooleanSupplier stop) throws IOException {
    int sinceSave = 0;
    while (p.generatedDone < n) {
      if (stop.getAsBoolean()) {
        p.save(partial, REAL_KEY);
        return false;
      }
      int b = Math.min(batch, n - p.generatedDone);
      Features f = extractor.extract(read(train, p.generatedDone, b), b, train.height(), train.width());
      p.ensureFeatures(f.dim());
      System.arraycopy(f.data(), 0, p.features, (p.generatedDone - p.generatedFrom) * f.dim(), f.data().length);
      p.generatedDone += b;
      if (++sinceSave >= 16) {
        p.save(partial, REAL_KEY);
        sinceSave = 0;
      }
    }
    p.save(partial, REAL_KEY);
    return true;
  }

  /** Features of the first {@code n} images of {@code set}, in batches. */
  public static Features features(FeatureExtractor extractor, ImageSet set, int n, int batch) {
    float[] all = null;
    int dim = 0;
    for (int i0 = 0; i0 < n; i0 += batch) {
      int b = Math.min(batch, n - i0);
      Features f = extractor.extract(read(set, i0, b), b, set.height(), set.width());
      if (all == null) {
        dim = f.dim();
        all = new float[n * dim];
      }
      System.arraycopy(f.data(), 0, all, i0 * dim, f.data().length);
    }
    return new Features(all == null ? new float[0] : all, n, Math.max(dim, 1));
  }

  /** PSNR for peak 1 of a mean squared error (floored at {@link #MSE_FLOOR}). */
  public static double psnr(double mse) {
    return Psnr.peakOne(mse);
  }

  /** Images [from, from + n) of {@code set}, [n * h * w * 3]. */
  public static float[] read(ImageSet set, int from, int n) {
    float[] images = new float[n * set.pixels()];
    for (int i = 0; i < n; i++) {
      set.read(from + i, images, i * set.pixels());
    }
    return images;
  }

  public static float[] drawZ(ImageEstimator model, int rows, SplittableRandom random) {
    return model.drawZ(rows, random);
  }

  private static void shift(float[] yRep, double[] delta, int s, int m, float[] into) {
    for (int j = 0; j < yRep.length; j++) {
      int r = j / m;
      into[j] = (float) (yRep[j] + delta[(r / s) * m + j % m]);
    }
  }

  private static int ceil(int a, int b) {
    return (a + b - 1) / b;
  }

  static double mean(double[] v) {
    return v.length == 0 ? Double.NaN : Arrays.stream(v).average().orElse(Double.NaN);
  }
}
