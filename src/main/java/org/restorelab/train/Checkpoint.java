package org.restorelab.train;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32C;
import java.util.zip.CheckedOutputStream;
import org.restorelab.config.ConfigException;
import org.restorelab.run.AtomicFiles;

/**
 * A training checkpoint: the step reached, every variable (networks and optimizer slots) and the
 * loop's state outside the graph (named numbers, e.g. a detector's run length), in one file written
 * atomically. Layout (version 2): the magic line {@code RESTORELAB-CKPT 2}, one JSON header line
 * {@code {"step": s, "variables": [{"name", "shape"}...], "state": {"name": value...}}} ({@code state}
 * optional: files written before it existed have none, and read with an empty one), each variable's
 * float32 values, little-endian, in header order, and a last line {@code CRC32C <8 hex digits>}:
 * the CRC32C (Castagnoli) of every byte before that line. Reading checks the file's length
 * against the header and the checksum before any value is used: a truncated, foreign or corrupt
 * file is a {@link ConfigException} naming it. Version 1 files (no checksum) still load.
 */
public final class Checkpoint {
  public static final String FILE = "checkpoint.bin";
  private static final String MAGIC = "RESTORELAB-CKPT 2";
  private static final String MAGIC_V1 = "RESTORELAB-CKPT 1";
  private static final String TRAILER = "CRC32C ";
  /** Bytes of the trailer line: "\nCRC32C " + 8 hex digits + "\n". */
  private static final int TRAILER_BYTES = 1 + TRAILER.length() + 8 + 1;

  /** A variable's shape and values. */
  public record Tensor(long[] shape, float[] values) {
    /** A copy of a float32 tensor's shape and values. */
    public static Tensor of(org.tensorflow.types.TFloat32 t) {
      float[] values = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(values);
      return new Tensor(t.shape().asArray(), values);
    }
  }

  private final long step;
  private final Map<String, Tensor> variables;
  private final Map<String, Double> state;

  public Checkpoint(long step, Map<String, Tensor> variables) {
    this(step, variables, Map.of());
  }

  /** A checkpoint with the loop's state: named finite numbers restored on resume. */
  public Checkpoint(long step, Map<String, Tensor> variables, Map<String, Double> state) {
    this.step = step;
    this.variables = variables;
    this.state = Map.copyOf(state);
  }

  public long step() {
    return step;
  }

  public Map<String, Tensor> variables() {
    return variables;
  }

  /** The loop's state (empty for a checkpoint written without one). */
  public Map<String, Double> state() {
    return state;
  }

