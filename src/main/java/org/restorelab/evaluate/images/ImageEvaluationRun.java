package org.restorelab.evaluate.images;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.BooleanSupplier;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.ImageEvaluationConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageFolderSet;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.data.image.SubstitutingImageSet;
import org.restorelab.evaluate.FeatureExtractor;
import org.restorelab.evaluate.ImageEstimator;
import org.restorelab.evaluate.ImageEvaluation;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.evaluate.MeasurementGraph;
import org.restorelab.evaluate.OwnSizes;
import org.restorelab.evaluate.posterior.ExactPosteriorSampler;
import org.restorelab.evaluate.posterior.HiddenFactorClassifier;
import org.restorelab.evaluate.posterior.KnownPosterior;
import org.restorelab.evaluate.posterior.PosteriorEvaluation;
import org.restorelab.metric.PosteriorMetrics;
import org.restorelab.evaluate.posterior.PosteriorSummary;
import org.restorelab.metric.Features;
import org.restorelab.metric.FrechetDistance;
import org.restorelab.metric.GaussianStatistics;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.metric.PrecisionRecallEngine;
import org.restorelab.render.ImageGrid;
import org.restorelab.run.Seeds;
import org.restorelab.task.RestorationTask;
import org.restorelab.task.Tasks;

/**
 * An image evaluation run: the real features (once), then every model's metrics
 * ({@link ImageEvaluation}), then the Figure 1 style grid; resumable at batch granularity from
 * the run folder's {@code partial/}. With image_evaluation.posterior: first the floor of the
 * posterior metrics (the exact posterior sampler from its own z stream), then every model's
 * posterior metrics after its other metrics, then the exact posterior sampler evaluated as a last
 * (reference) model ({@code evaluate.posterior}); the outcome's summary feeds the per-factor
 * chart, which the caller draws ({@code report.PosteriorChart}).
 */
public final class ImageEvaluationRun {
  /**
   * Everything the report needs; {@code skipped} lists the bad files replaced by other images
   * (data.skip_bad_files), empty without skipping.
   */
  public record Outcome(List<ImageEvaluation.Result> results, String extractor, int realSamples, String task,
      boolean finished, Reference reference, List<BatchLoader.SkippedFile> skipped, PosteriorSummary posterior,
      Sizes sizes) {}

  /**
   * How an image folder of size policy CROP_TO_MULTIPLE was evaluated (null for any other data):
   * the distinct sizes ("h x w") the any-size models' per-input metrics ran at (empty without an
   * any-size model), those models, and the fixed-size models, which got image_size centre crops
   * for every metric. FID, precision/recall, the validation reference and the grid are on the
   * centre crops for every model.
   */
  public record Sizes(List<String> ownSizes, List<String> ownSizeModels, List<String> centreCropped) {}

  /**
   * The name (without extension: one file per figure format) of the per-factor chart of the
   * posterior metrics (empirical vs true posterior), next to the grid.
   */
  public static final String POSTERIOR_CHART = "posterior-factors";
  /** The exact posterior sampler's column titles in Figure 1 (its full name is wider than a column). */
  static final String GRID_REFERENCE_LABEL = "exact sampler";
  /** Validation inputs per model in {@link #POSTERIOR_CHART}. */
  static final int CHART_INPUTS = 3;

  /**
   * The perceptual metrics of the validation images themselves (the ground truth of the inputs)
   * against the same real set: the floor that FID, precision and recall reach at this sample size
   * in this feature space.
   */
  public record Reference(int samples, double fid, double precision, double recall) {}

  private ImageEvaluationRun() {}

