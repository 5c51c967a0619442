package org.restorelab.run;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/**
 * Writes files atomically: the bytes go to a temporary file in the same folder, which is then
 * renamed over the target. A reader (or a crash) sees either the old file or the new one, never
 * a half-written file.
 */
public final class AtomicFiles {

  /** Something that writes the whole content of a file to a stream. */
  @FunctionalInterface
  public interface Writer {
    void writeTo(OutputStream out) throws IOException;
  }

  private AtomicFiles() {}

  /** Writes {@code bytes} to {@code target} atomically, creating parent folders as needed. */
  public static void write(Path target, byte[] bytes) throws IOException {
    write(target, out -> out.write(bytes));
  }

  /** Writes UTF-8 {@code text} to {@code target} atomically. */
  public static void writeString(Path target, String text) throws IOException {
    write(target, text.getBytes(StandardCharsets.UTF_8));
  }

  /**
   * Streams content into {@code target} atomically; on failure the target is left untouched, and
   * the error names the file (a full disk says "No space left on device" with no path of its own).
   */
  public static void write(Path target, Writer writer) throws IOException {
    try {
      writeAtomically(target, writer);
    } catch (IOException e) {
      String message = String.valueOf(e.getMessage());
      if (message.contains(target.toString()) || message.contains(target.toAbsolutePath().toString())) {
        throw e;
      }
      throw new IOException("cannot write " + target + ": " + message, e);
    }
  }

  private static void writeAtomically(Path target, Writer writer) throws IOException {
    Path absolute = target.toAbsolutePath();
    Path dir = absolute.getParent();
    Files.createDirectories(dir);
    // created like any file (the process's umask applies), not with createTempFile's owner-only bits
    Path tmp = Files.createFile(dir.resolve("." + absolute.getFileName() + "."
        + Long.toUnsignedString(java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36) + ".tmp"));
    try {
      try (OutputStream out = Files.newOutputStream(tmp)) {
        writer.writeTo(out);
      }
      try {
        Files.move(tmp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, absolute, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
