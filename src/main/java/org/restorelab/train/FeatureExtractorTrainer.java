package org.restorelab.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.metric.FactorClassifier;
import org.restorelab.run.TfSessions;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt32;

/**
 * Trains the feature extractor (a {@link FactorClassifier} of the procedural faces' factors)
 * with Adam on batches fixed by (seed, step), checkpointing and resuming as the GAN trainers do,
 * then measures its per-factor accuracy on held-out (validation) images.
 */
public final class FeatureExtractorTrainer {
  /** Held-out accuracy of one factor, against chance 1 / cardinality. */
  public record FactorAccuracy(String factor, int cardinality, double accuracy) {
    public double chance() {
      return 1.0 / cardinality;
    }
  }

  /** Where training stopped, the classifier's weights and, when finished, its held-out accuracy. */
  public record Outcome(long step, boolean finished, Map<String, Checkpoint.Tensor> weights,
      double secondsPerIteration, double trainingSeconds, List<FactorAccuracy> heldOut) {}

  /** Logged metrics: the summed cross-entropy, the batch accuracy averaged over factors, the lr. */
  public static final List<String> METRICS = List.of("loss", "accuracy", "lr");
  /** Validation images per evaluation batch. */
  static final int EVALUATION_BATCH = 250;

  private final FeatureExtractorConfig config;
  private final long seed;
  private final TrainingLoop loop;

  public FeatureExtractorTrainer(FeatureExtractorConfig config, long seed, Path dir) {
    this.config = config;
    this.seed = seed;
    this.loop = new TrainingLoop(dir, METRICS, config.getSteps(), config.getLogEvery(), config.getCheckpointEvery());
  }

  /** Checks the config before any graph is built, naming the field ({@code path} is its own path). */
  public static void validate(FeatureExtractorConfig c, String path) {
    ConfigValidator.requireInRange(c, path);
    ImageDataConfig data = c.getData();
    if (data.getSourceCase() != ImageDataConfig.SourceCase.FACES) {
      throw new ConfigException(path + ".data: the feature extractor learns the procedural faces' factors, so only"
          + " `faces` is supported; the config has " + (data.getSourceCase() == ImageDataConfig.SourceCase.SOURCE_NOT_SET
              ? "no source" : "`" + data.getSourceCase().name().toLowerCase(java.util.Locale.ROOT) + "`"));
    }
    ImageSets.validate(data, path + ".data");
    int side = data.getImageSize();
    int multiple = 1 << FactorClassifier.STAGES;
    if (side < multiple || side % multiple != 0) {
      throw new ConfigException(path + ".data.image_size = " + side + " must be a positive multiple of " + multiple
          + " (the classifier pools by 2 " + FactorClassifier.STAGES + " times)");
    }
    if (data.getFaces().getTrainSize() < 1) {
      throw new ConfigException(path + ".data.faces.train_size = 0: the extractor needs training images");
    }
    if (c.getValidationImages() > data.getFaces().getValidationSize()) {
      throw new ConfigException(path + ".validation_images = " + c.getValidationImages() + " exceeds "
          + path + ".data.faces.validation_size = " + data.getFaces().getValidationSize());
    }
  }

  /** The {@code split} of the config's procedural faces (validated first). */
  public static ProceduralFaces faces(FeatureExtractorConfig config, Split split, long seed) {
    return (ProceduralFaces) ImageSets.open(config.getData(), split, seed);
  }

  public void requestStop() {
    loop.requestStop();
  }

  void stopAfter(long step) {
    loop.stopAfter(step);
  }

  /** Trains from scratch, or from the folder's checkpoint when {@code resume}; then the held-out accuracy. */
  public Outcome train(ProceduralFaces train, ProceduralFaces validation, boolean resume, PrintWriter console)
      throws IOException {
    long t0 = System.nanoTime();
    // procedural faces cannot be unreadable: no substitution, so batch(step) holds indices(step)
    try (FeatureExtractorGraph g = new FeatureExtractorGraph(config, seed); Session session = TfSessions.open(g.graph);
        BatchLoader batches = new BatchLoader(train, config.getBatchSize(), seed, "feature_extractor/batches",
            config.getData().getPrefetchBatches(), false)) {
      console.printf("feature extractor %s: %,d parameters, %d features, %d factors%n", config.getName(),
          g.classifier().parameterCount(), config.getFeatureDim(), g.classifier().cardinalities().length);
      long start = loop.start(g.variables, session, resume, console);
      TrainingLoop.Outcome outcome = loop.run(g.variables, session, start, console,
          step -> iteration(g, session, batches.batch(step), codes(train, batches.indices(step)), step), null);
      double trainingSeconds = (System.nanoTime() - t0) / 1e9;
      List<FactorAccuracy> heldOut = outcome.finished()
          ? heldOutAccuracy(g, session, validation, config.getValidationImages()) : List.of();
      Map<String, Checkpoint.Tensor> weights = g.variables.read(session);
      weights.keySet().removeIf(n -> !isClassifierWeight(n));
      return new Outcome(outcome.step(), outcome.finished(), weights, outcome.secondsPerIteration(), trainingSeconds,
          heldOut);
    }
  }