  /** Checks what can be checked before any work: fields, and that every folder exists. */
  public static void validate(ImageEvaluationConfig c) {
    ConfigValidator.requireInRange(c, "image_evaluation");
    if (c.getModelCount() == 0) {
      throw new ConfigException("no model to evaluate: give --model PATH or image_evaluation.model in the config");
    }
    if (!c.hasTask()) {
      throw new ConfigException("image_evaluation.task is not set (inpainting or super_resolution)");
    }
    ImageSets.validate(c.getData(), "image_evaluation.data");
    Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task");
    if (OwnSizes.applies(c.getData())) {
      if (!c.getTask().hasSuperResolution()) {
        throw new ConfigException("image_evaluation.data.folder.size_policy = CROP_TO_MULTIPLE (images at their own"
            + " sizes) needs task super_resolution, the task is " + c.getTask().getTaskCase().name()
            .toLowerCase(Locale.ROOT) + ": use CENTER_CROP or REQUIRE_EXACT");
      }
      OwnSizes.requireMultipleOfScale(c.getData(), c.getTask().getSuperResolution().getScale(),
          "image_evaluation.data.folder.multiple_of");
      if (c.getData().getSkipBadFiles()) {
        throw new ConfigException("image_evaluation.data.skip_bad_files with folder.size_policy CROP_TO_MULTIPLE: a"
            + " substituted image would not be the file its random streams are named for; remove the bad files");
      }
    }
    int shave = ImageEvaluation.psnrConfig(c).getShave();
    if (2 * shave >= c.getData().getImageSize()) {
      throw new ConfigException("image_evaluation.psnr.shave = " + shave + " leaves nothing of the "
          + c.getData().getImageSize() + "x" + c.getData().getImageSize() + " images; use 0 <= shave < "
          + (c.getData().getImageSize() + 1) / 2);
    }
    if (c.hasPosterior()) {
      KnownPosterior.of(c); // config alone: before any folder is looked at
    }
    List<String> names = new ArrayList<>();
    for (SavedModelConfig m : c.getModelList()) {
      LoadedEstimator.checkFolder(m);
      String name = LoadedEstimator.name(m);
      if (names.contains(name)) {
        throw new ConfigException("two models are named '" + name + "': give each image_evaluation.model a distinct name");
      }
      names.add(name);
    }
    if (c.hasPosterior() && names.contains(ExactPosteriorSampler.NAME)) {
      throw new ConfigException("a model is named '" + ExactPosteriorSampler.NAME + "', the name of the reference"
          + " column of image_evaluation.posterior: rename it");
    }
  }

  /**
   * {@link #validate} and then loads the feature extractor and every model once (probing each
   * with one input), so a bad SavedModel is refused before a run folder exists.
   */
  public static void preflight(ImageEvaluationConfig c) {
    validate(c);
    RestorationTask task = Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task");
    try (FeatureExtractor extractor = FeatureExtractor.load(c.getFeatures())) {
      extractor.extract(new float[c.getData().getImageSize() * c.getData().getImageSize() * 3], 1,
          c.getData().getImageSize(), c.getData().getImageSize());
    }
    checkRealSamples(c, ImageSets.open(OwnSizes.centreCropped(c.getData()), Split.TRAIN, 0));
    if (c.hasPosterior()) {
      HiddenFactorClassifier.load(c.getPosterior().getClassifier(), KnownPosterior.of(c), c.getData().getImageSize())
          .close();
    }
    for (SavedModelConfig m : c.getModelList()) {
      LoadedEstimator.load(m.toBuilder().setName(LoadedEstimator.name(m)).build(), task).close();
    }
  }

  /** real_samples must not exceed the training images (as evaluate toy refuses too few validation samples). */
  static void checkRealSamples(ImageEvaluationConfig c, ImageSet train) {
    if (c.getRealSamples() > train.size()) {
      throw new ConfigException("image_evaluation.real_samples = " + c.getRealSamples() + " but the training data ("
          + c.getData().getSourceCase().name().toLowerCase(Locale.ROOT) + ") has " + train.size()
          + " images; lower real_samples or give more data");
    }
  }

