package org.restorelab.evaluate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.NoiseInputConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.run.Seeds;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;

/**
 * The noise inputs of a loaded SavedModel: z ({@code input_z}) and any {@code extra_noise} inputs,
 * each with its per-example shape (z may be [n, dz], or spatial such as [n, 64, 64, 1]), all drawn
 * from the model's noise distribution.
 *
 * <p>A row's noise is the concatenation of every input's per-example values in row-major order (z
 * first, then {@code extra_noise} in config order), so the evaluation handles noise as rows of
 * {@link #floatsPerRow} floats (repeating rows, holding z fixed across an attack) whatever the
 * inputs; {@link #feed} splits each row back into one tensor per input, shape-checked first.
 *
 * <p>Seeds: z is drawn from the caller's stream exactly as a [rows, dz] draw always was (one
 * value after another, row-major), so models with one z input keep their numbers. Each extra
 * input then gets its own stream, {@code Seeds.random(b, "extra_noise/" + input)} with b the next
 * long of the caller's stream.
 */
final class NoiseInputs {
  /** One input and its per-example shape. */
  record Input(ModelInput input, Shape perExample) {
    int size() {
      return (int) perExample.size();
    }
  }

  private final NoiseConfig.Distribution distribution;
  private final List<Input> inputs;
  private final int floatsPerRow;

  private NoiseInputs(NoiseConfig.Distribution distribution, List<Input> inputs) {
    this.distribution = distribution;
    this.inputs = List.copyOf(inputs);
    this.floatsPerRow = inputs.stream().mapToInt(Input::size).sum();
  }

  /** No noise input (a model without z). */
  static NoiseInputs none() {
    return new NoiseInputs(NoiseConfig.Distribution.ZERO, List.of());
  }

  /**
   * The noise inputs {@code config} declares, with their shapes resolved against the signature
   * (see SavedModelConfig.z_shape and extra_noise). {@code explicitDim} is the z dimension the
   * model's restorelab.json or {@code model.noise.dim} states (null when neither does).
   */
  static NoiseInputs resolve(Graph g, Signature sig, SavedModelConfig config, NoiseConfig.Distribution distribution,
      Integer explicitDim, Path dir) {
    if (config.getInputZ().isEmpty()) {
      if (config.getExtraNoiseCount() > 0) {
        throw new ConfigException("SavedModel " + dir + ": model.extra_noise needs model.input_z (the first noise input)");
      }
      return none();
    }
    List<Input> inputs = new ArrayList<>();
    ModelInput z = ModelInput.of(g, sig, config.getInputZ(), dir, "model.z_shape");
    inputs.add(new Input(z, perExample(z, config.getZShapeList(), explicitDim,
        config.getNoise().getDim(), "model.z_shape")));
    Set<String> keys = new HashSet<>(List.of(config.getInputY(), config.getInputZ()));
    for (NoiseInputConfig extra : config.getExtraNoiseList()) {
      if (extra.getInput().isEmpty()) {
        throw new ConfigException("SavedModel " + dir + ": model.extra_noise needs input (a signature input key)");
      }
      if (!keys.add(extra.getInput())) {
        throw new ConfigException("SavedModel " + dir + ": model.extra_noise input '" + extra.getInput()
            + "' is fed already (input_y, input_z and each extra_noise input must differ)");
      }
      String field = "model.extra_noise { input: \"" + extra.getInput() + "\" }.shape";
      ModelInput in = ModelInput.of(g, sig, extra.getInput(), dir, field);
      inputs.add(new Input(in, perExample(in, extra.getShapeList(), null, -1, field)));
    }
    return new NoiseInputs(distribution, inputs);
  }

  /**
   * The per-example shape of {@code in}: the configured one (checked against the signature), else
   * the signature's when known, else [dim] for a z of rank 2 or unknown rank.
   */
  private static Shape perExample(ModelInput in, List<Long> configured, Integer explicitDim, int defaultDim,
      String field) {
    Path dir = in.dir();
    Shape declared = in.shape();
    String what = "SavedModel " + dir + ": input '" + in.key() + "' ";
    if (!configured.isEmpty()) {
      long[] dims = configured.stream().mapToLong(Long::longValue).toArray();
      for (long d : dims) {
        if (d < 1) {
          throw new ConfigException(field + " = " + Shape.of(dims) + ": every dim must be >= 1");
        }
      }
      Shape s = Shape.of(dims);
      long batch = declared.isUnknown() || declared.numDimensions() == 0 || declared.size(0) < 0 ? 1 : declared.size(0);
      if (!in.accepts(Shape.of(batch).append(s))) {
        throw new ConfigException(what + "takes " + declared + ", which " + field + " = " + s + " does not fit");
      }
      if (explicitDim != null && explicitDim != s.size()) {
        throw new ConfigException(what + "gets noise dim " + explicitDim + " (model.noise.dim, or the model's"
            + " restorelab.json), but " + field + " = " + s + " holds " + s.size() + " values per example");
      }
      return s;
    }
    Shape known = in.knownPerExample();
    if (known != null) {
      if (explicitDim != null && explicitDim != known.size()) {
        throw new ConfigException(what + "takes " + declared + " (" + known.size() + " values per example), but the"
            + " noise dim is " + explicitDim + " (model.noise.dim, or the model's restorelab.json)");
      }
      return known;
    }
    if (declared.isUnknown() || declared.numDimensions() == 2) {
      int dim = explicitDim != null ? explicitDim : defaultDim;
      if (dim < 1) {
        throw new ConfigException(what + "has shape " + declared + ": give " + field
            + (field.equals("model.z_shape") ? " or model.noise.dim" : ""));
      }
      return Shape.of(dim);
    }
    throw new ConfigException(what + "has shape " + declared + " with unknown non-batch dims: give its per-example"
        + " shape in " + field + " (e.g. " + example(declared) + ")");
  }

