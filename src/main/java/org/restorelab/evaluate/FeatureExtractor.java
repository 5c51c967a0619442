package org.restorelab.evaluate;

import java.nio.file.Path;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.data.image.Resampler;
import org.restorelab.metric.Features;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * Any SavedModel mapping images [n, s, s, 3] to feature vectors [n, d], for FID and precision/
 * recall: InceptionV3 pool-3 (d = 2048) for numbers comparable with the literature, or the
 * project's factor classifier. Images in [0, 1] are resized to the extractor's side (antialiased
 * bilinear, {@link Resampler}) and mapped to its pixel range.
 */
public final class FeatureExtractor implements AutoCloseable {
  private final String name;
  private final Path dir;
  private final SavedModelBundle bundle;
  private final Session session;
  private final Output<TFloat32> input;
  private final Output<TFloat32> output;
  private final int side;
  private final float low;
  private final float high;
  private final int batchSize;
  private final Resampler resampler = new Resampler(Resampler.BILINEAR, true);
  private int dim;

  private FeatureExtractor(FeatureExtractorModelConfig config, Path dir, SavedModelBundle bundle) {
    this.dir = dir;
    this.bundle = bundle;
    this.session = bundle.session();
    this.name = config.getName().isEmpty() ? dir.getFileName().toString() : config.getName();
    Signature sig = LoadedEstimator.signature(bundle, config.getSignature(), dir);
    input = LoadedEstimator.tensor(bundle.graph(), sig, config.getInput(), true, dir);
    output = LoadedEstimator.tensor(bundle.graph(), sig, config.getOutput(), false, dir);
    Shape in = input.shape();
    if (!in.isUnknown() && (in.numDimensions() != 4 || (in.size(3) >= 0 && in.size(3) != 3))) {
      throw new ConfigException("feature SavedModel " + dir + ": input '" + config.getInput() + "' has shape " + in
          + "; it must take images [n, s, s, 3]");
    }
    Shape out = output.shape();
    if (!out.isUnknown() && out.numDimensions() != 2) {
      throw new ConfigException("feature SavedModel " + dir + ": output '" + config.getOutput() + "' has shape " + out
          + "; features must be 2-D [n, d] (pool the spatial axes in the model, e.g. Inception's pool-3)");
    }
    int fromModel = !in.isUnknown() && in.size(1) > 0 ? (int) in.size(1) : 0;
    if (config.getInputSize() > 0 && fromModel > 0 && config.getInputSize() != fromModel) {
      throw new ConfigException("features.input_size = " + config.getInputSize() + " but the input of " + dir
          + " takes " + fromModel + "x" + fromModel + " images");
    }
    side = config.getInputSize() > 0 ? config.getInputSize() : fromModel;
    if (side <= 0) {
      throw new ConfigException("feature SavedModel " + dir + " does not fix its input size: set features.input_size");
    }
    if (config.getBatchSize() < 1) {
      throw new ConfigException("features.batch_size must be >= 1, got " + config.getBatchSize());
    }
    low = config.getInputLow();
    high = config.getInputHigh();
    batchSize = config.getBatchSize();
    dim = !out.isUnknown() && out.size(1) > 0 ? (int) out.size(1) : -1;
  }

  /** Loads the extractor; a missing or broken folder, or an output that is not 2-D, is an error naming it. */
  public static FeatureExtractor load(FeatureExtractorModelConfig config) {
    if (config.getPath().isEmpty()) {
      throw new ConfigException("features.path is empty: give a feature SavedModel (InceptionV3 pool-3, or "
          + "savedmodels/cpu/faces-features for the procedural faces)");
    }
    Path dir = LoadedEstimator.checkFolder(Path.of(config.getPath()));
    SavedModelBundle bundle = LoadedEstimator.open(dir);
    try {
      return new FeatureExtractor(config, dir, bundle);
    } catch (RuntimeException e) {
      bundle.close();
      throw e;
    }
  }

  public String name() {
    return name;
  }

  public int side() {
    return side;
  }

  /** Feature dimension (known after the first call when the model does not fix it). */
  public int dim() {
    return dim;
  }

  /** Features of n images [n * h * w * 3] in [0, 1]. */
  public Features extract(float[] images, int n, int h, int w) {
    float[] all = null;
    for (int b0 = 0; b0 < n; b0 += batchSize) {
      int b = Math.min(batchSize, n - b0);
      float[] batch = prepare(images, b0, b, h, w);
      float[] f = run(batch, b);
      if (all == null) {
        all = new float[n * dim];
      }
      System.arraycopy(f, 0, all, b0 * dim, f.length);
    }
    return new Features(all == null ? new float[0] : all, n, Math.max(dim, 1));
  }

  private float[] prepare(float[] images, int from, int count, int h, int w) {
    int inPixels = h * w * 3;
    int outPixels = side * side * 3;
    float[] out = new float[count * outPixels];
    float scale = high - low;
    for (int i = 0; i < count; i++) {
      float[] image = new float[inPixels];
      System.arraycopy(images, (from + i) * inPixels, image, 0, inPixels);
      float[] sized = h == side && w == side ? image : resampler.resize(image, h, w, side, side);
      for (int j = 0; j < outPixels; j++) {
        out[i * outPixels + j] = low + scale * sized[j];
      }
    }
    return out;
  }

  private float[] run(float[] batch, int n) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(batch, true, false));
        Result res = session.runner().feed(input, t).fetch(output).run()) {
      Shape s = res.get(0).shape();
      if (s.numDimensions() != 2 || s.size(0) != n) {
        throw new ConfigException("feature SavedModel " + dir + " returned shape " + s + " for " + n
            + " images; features must be 2-D [n, d]");
      }
      if (dim < 0) {
        dim = (int) s.size(1);
      } else if (s.size(1) != dim) {
        throw new ConfigException("feature SavedModel " + dir + " returned " + s.size(1) + " features, expected " + dim);
      }
      float[] f = new float[(int) s.size()];
      ((TFloat32) res.get(0)).asRawTensor().data().asFloats().read(f);
      return f;
    } catch (IllegalArgumentException | IllegalStateException e) {
      throw new ConfigException("feature SavedModel " + dir + " fails on images [" + n + ", " + side + ", " + side
          + ", 3]: " + e.getMessage(), e);
    }
  }

  @Override
  public void close() {
    bundle.close();
  }
}