  /**
   * The {@code split} of the data; with data.skip_bad_files, bad files are replaced by other images
   * of the split drawn from the seed ({@link SubstitutingImageSet}), as training does.
   */
  private static ImageSet open(ImageEvaluationConfig c, Split split, long seed) {
    ImageSet set = ImageSets.open(OwnSizes.centreCropped(c.getData()), split, seed);
    return c.getData().getSkipBadFiles()
        ? new SubstitutingImageSet(set, seed, "evaluate/data/" + split.name().toLowerCase(Locale.ROOT)) : set;
  }

  /** The distinct bad files the sets replaced (a file in both splits once), sorted by source. */
  private static List<BatchLoader.SkippedFile> skipped(ImageSet... sets) {
    java.util.TreeMap<String, BatchLoader.SkippedFile> out = new java.util.TreeMap<>();
    for (ImageSet s : sets) {
      if (s instanceof SubstitutingImageSet sub) {
        sub.skipped().forEach(f -> out.putIfAbsent(f.source(), f));
      }
    }
    return List.copyOf(out.values());
  }

  /** Runs (or resumes) the evaluation in {@code dir}; the grid goes to {@code grid}. */
  public static Outcome run(ImageEvaluationConfig c, long seed, Path dir, Path grid, BooleanSupplier stop,
      PrintWriter log) throws IOException {
    validate(c);
    RestorationTask task = Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task");
    ImageSet train = open(c, Split.TRAIN, seed);
    ImageSet validation = open(c, Split.VALIDATION, seed);
    checkRealSamples(c, train);
    boolean own = OwnSizes.applies(c.getData());
    ImageFolderSet whole = own ? new ImageFolderSet(c.getData().getFolder(), c.getData().getImageSize(),
        Split.VALIDATION) : null;
    List<String> ownSizeModels = new ArrayList<>();
    List<String> centreCropped = new ArrayList<>();
    List<OwnSizes.Group> groups = List.of();
    if (own) {
      for (SavedModelConfig m : c.getModelList()) {
        (OwnSizes.anySize(m) ? ownSizeModels : centreCropped).add(LoadedEstimator.name(m));
      }
      if (!ownSizeModels.isEmpty()) {
        groups = OwnSizes.group(whole, Math.min(c.getPerInputInputs(), whole.size()));
      }
    }
    Sizes sizes = own ? new Sizes(OwnSizes.labels(groups), List.copyOf(ownSizeModels), List.copyOf(centreCropped))
        : null;
    Path partial = dir.resolve("partial");
    List<ImageEvaluation.Result> results = new ArrayList<>();
    KnownPosterior known = c.hasPosterior() ? KnownPosterior.of(c) : null;
    try (FeatureExtractor extractor = FeatureExtractor.load(c.getFeatures());
        MeasurementGraph measurements = new MeasurementGraph(task);
        HiddenFactorClassifier classifier = known == null ? null
            : HiddenFactorClassifier.load(c.getPosterior().getClassifier(), known, c.getData().getImageSize())) {
      int realCount = c.getRealSamples();
      log.printf(Locale.ROOT, "data: %,d real training images, %,d validation inputs; features: %s (%dx%d input)%n",
          realCount, validation.size(), extractor.name(), extractor.side(), extractor.side());
      log.flush();
      Features real = ImageEvaluation.realFeatures(extractor, train, realCount, c.getBatchSize(), partial, stop);
      if (real == null) {
        return new Outcome(results, extractor.name(), realCount, task.name(), false, null, skipped(train, validation),
            null, sizes);
      }
      Reference reference = reference(c, extractor, validation, real);
      ImageEvaluation evaluation = new ImageEvaluation(c, seed, validation, measurements, log);
      ExactPosteriorSampler exact = exactSampler(c, seed, known, measurements);
      PosteriorEvaluation posterior = posteriorEvaluation(c, seed, known, classifier, validation, measurements);
      PosteriorMetrics.Result floor = null;
      if (posterior != null) {
        PosteriorEvaluation.Outcome f = posterior.evaluate(exact, "evaluate/posterior-floor-z", partial,
            key(ExactPosteriorSampler.NAME) + ".floor", stop);
        if (f == null) {
          return new Outcome(results, extractor.name(), realCount, task.name(), false, reference,
              skipped(train, validation), null, sizes);
        }
        floor = f.metrics();
        log.printf(Locale.ROOT, "posterior floor (exact sampler, %d inputs x %d samples, classifier %s): factor TV %.3f,"
            + " coverage %.3f, collapse rate %.3f%n", posterior.inputs(), posterior.samples(), classifier.name(),
            floor.meanTv(), floor.coverage(), floor.collapseRate());
        log.flush();
      }
      List<PosteriorSummary.Example> examples = new ArrayList<>();
      List<LoadedEstimator> loaded = new ArrayList<>();
      java.util.Map<String, ImageEvaluation.AtOwnSizes> atOwnSizes = new java.util.HashMap<>();
      try {
        for (SavedModelConfig m : c.getModelList()) {
          SavedModelConfig named = m.toBuilder().setName(LoadedEstimator.name(m)).build();
          loaded.add(LoadedEstimator.load(named, task));
          if (ownSizeModels.contains(named.getName())) {
            atOwnSizes.put(named.getName(), new ImageEvaluation.AtOwnSizes(named, whole, groups,
                c.getTask().getSuperResolution().getScale()));
          }
        }
        List<ImageEstimator> estimators = new ArrayList<>(loaded);
        if (exact != null) {
          estimators.add(exact);
        }
        for (ImageEstimator model : estimators) {
          ImageEvaluation.Result r = evaluation.evaluate(model, extractor, real, partial, key(model.name()), stop,
              atOwnSizes.get(model.name()));
          PosteriorEvaluation.Outcome po = r == null || posterior == null ? null
              : posterior.evaluate(model, "evaluate/posterior-z", partial, key(model.name()), stop);
          if (r == null || (posterior != null && po == null)) {
            return new Outcome(results, extractor.name(), realCount, task.name(), false, reference,
                skipped(train, validation), null, sizes);
          }
          if (po != null) {
            r = r.withPosterior(po.metrics());
            examples.add(new PosteriorSummary.Example(model.name(),
                java.util.Arrays.copyOf(po.codes(), Math.min(CHART_INPUTS, po.codes().length))));
          }
          log.printf(Locale.ROOT, "%s: FID %.3f, precision %.3f, recall %.3f, PSNR %.2f dB%s, per-pixel std %.4f, %s,"
              + " consistency %.1f dB%s (%.0f s)%n", r.name(), r.fid(), r.precision(), r.recall(), r.psnr(),
              atOwnSizes.containsKey(r.name()) ? " (per-input metrics at own sizes)" : "", r.pixelStd(),
              r.reference() ? "robustness not defined (reads the factors)"
                  : String.format(Locale.ROOT, "robustness %.2f dB, AI-PSNR %.2f dB", r.robustness(), r.aiPsnr()),
              r.consistency(), r.posterior() == null ? "" : String.format(Locale.ROOT,
                  ", factor TV %.3f, coverage %.3f, collapse rate %.3f", r.posterior().meanTv(),
                  r.posterior().coverage(), r.posterior().collapseRate()), r.seconds());
          log.flush();
          results.add(r);
        }
        writeGrid(c, seed, estimators, validation, measurements, grid);
      } finally {
        loaded.forEach(LoadedEstimator::close);
      }
      PosteriorSummary summary = known == null ? null
          : new PosteriorSummary(known, classifier.name(), classifier.heldOutAccuracy(), floor,
              PosteriorMetrics.expectedDistinct(known.modes(), posterior.samples()), examples);
      List<BatchLoader.SkippedFile> skipped = skipped(train, validation);
      if (!skipped.isEmpty()) {
        log.printf(Locale.ROOT, "skipped %d bad file(s) (data.skip_bad_files), each replaced by another image: %s%n",
            skipped.size(), String.join("; ", skipped.stream().map(f -> f.source() + " (" + f.reason() + ")").toList()));
        log.flush();
      }
      return new Outcome(results, extractor.name(), realCount, task.name(), true, reference, skipped, summary, sizes);
    }
  }