  /** Writes the checkpoint atomically to {@code file}. */
  public void write(Path file) throws IOException {
    JsonObject header = new JsonObject();
    header.addProperty("step", step);
    JsonArray vars = new JsonArray();
    for (Map.Entry<String, Tensor> e : variables.entrySet()) {
      JsonObject v = new JsonObject();
      v.addProperty("name", e.getKey());
      v.add("shape", new Gson().toJsonTree(e.getValue().shape()));
      vars.add(v);
    }
    header.add("variables", vars);
    if (!state.isEmpty()) {
      JsonObject values = new JsonObject();
      new java.util.TreeMap<>(state).forEach(values::addProperty);
      header.add("state", values);
    }
    AtomicFiles.write(file, out -> {
      CRC32C crc = new CRC32C();
      OutputStream data = new CheckedOutputStream(new BufferedOutputStream(out, 1 << 16), crc);
      data.write((MAGIC + "\n" + header + "\n").getBytes(StandardCharsets.UTF_8));
      for (Tensor t : variables.values()) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.values());
        data.write(buf.array());
      }
      data.write(String.format("\n%s%08x\n", TRAILER, crc.getValue()).getBytes(StandardCharsets.US_ASCII));
      data.flush();
    });
  }

  /** The step of a checkpoint, from its header alone (the values are not read nor checked). */
  public static long step(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in))) {
      return header(file, data, null).header().get("step").getAsLong();
    }
  }

  /** Reads a checkpoint; a truncated, foreign or corrupt file is an error naming it. */
  public static Checkpoint read(Path file) throws IOException {
    long length = Files.size(file);
    CRC32C crc = new CRC32C();
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new BufferedInputStream(in, 1 << 16))) {
      Header h = header(file, data, crc);
      JsonObject header = h.header();
      long payload = 0;
      for (var element : header.getAsJsonArray("variables")) {
        payload += 4 * size(file, element.getAsJsonObject());
      }
      long expected = h.bytes() + payload + (h.checksummed() ? TRAILER_BYTES : 0);
      if (length != expected) {
        throw new ConfigException("checkpoint " + file + " is " + (length < expected ? "truncated" : "too long") + ": "
            + length + " bytes, its header describes " + expected + "; resume from an intact copy or start the run anew");
      }
      Map<String, Tensor> vars = new LinkedHashMap<>();
      for (var element : header.getAsJsonArray("variables")) {
        JsonObject v = element.getAsJsonObject();
        long[] shape = new Gson().fromJson(v.get("shape"), long[].class);
        int size = (int) size(file, v);
        byte[] bytes = new byte[4 * size];
        data.readFully(bytes);
        crc.update(bytes);
        float[] values = new float[size];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        vars.put(v.get("name").getAsString(), new Tensor(shape, values));
      }
      if (h.checksummed()) {
        long computed = crc.getValue();
        byte[] trailer = new byte[TRAILER_BYTES];
        data.readFully(trailer);
        String line = new String(trailer, StandardCharsets.US_ASCII);
        String want = String.format("\n%s%08x\n", TRAILER, computed);
        if (!line.equals(want)) {
          throw new ConfigException("checkpoint " + file + " is corrupt: its CRC32C check fails (stored "
              + line.strip() + ", computed " + String.format("%08x", computed) + "); resume from an intact copy or"
              + " start the run anew");
        }
      }
      return new Checkpoint(header.get("step").getAsLong(), vars, state(file, header));
    }
  }

  /** The step of {@code file} if it exists and passes every check of {@link #read}; empty otherwise. */
  public static java.util.OptionalLong verifiedStep(Path file) {
    if (!Files.isRegularFile(file)) {
      return java.util.OptionalLong.empty();
    }
    try {
      return java.util.OptionalLong.of(read(file).step());
    } catch (IOException | RuntimeException e) {
      return java.util.OptionalLong.empty();
    }
  }

  /** The header's {@code state}: an object of numbers; absent, empty. */
  private static Map<String, Double> state(Path file, JsonObject header) {
    Map<String, Double> state = new LinkedHashMap<>();
    if (!header.has("state")) {
      return state;
    }
    try {
      for (Map.Entry<String, com.google.gson.JsonElement> e : header.getAsJsonObject("state").entrySet()) {
        state.put(e.getKey(), e.getValue().getAsDouble());
      }
    } catch (RuntimeException e) {
      throw new ConfigException("checkpoint " + file + " is corrupt: its state " + header.get("state")
          + " is not an object of numbers");
    }
    return state;
  }

  private static long size(Path file, JsonObject v) {
    long size = 1;
    try {
      for (long d : new Gson().fromJson(v.get("shape"), long[].class)) {
        if (d < 0 || d > Integer.MAX_VALUE) {
          throw new ConfigException("checkpoint " + file + " is corrupt: variable " + v.get("name") + " has dimension " + d);
        }
        size = Math.multiplyExact(size, d);
      }
    } catch (ArithmeticException | com.google.gson.JsonParseException e) {
      throw new ConfigException("checkpoint " + file + " is corrupt: variable " + v.get("name") + " has shape " + v.get("shape"));
    }
    if (size > Integer.MAX_VALUE / 4) {
      throw new ConfigException("checkpoint " + file + " is corrupt: variable " + v.get("name") + " has " + size + " values");
    }
    return size;
  }

  /** The parsed header, its length in bytes (magic line included), and whether a checksum follows. */
  private record Header(JsonObject header, long bytes, boolean checksummed) {}

  private static Header header(Path file, DataInputStream data, CRC32C crc) throws IOException {
    byte[] magic = line(data, file);
    String m = new String(magic, StandardCharsets.UTF_8);
    if (!MAGIC.equals(m) && !MAGIC_V1.equals(m)) {
      throw new ConfigException("checkpoint " + file + " is not a RestoreLab checkpoint (its first line is not "
          + MAGIC + ")");
    }
    byte[] json = line(data, file);
    if (crc != null) {
      crc.update(magic);
      crc.update('\n');
      crc.update(json);
      crc.update('\n');
    }
    try {
      JsonObject header = JsonParser.parseString(new String(json, StandardCharsets.UTF_8)).getAsJsonObject();
      if (!header.has("step") || !header.has("variables") || !header.get("variables").isJsonArray()) {
        throw new IllegalStateException("no step or variables");
      }
      header.get("step").getAsLong();
      return new Header(header, magic.length + 1 + json.length + 1, MAGIC.equals(m));
    } catch (RuntimeException e) {
      throw new ConfigException("checkpoint " + file + " is corrupt: its header is not the expected JSON ("
          + e.getMessage() + ")");
    }
  }

  /** The bytes up to the next newline (not included); at most 64 MiB, as a header never is more. */
  private static byte[] line(DataInputStream in, Path file) throws IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      b.write(c);
      if (b.size() > (64 << 20)) {
        throw new ConfigException("checkpoint " + file + " is not a RestoreLab checkpoint (no header line)");
      }
    }
    return b.toByteArray();
  }
}
