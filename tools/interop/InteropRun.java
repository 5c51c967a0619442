import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Signature;
import org.tensorflow.Tensor;
import org.tensorflow.TensorFlow;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * One TF-Java version's side of tools/check-interop: loads each SavedModel folder given, runs every
 * signature on fixed deterministic inputs, and writes each output into {@code --out}; with
 * {@code --reference DIR} it compares every output elementwise against the dump another version
 * wrote there and prints the largest absolute difference per model and signature.
 *
 * <p>The source uses only API that TF-Java 0.5.0, 1.0.0 and 1.1.0 share (SavedModelBundle.load,
 * signatures(), function(key).call(Map) returning a Result, TFloat32/TInt64.tensorOf, FloatNdArray
 * scalars()); the java launcher compiles it against whichever version is on the class path.
 *
 * <p>Inputs, for a signature with inputs sorted by key (index k) and element index i (row-major):
 * float32 {@code y}, {@code images}, {@code temperature}: 0.5 + 0.45 sin(0.61 i + 1.7 k + 0.3);
 * other float32 (the noise z, z1 .. zL): 1.5 sin(0.37 i + 1.7 k + 0.9); int64 (the seed):
 * 7919 (i + 1) + k. The batch dimension is {@link #BATCH}; another unknown dimension is taken from
 * the model's assets.extra/restorelab.json (noise_dim, measurement_shape, input_size, latent_shapes).
 *
 * <p>Exit code 0 when everything loaded, ran and (with a reference) agreed within the tolerance,
 * 1 otherwise, 2 on a usage error.
 */
public final class InteropRun {
  static final int BATCH = 3;

  public static void main(String[] args) throws Exception {
    Path out = null;
    Path reference = null;
    Path root = null;
    double tolerance = 1e-5;
    boolean printSignatures = false;
    List<String> models = new ArrayList<>();
    for (int a = 0; a < args.length; a++) {
      switch (args[a]) {
        case "--out" -> out = Path.of(value(args, ++a, "--out"));
        case "--reference" -> reference = Path.of(value(args, ++a, "--reference"));
        case "--root" -> root = Path.of(value(args, ++a, "--root"));
        case "--tolerance" -> tolerance = Double.parseDouble(value(args, ++a, "--tolerance"));
        case "--print-signatures" -> printSignatures = true;
        default -> models.add(args[a]);
      }
    }
    if (out == null || root == null || models.isEmpty()) {
      usage("expected --root DIR --out DIR [--reference DIR] [--tolerance T] [--print-signatures] MODEL_DIR...");
    }
    System.out.println("TF-Java runtime: TensorFlow " + TensorFlow.version());
    int failures = 0;
    double worst = 0;
    int compared = 0;
    for (String model : models) {
      Path dir = root.resolve(model);
      String key = model.replaceAll("^/+", "").replace("..", "__"); // dumps stay inside --out
      Path dump = out.resolve(key);
      try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve")) {
        Map<String, Signature> signatures = new TreeMap<>();
        bundle.signatures().forEach(s -> signatures.put(s.key(), s));
        String listing = listing(signatures);
        Files.createDirectories(dump);
        Files.writeString(dump.resolve("signatures.txt"), listing);
        if (printSignatures) {
          System.out.println(model);
          listing.lines().forEach(l -> System.out.println("  " + l));
        }
        if (reference != null) {
          String expected = readOrNull(reference.resolve(key).resolve("signatures.txt"));
          if (!listing.equals(expected)) {
            System.out.println(model + ": FAIL signatures differ from the reference's:\n" + listing + "reference:\n" + expected);
            failures++;
          }
        }
        String metadata = readOrNull(dir.resolve("assets.extra/restorelab.json"));
        for (Signature signature : signatures.values()) {
          Map<String, float[]> outputs = run(bundle, signature, metadata);
          for (Map.Entry<String, float[]> o : outputs.entrySet()) {
            write(dump.resolve(signature.key() + "." + o.getKey() + ".f32"), o.getValue());
          }
          if (reference != null) {
            double diff = 0;
            String problem = null;
            for (Map.Entry<String, float[]> o : outputs.entrySet()) {
              Path file = reference.resolve(key).resolve(signature.key() + "." + o.getKey() + ".f32");
              float[] expected = read(file);
              if (expected == null) {
                problem = "no reference output " + file;
              } else if (expected.length != o.getValue().length) {
                problem = o.getKey() + " has " + o.getValue().length + " values, the reference " + expected.length;
              } else {
                diff = Math.max(diff, maxAbsDiff(o.getValue(), expected));
              }
            }
            compared++;
            boolean ok = problem == null && diff <= tolerance;
            worst = Math.max(worst, diff);
            System.out.printf("  %-56s %-16s max |diff| %.2e  %s%n", model, signature.key(), diff,
                ok ? "ok" : "FAIL" + (problem != null ? " (" + problem + ")" : " (> " + tolerance + ")"));
            if (!ok) {
              failures++;
            }
          }
        }
      } catch (Exception | UnsatisfiedLinkError e) {
        System.out.println("  " + model + ": FAIL " + e.getClass().getSimpleName() + ": " + e.getMessage());
        failures++;
      }
    }
    if (reference != null) {
      System.out.printf("%d signatures compared, largest max |diff| %.2e, %d failure(s)%n", compared, worst, failures);
    } else {
      System.out.printf("%d models run, %d failure(s)%n", models.size(), failures);
    }
    System.exit(failures == 0 ? 0 : 1);
  }

  /** One line per signature: key, then each input and output as name dtype shape. */
  static String listing(Map<String, Signature> signatures) {
    StringBuilder text = new StringBuilder();
    for (Signature s : signatures.values()) {
      text.append(s.key()).append(": ").append(describe(s.getInputs())).append(" -> ")
          .append(describe(s.getOutputs())).append('\n');
    }
    return text.toString();
  }

  static String describe(Map<String, Signature.TensorDescription> tensors) {
    List<String> parts = new ArrayList<>();
    new TreeMap<>(tensors).forEach((name, d) -> parts.add(name + " " + dtype(String.valueOf(d.dataType))
        + " " + Arrays.toString(d.shape.asArray())));
    return String.join(", ", parts);
  }

  /** DT_FLOAT -> float32, DT_INT64 -> int64 (numpy's names). */
  static String dtype(String protoName) {
    String name = protoName.replace("DT_", "").toLowerCase();
    return switch (name) {
      case "float" -> "float32";
      case "double" -> "float64";
      default -> name;
    };
  }

  /** Runs one signature on the fixed inputs; returns its float32 outputs by key, flattened row-major. */
  static Map<String, float[]> run(SavedModelBundle bundle, Signature signature, String metadata) {
    Map<String, Tensor> inputs = new LinkedHashMap<>();
    Map<String, float[]> outputs = new TreeMap<>();
    try {
      int k = 0;
      for (Map.Entry<String, Signature.TensorDescription> in : new TreeMap<>(signature.getInputs()).entrySet()) {
        Shape shape = concreteShape(in.getKey(), in.getValue().shape, metadata, signature.key());
        inputs.put(in.getKey(), input(in.getKey(), String.valueOf(in.getValue().dataType), shape, k++, signature.key()));
      }
      try (Result result = bundle.function(signature.key()).call(inputs)) {
        for (String name : new TreeMap<>(signature.getOutputs()).keySet()) {
          Tensor t = result.get(name).orElseThrow(() -> new IllegalStateException(
              "signature " + signature.key() + " returned no output " + name));
          if (!(t instanceof TFloat32)) {
            throw new IllegalStateException("signature " + signature.key() + " output " + name + ": expected float32, got " + t.dataType());
          }
          outputs.put(name, values((TFloat32) t));
        }
      }
    } finally {
      inputs.values().forEach(Tensor::close);
    }
    return outputs;
  }

  static Tensor input(String name, String dataType, Shape shape, int k, String signature) {
    int n = (int) shape.size();
    switch (dataType) {
      case "DT_FLOAT" -> {
        boolean unit = name.equals("y") || name.equals("images") || name.equals("temperature");
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
          v[i] = (float) (unit ? 0.5 + 0.45 * StrictMath.sin(0.61 * i + 1.7 * k + 0.3)
              : 1.5 * StrictMath.sin(0.37 * i + 1.7 * k + 0.9));
        }
        return TFloat32.tensorOf(shape, t -> {
          long[] i = {0};
          t.scalars().forEach(s -> s.setFloat(v[(int) i[0]++]));
        });
      }
      case "DT_INT64" -> {
        return TInt64.tensorOf(shape, t -> {
          long[] i = {0};
          t.scalars().forEach(s -> s.setLong(7919L * (++i[0]) + k));
        });
      }
      default -> throw new IllegalStateException("signature " + signature + " input " + name
          + ": expected float32 or int64, got " + dataType);
    }
  }

  /** The signature's shape with the batch dimension set to BATCH and other unknown sizes from the metadata. */
  static Shape concreteShape(String name, Shape declared, String metadata, String signature) {
    long[] dims = declared.asArray();
    if (dims == null) {
      throw new IllegalStateException("signature " + signature + " input " + name + ": unknown rank");
    }
    long[] fromMetadata = null;
    for (int d = 0; d < dims.length; d++) {
      if (dims[d] >= 0) {
        continue;
      }
      if (d == 0) {
        dims[d] = BATCH;
        continue;
      }
      if (fromMetadata == null) {
        fromMetadata = metadataShape(name, metadata);
      }
      if (fromMetadata == null || fromMetadata.length != dims.length - 1) {
        throw new IllegalStateException("signature " + signature + " input " + name + " " + Arrays.toString(dims)
            + ": dimension " + d + " unknown and not in assets.extra/restorelab.json");
      }
      dims[d] = fromMetadata[d - 1];
    }
    return Shape.of(dims);
  }

  /** An input's per-example shape as the metadata records it, or null. */
  static long[] metadataShape(String name, String metadata) {
    if (metadata == null) {
      return null;
    }
    if (name.equals("z")) {
      String dim = field(metadata, "noise_dim", "(\\d+)");
      return dim == null ? null : new long[] {Long.parseLong(dim)};
    }
    if (name.equals("y")) {
      String shape = field(metadata, "measurement_shape", "\"\\[([\\d, ]+)\\]\"");
      if (shape == null) {
        String columns = field(metadata, "measurement_columns", "(\\d+)");
        return columns == null ? null : new long[] {Long.parseLong(columns)};
      }
      return Arrays.stream(shape.split(",\\s*")).mapToLong(Long::parseLong).toArray();
    }
    if (name.equals("images")) {
      String size = field(metadata, "input_size", "(\\d+)");
      return size == null ? null : new long[] {Long.parseLong(size), Long.parseLong(size), 3};
    }
    Matcher level = Pattern.compile("z(\\d+)").matcher(name);
    int key = metadata.indexOf("\"latent_shapes\"");
    if (level.matches() && key >= 0) {
      List<long[]> all = new ArrayList<>();
      Matcher m = Pattern.compile("\\G\\s*[\\[,]?\\s*\"\\[([\\d, ]+)\\]\"").matcher(metadata);
      m.region(metadata.indexOf(':', key) + 1, metadata.length());
      while (m.find()) {
        all.add(Arrays.stream(m.group(1).split(",\\s*")).mapToLong(Long::parseLong).toArray());
      }
      int l = Integer.parseInt(level.group(1));
      return l >= 1 && l <= all.size() ? all.get(l - 1) : null;
    }
    return null;
  }

  static String field(String json, String key, String valuePattern) {
    Matcher m = Pattern.compile("\"" + key + "\"\\s*:\\s*" + valuePattern).matcher(json);
    return m.find() ? m.group(1) : null;
  }

  static float[] values(TFloat32 t) {
    float[] v = new float[(int) t.shape().size()];
    int[] i = {0};
    t.scalars().forEach(s -> v[i[0]++] = s.getFloat());
    return v;
  }

  static double maxAbsDiff(float[] a, float[] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      double d = Math.abs((double) a[i] - b[i]);
      if (Double.isNaN(d)) {
        return Double.POSITIVE_INFINITY; // a NaN on either side never agrees
      }
      max = Math.max(max, d);
    }
    return max;
  }

  static void write(Path file, float[] values) throws IOException {
    try (DataOutputStream s = new DataOutputStream(Files.newOutputStream(file))) {
      s.writeInt(values.length);
      for (float v : values) {
        s.writeFloat(v);
      }
    }
  }

  static float[] read(Path file) throws IOException {
    try (DataInputStream s = new DataInputStream(Files.newInputStream(file))) {
      float[] v = new float[s.readInt()];
      for (int i = 0; i < v.length; i++) {
        v[i] = s.readFloat();
      }
      return v;
    } catch (NoSuchFileException e) {
      return null;
    }
  }

  static String readOrNull(Path file) {
    try {
      return Files.readString(file);
    } catch (NoSuchFileException e) {
      return null;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  static String value(String[] args, int a, String option) {
    if (a >= args.length) {
      usage(option + " needs a value");
    }
    return args[a];
  }

  static void usage(String message) {
    System.err.println("InteropRun: " + message);
    System.exit(2);
  }
}