  /** The classifier's weights (not its Adam slots). */
  static boolean isClassifierWeight(String name) {
    return name.startsWith(FactorClassifier.NETWORK + "_") && !name.startsWith(FactorClassifier.NETWORK + "_adam_");
  }

  /** One Adam step on a batch; returns (loss, mean over factors of the batch accuracy, lr). */
  double[] iteration(FeatureExtractorGraph g, Session session, float[] images, int[] codes, long step) {
    List<AutoCloseable> toClose = new ArrayList<>();
    try {
      TFloat32 x = images(images);
      toClose.add(x);
      TInt32 y = codeTensor(codes);
      toClose.add(y);
      Session.Runner r = session.runner().feed(g.images, x).feed(g.codes, y).addTarget(g.step).fetch(g.loss)
          .fetch(g.accuracy);
      g.adam.feed(r, step, toClose);
      try (Result result = r.run()) {
        double loss = ((TFloat32) result.get(0)).getFloat();
        float[] accuracy = GanTrainer.floats((TFloat32) result.get(1));
        double mean = 0;
        for (float a : accuracy) {
          mean += a / accuracy.length;
        }
        return new double[] {loss, mean, LearningRateSchedule.at(config.getOptimizer(), step)};
      }
    } finally {
      TrainingLoop.closeAll(toClose);
    }
  }

  /** Per-factor accuracy on the first {@code n} images of {@code validation}, by the trained graph. */
  static List<FactorAccuracy> heldOutAccuracy(FeatureExtractorGraph g, Session session, ProceduralFaces validation,
      int n) {
    int factors = g.classifier().cardinalities().length;
    long[] correct = new long[factors];
    for (int from = 0; from < n; from += EVALUATION_BATCH) {
      int[] indices = java.util.stream.IntStream.range(from, Math.min(n, from + EVALUATION_BATCH)).toArray();
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(indices.length, validation.height(), validation.width(), 3),
              DataBuffers.of(BatchLoader.readAll(validation, indices), true, false));
          TInt32 y = codeTensor(codes(validation, indices));
          Result r = session.runner().feed(g.images, x).feed(g.codes, y).fetch(g.accuracy).run()) {
        float[] accuracy = GanTrainer.floats((TFloat32) r.get(0));
        for (int j = 0; j < factors; j++) {
          correct[j] += Math.round(accuracy[j] * indices.length);
        }
      }
    }
    List<FactorAccuracy> out = new ArrayList<>();
    int[] cardinalities = g.classifier().cardinalities();
    for (int j = 0; j < factors; j++) {
      out.add(new FactorAccuracy(ProceduralFaces.factorNames().get(j), cardinalities[j], (double) correct[j] / n));
    }
    return out;
  }

  /** The factor codes of {@code indices}, row-major [indices.length, factors]. */
  static int[] codes(ProceduralFaces set, int[] indices) {
    int factors = ProceduralFaces.factorNames().size();
    int[] out = new int[indices.length * factors];
    for (int i = 0; i < indices.length; i++) {
      System.arraycopy(set.factors(indices[i]).codes(), 0, out, i * factors, factors);
    }
    return out;
  }

  private TFloat32 images(float[] nhwc) {
    int side = config.getData().getImageSize();
    return TFloat32.tensorOf(Shape.of(nhwc.length / (side * side * 3), side, side, 3), DataBuffers.of(nhwc, true, false));
  }

  private static TInt32 codeTensor(int[] codes) {
    int factors = ProceduralFaces.factorNames().size();
    return TInt32.tensorOf(Shape.of(codes.length / factors, factors), DataBuffers.of(codes, true, false));
  }
}