  /** The declared shape's non-batch dims, with 64 for each unknown one (for error messages). */
  private static String example(Shape declared) {
    long[] dims = new long[declared.numDimensions() - 1];
    for (int i = 1; i < declared.numDimensions(); i++) {
      dims[i - 1] = declared.size(i) < 0 ? 64 : declared.size(i);
    }
    return Shape.of(dims).toString();
  }

  /** The signature keys of the noise inputs, z first. */
  List<String> keys() {
    return inputs.stream().map(i -> i.input().key()).toList();
  }

  /** The inputs and their per-example shapes, z first. */
  List<Input> inputs() {
    return inputs;
  }

  boolean isEmpty() {
    return inputs.isEmpty();
  }

  /** Noise floats per row: the sum of the inputs' per-example sizes (0 without a noise input). */
  int floatsPerRow() {
    return floatsPerRow;
  }

  /** Noise for {@code rows} rows (see the class comment for the layout and the streams). */
  float[] draw(int rows, SplittableRandom random) {
    if (inputs.isEmpty()) {
      return new float[0];
    }
    float[] first = ToyEvaluation.drawZ(noise(inputs.get(0).size()), rows, random);
    if (inputs.size() == 1) {
      return first;
    }
    long base = random.nextLong();
    float[][] parts = new float[inputs.size()][];
    parts[0] = first;
    for (int k = 1; k < inputs.size(); k++) {
      parts[k] = ToyEvaluation.drawZ(noise(inputs.get(k).size()), rows,
          Seeds.random(base, "extra_noise/" + inputs.get(k).input().key()));
    }
    float[] z = new float[rows * floatsPerRow];
    for (int r = 0, at = 0; r < rows; r++) {
      for (int k = 0; k < parts.length; k++) {
        int size = inputs.get(k).size();
        System.arraycopy(parts[k], r * size, z, at, size);
        at += size;
      }
    }
    return z;
  }

  private NoiseConfig noise(int dim) {
    return NoiseConfig.newBuilder().setDistribution(distribution).setDim(dim).build();
  }

  /** The tensors fed by one {@link #feed}; closing closes them. */
  static final class Fed implements AutoCloseable {
    private final List<TFloat32> tensors = new ArrayList<>();

    @Override
    public void close() {
      tensors.forEach(TFloat32::close);
    }
  }

  /** Feeds {@code rows} rows of noise {@code z} into {@code runner}, one tensor per input, each shape-checked. */
  Fed feed(Session.Runner runner, float[] z, int rows) {
    Fed fed = new Fed();
    if (inputs.isEmpty()) {
      return fed;
    }
    if (z.length != (long) rows * floatsPerRow) {
      throw new IllegalArgumentException(z.length + " noise values for " + rows + " rows of " + floatsPerRow);
    }
    try {
      for (int k = 0, offset = 0; k < inputs.size(); k++) {
        Input in = inputs.get(k);
        int size = in.size();
        float[] part = z;
        if (inputs.size() > 1) {
          part = new float[rows * size];
          for (int r = 0; r < rows; r++) {
            System.arraycopy(z, r * floatsPerRow + offset, part, r * size, size);
          }
        }
        TFloat32 t = in.input().tensor(part, Shape.of(rows).append(in.perExample()));
        fed.tensors.add(t);
        runner.feed(in.input().output(), t);
        offset += size;
      }
      return fed;
    } catch (RuntimeException e) {
      fed.close();
      throw e;
    }
  }

  /** A description for messages: "z [1, 64, 64, 1], z2 [1, 16]" for {@code rows} rows. */
  String describe(int rows) {
    return String.join(", ", inputs.stream().map(i -> i.input().key() + " " + Shape.of(rows).append(i.perExample()))
        .toList());
  }
}