  /** The exact posterior sampler of the validation faces, or null without a known posterior. */
  private static ExactPosteriorSampler exactSampler(ImageEvaluationConfig c, long seed, KnownPosterior known,
      MeasurementGraph measurements) {
    return known == null ? null
        : new ExactPosteriorSampler((ProceduralFaces) ImageSets.open(c.getData(), Split.VALIDATION, seed), known,
            measurements);
  }

  /** The posterior metrics' evaluation of {@code c.posterior}, or null without a known posterior. */
  private static PosteriorEvaluation posteriorEvaluation(ImageEvaluationConfig c, long seed, KnownPosterior known,
      HiddenFactorClassifier classifier, ImageSet validation, MeasurementGraph measurements) {
    return known == null ? null
        : new PosteriorEvaluation(known, classifier, validation, measurements, c.getPosterior().getInputs(),
            c.getPosterior().getSamples(), c.getBatchSize(), c.getSaveEvery(), seed);
  }

  /** The folder under {@code partial/} where shard {@code shard}'s partials go. */
  public static Path shardDir(Path dir, int shard) {
    return dir.resolve("partial").resolve("shards").resolve("shard-" + shard);
  }

  /**
   * Shard {@code shard} of {@code shards} of {@link #run}'s batch work in {@code dir}: the real
   * features, the posterior floor, and every model's per-input metrics, features and posterior
   * codes of its share of the inputs (whole batches, so the random streams are those of the whole
   * run), into {@link #shardDir} in the partial format; each model loaded once. False when
   * {@code stop} asked to stop. {@link #mergeShards} then joins the shards into {@code partial/},
   * from which {@link #run} resumes with only FID, precision/recall, the reference, the posterior
   * metrics' summary and the grid left to compute.
   */
  public static boolean runShard(ImageEvaluationConfig c, long seed, Path dir, int shard, int shards,
      BooleanSupplier stop, PrintWriter log) throws IOException {
    validate(c);
    RestorationTask task = Tasks.create(c.getTask(), c.getData().getImageSize(), "image_evaluation.task");
    ImageSet train = open(c, Split.TRAIN, seed);
    ImageSet validation = open(c, Split.VALIDATION, seed);
    checkRealSamples(c, train);
    Shape shape = shape(c, validation);
    Path out = shardDir(dir, shard);
    int batch = c.getBatchSize();
    KnownPosterior known = c.hasPosterior() ? KnownPosterior.of(c) : null;
    try (FeatureExtractor extractor = FeatureExtractor.load(c.getFeatures());
        MeasurementGraph measurements = new MeasurementGraph(task);
        HiddenFactorClassifier classifier = known == null ? null
            : HiddenFactorClassifier.load(c.getPosterior().getClassifier(), known, c.getData().getImageSize())) {
      int[] real = range(c.getRealSamples(), batch, shard, shards);
      if (!ImageEvaluation.realFeaturesShard(extractor, train, real[0], real[1], batch, out, stop)) {
        return false;
      }
      ImageEvaluation evaluation = new ImageEvaluation(c, seed, validation, measurements, log);
      ExactPosteriorSampler exact = exactSampler(c, seed, known, measurements);
      PosteriorEvaluation posterior = posteriorEvaluation(c, seed, known, classifier, validation, measurements);
      int[] post = posterior == null ? null : range(posterior.inputs(), batch, shard, shards);
      if (posterior != null && !posterior.evaluateShard(exact, "evaluate/posterior-floor-z", out,
          key(ExactPosteriorSampler.NAME) + ".floor", stop, post[0], post[1])) {
        return false;
      }
      List<ImageEstimator> estimators = new ArrayList<>();
      List<LoadedEstimator> loaded = new ArrayList<>();
      try {
        for (SavedModelConfig m : c.getModelList()) {
          loaded.add(LoadedEstimator.load(m.toBuilder().setName(LoadedEstimator.name(m)).build(), task));
        }
        estimators.addAll(loaded);
        if (exact != null) {
          estimators.add(exact);
        }
        for (ImageEstimator model : estimators) {
          ImageEvaluation.AtOwnSizes own = shape.atOwnSizes(model.name());
          int[] r = shape.ranges(evaluation, own, batch, shard, shards);
          if (!evaluation.evaluateShard(model, extractor, out, key(model.name()), stop, own, r[0], r[1], r[2], r[3])) {
            return false;
          }
          if (posterior != null && !posterior.evaluateShard(model, "evaluate/posterior-z", out, key(model.name()),
              stop, post[0], post[1])) {
            return false;
          }
        }
      } finally {
        loaded.forEach(LoadedEstimator::close);
      }
      return true;
    }
  }

