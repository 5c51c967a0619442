package org.restorelab.train;

import com.google.gson.Gson;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import org.restorelab.run.AtomicFiles;

/**
 * A training checkpoint: the step reached and every variable (networks and optimizer slots),
 * in one file written atomically. Layout: the magic line {@code RESTORELAB-CKPT 1}, one JSON
 * header line {@code {"step": s, "variables": [{"name", "shape"}...]}}, then each variable's
 * float32 values, little-endian, in header order.
 */
public final class Checkpoint {
  public static final String FILE = "checkpoint.bin";
  private static final String MAGIC = "RESTORELAB-CKPT 1";

  /** A variable's shape and values. */
  public record Tensor(long[] shape, float[] values) {}

  private final long step;
  private final Map<String, Tensor> variables;

  public Checkpoint(long step, Map<String, Tensor> variables) {
    this.step = step;
    this.variables = variables;
  }

  public long step() {
    return step;
  }

  public Map<String, Tensor> variables() {
    return variables;
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
    AtomicFiles.write(file, out -> {
      DataOutputStream data = new DataOutputStream(new java.io.BufferedOutputStream(out));
      data.write((MAGIC + "\n" + header + "\n").getBytes(StandardCharsets.UTF_8));
      for (Tensor t : variables.values()) {
        ByteBuffer buf = ByteBuffer.allocate(4 * t.values().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.asFloatBuffer().put(t.values());
        data.write(buf.array());
      }
      data.flush();
    });
  }

  /** The step of a checkpoint, from its header alone (the values are not read). */
  public static long step(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
      return header(file, data).get("step").getAsLong();
    }
  }

  /** Reads a checkpoint; a truncated or foreign file is an error naming it. */
  public static Checkpoint read(Path file) throws IOException {
    try (InputStream in = Files.newInputStream(file);
        DataInputStream data = new DataInputStream(new java.io.BufferedInputStream(in))) {
      JsonObject header = header(file, data);
      Map<String, Tensor> vars = new LinkedHashMap<>();
      for (var element : header.getAsJsonArray("variables")) {
        JsonObject v = element.getAsJsonObject();
        long[] shape = new Gson().fromJson(v.get("shape"), long[].class);
        long size = 1;
        for (long d : shape) {
          size *= d;
        }
        byte[] bytes = new byte[(int) (4 * size)];
        try {
          data.readFully(bytes);
        } catch (java.io.EOFException e) {
          throw new IOException(file + " is truncated in variable " + v.get("name").getAsString(), e);
        }
        float[] values = new float[(int) size];
        ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).asFloatBuffer().get(values);
        vars.put(v.get("name").getAsString(), new Tensor(shape, values));
      }
      return new Checkpoint(header.get("step").getAsLong(), vars);
    }
  }

  private static JsonObject header(Path file, DataInputStream data) throws IOException {
    String magic = line(data);
    if (!MAGIC.equals(magic)) {
      throw new IOException(file + " is not a RestoreLab checkpoint (first line: " + magic + ")");
    }
    return JsonParser.parseString(line(data)).getAsJsonObject();
  }

  private static String line(DataInputStream in) throws IOException {
    StringBuilder sb = new StringBuilder();
    int c;
    while ((c = in.read()) != -1 && c != '\n') {
      sb.append((char) c);
    }
    return sb.toString();
  }
}
