package org.restorelab.metric;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import org.restorelab.run.AtomicFiles;

/**
 * Features on disk: rows of little-endian float32, no header (the evaluation's partial
 * {@code <key>.features.f32} files and the features a cluster's tasks read).
 */
public final class FeatureFile {
  private static final int CHUNK_FLOATS = 1 << 20;

  private FeatureFile() {}

  /** Writes {@code features} to {@code file} atomically. */
  public static void write(Path file, Features features) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(features.data().length, Float.BYTES))
        .order(ByteOrder.LITTLE_ENDIAN);
    buf.asFloatBuffer().put(features.data());
    AtomicFiles.write(file, buf.array());
  }

  /** The {@code count} rows of dimension {@code dim} in {@code file}, which must hold exactly that many. */
  public static Features read(Path file, int count, int dim) throws IOException {
    long expected = (long) count * dim * Float.BYTES;
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      if (ch.size() != expected) {
        throw new IOException(file + ": " + ch.size() + " bytes, expected " + count + " rows of " + dim
            + " float32 = " + expected);
      }
    }
    float[] data = new float[Math.multiplyExact(count, dim)];
    readInto(file, data, data.length);
    return new Features(data, count, dim);
  }

  /** Reads the first {@code floats} floats of {@code file} into {@code into[0, floats)}. */
  public static void readInto(Path file, float[] into, int floats) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      ByteBuffer buf = ByteBuffer.allocate(Math.min(floats, CHUNK_FLOATS) * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      int done = 0;
      while (done < floats) {
        int n = Math.min(CHUNK_FLOATS, floats - done);
        buf.clear().limit(n * Float.BYTES);
        while (buf.hasRemaining()) {
          if (ch.read(buf) < 0) {
            throw new IOException(file + ": the features file ends before float " + (done + n) + " of the " + floats
                + " expected");
          }
        }
        buf.flip();
        buf.asFloatBuffer().get(into, done, n);
        done += n;
      }
    }
  }
}