  /**
   * Joins the {@code shards} finished shards of {@link #runShard} in {@code dir} into
   * {@code partial/} (what an uninterrupted {@link #run} would have saved there), then removes
   * {@code partial/shards/}.
   */
  public static void mergeShards(ImageEvaluationConfig c, long seed, Path dir, int shards) throws IOException {
    validate(c);
    ImageSet validation = open(c, Split.VALIDATION, seed);
    Shape shape = shape(c, validation);
    Path partial = dir.resolve("partial");
    int batch = c.getBatchSize();
    List<Path> folders = new ArrayList<>();
    for (int k = 0; k < shards; k++) {
      folders.add(shardDir(dir, k));
    }
    List<int[]> real = new ArrayList<>();
    for (int k = 0; k < shards; k++) {
      int[] r = range(c.getRealSamples(), batch, k, shards);
      real.add(new int[] {0, 0, r[0], r[1]});
    }
    ImageEvaluation.mergeShards(folders, real, ImageEvaluation.REAL_KEY, 0, c.getRealSamples(), partial);
    List<String> names = new ArrayList<>();
    for (SavedModelConfig m : c.getModelList()) {
      names.add(LoadedEstimator.name(m));
    }
    if (c.hasPosterior()) {
      names.add(ExactPosteriorSampler.NAME);
    }
    // the evaluation's counts need only the config and the validation set: no model is loaded here
    ImageEvaluation evaluation = new ImageEvaluation(c, seed, validation, null, null);
    for (String name : names) {
      ImageEvaluation.AtOwnSizes own = shape.atOwnSizes(name);
      List<int[]> ranges = new ArrayList<>();
      for (int k = 0; k < shards; k++) {
        ranges.add(shape.ranges(evaluation, own, batch, k, shards));
      }
      ImageEvaluation.mergeShards(folders, ranges, key(name), evaluation.perInputs(own), evaluation.generated(),
          partial);
    }
    if (c.hasPosterior()) {
      int inputs = Math.min(c.getPosterior().getInputs(), validation.size());
      List<int[]> ranges = new ArrayList<>();
      for (int k = 0; k < shards; k++) {
        ranges.add(range(inputs, batch, k, shards));
      }
      PosteriorEvaluation.mergeShards(folders, ranges, key(ExactPosteriorSampler.NAME) + ".floor", inputs, partial);
      for (String name : names) {
        PosteriorEvaluation.mergeShards(folders, ranges, key(name), inputs, partial);
      }
    }
    org.restorelab.run.Folders.delete(partial.resolve("shards"));
  }

  /** Shard {@code shard} of {@code shards} of n items in batches of {@code batch} ({@link org.restorelab.evaluate.Shards#range}). */
  public static int[] range(int n, int batch, int shard, int shards) {
    return org.restorelab.evaluate.Shards.range(n, batch, shard, shards);
  }

  /** The own-size layout of the validation folder (CROP_TO_MULTIPLE), as {@link #run} builds it. */
  private record Shape(java.util.Map<String, ImageEvaluation.AtOwnSizes> own) {
    ImageEvaluation.AtOwnSizes atOwnSizes(String name) {
      return own.get(name);
    }

    /** A model's [perInputFrom, perInputTo, generatedFrom, generatedTo] in shard k of n. */
    int[] ranges(ImageEvaluation evaluation, ImageEvaluation.AtOwnSizes at, int batch, int k, int n) {
      int[] per = range(evaluation.perInputs(at), at != null ? 1 : batch, k, n);
      int[] gen = range(evaluation.generated(), batch, k, n);
      return new int[] {per[0], per[1], gen[0], gen[1]};
    }
  }

  private static Shape shape(ImageEvaluationConfig c, ImageSet validation) {
    java.util.Map<String, ImageEvaluation.AtOwnSizes> atOwn = new java.util.HashMap<>();
    if (OwnSizes.applies(c.getData())) {
      ImageFolderSet whole = new ImageFolderSet(c.getData().getFolder(), c.getData().getImageSize(), Split.VALIDATION);
      List<OwnSizes.Group> groups = null;
      for (SavedModelConfig m : c.getModelList()) {
        if (OwnSizes.anySize(m)) {
          if (groups == null) {
            groups = OwnSizes.group(whole, Math.min(c.getPerInputInputs(), whole.size()));
          }
          SavedModelConfig named = m.toBuilder().setName(LoadedEstimator.name(m)).build();
          atOwn.put(named.getName(), new ImageEvaluation.AtOwnSizes(named, whole, groups,
              c.getTask().getSuperResolution().getScale()));
        }
      }
    }
    return new Shape(atOwn);
  }

  private static Reference reference(ImageEvaluationConfig c, FeatureExtractor extractor, ImageSet validation,
      Features real) {
    int n = Math.min(c.getGeneratedSamples(), validation.size());
    Features truth = ImageEvaluation.features(extractor, validation, n, c.getBatchSize());
    double fid = FrechetDistance.compute(GaussianStatistics.of(real), GaussianStatistics.of(truth)).distance();
    PrecisionRecall.Result pr = PrecisionRecallEngine.current().compute(c.getPrecisionRecall(), real, truth);
    return new Reference(n, fid, pr.precision(), pr.recall());
  }

  private static String key(String name) {
    return name.replaceAll("[^A-Za-z0-9._-]", "_");
  }

  /**
   * Figure 1's layout: per validation input (row), the input as the network sees it, then each
   * model's outputs ({@code grid_samples} z draws for a stochastic model or the exact posterior
   * sampler, one for a deterministic one), then the ground truth.
   */
  private static void writeGrid(ImageEvaluationConfig c, long seed, List<ImageEstimator> models,
      ImageSet validation, MeasurementGraph measurements, Path file) throws IOException {
    int n = Math.min(c.getGridInputs(), validation.size());
    float[] x = ImageEvaluation.read(validation, 0, n);
    float[] y = measurements.degrade(x, n);
    float[] view = measurements.view(y, n);
    List<String> titles = new ArrayList<>(List.of("input"));
    List<float[]> columns = new ArrayList<>(List.of(view));
    List<Integer> perModel = new ArrayList<>();
    for (ImageEstimator m : models) {
      int k = m.stochastic() ? c.getGridSamples() : 1;
      perModel.add(k);
      var random = Seeds.random(seed, "evaluate/grid-z");
      for (int s = 0; s < k; s++) {
        columns.add(m.sample(0, y, ImageEvaluation.drawZ(m, n, random), n).images());
        String label = m.readsPixels() ? m.name() : GRID_REFERENCE_LABEL; // the long name overlaps its neighbours
        titles.add(k == 1 ? label : label + " #" + (s + 1));
      }
    }
    titles.add("truth");
    columns.add(x);
    ImageGrid.ofRows(validation.height(), validation.width(), Math.max(1, 96 / validation.height()), titles, columns, n)
        .write(file);
  }
}
