package org.restorelab.data.image;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.Inflater;
import java.util.zip.InflaterInputStream;

/**
 * The table of contents of a NumPy {@code .npz} file, a zip archive of {@code .npy} arrays
 * ({@code np.savez}: stored; {@code np.savez_compressed}: deflated), read from the zip central
 * directory (zip64 included), so that a stored array can be memory-mapped where it lies.
 */
public final class NpzFile {
  private static final int STORED = 0;
  private static final int DEFLATED = 8;

  /**
   * One array of the archive.
   *
   * @param key the array's name (the entry name without ".npy")
   * @param dataStart file offset of the entry's (possibly compressed) bytes
   */
  public record Entry(String key, boolean deflated, long compressedSize, long size, long dataStart) {}

  private final Path file;
  private final Map<String, Entry> entries;

  private NpzFile(Path file, Map<String, Entry> entries) {
    this.file = file;
    this.entries = entries;
  }

  public Path file() {
    return file;
  }

  /** The arrays by key, in archive order. */
  public Map<String, Entry> entries() {
    return entries;
  }

  /** Reads the central directory of {@code file}. */
  public static NpzFile open(Path file) throws IOException {
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
      long length = ch.size();
      int tail = (int) Math.min(length, 22 + 65535);
      ByteBuffer end = read(ch, length - tail, tail);
      int eocd = -1;
      for (int i = tail - 22; i >= 0; i--) {
        if (end.getInt(i) == 0x06054b50) {
          eocd = i;
          break;
        }
      }
      if (eocd < 0) {
        throw new IOException("not an npz file (no zip end-of-central-directory record; truncated or not a zip)");
      }
      long count = end.getShort(eocd + 10) & 0xffff;
      long dirSize = end.getInt(eocd + 12) & 0xffffffffL;
      long dirStart = end.getInt(eocd + 16) & 0xffffffffL;
      long eocdPos = length - tail + eocd;
      if ((count == 0xffff || dirSize == 0xffffffffL || dirStart == 0xffffffffL) && eocdPos >= 20) {
        ByteBuffer locator = read(ch, eocdPos - 20, 20);
        if (locator.getInt(0) == 0x07064b50) {
          ByteBuffer z64 = read(ch, locator.getLong(8), 56);
          if (z64.getInt(0) != 0x06064b50) {
            throw new IOException("corrupt zip64 end-of-central-directory record");
          }
          count = z64.getLong(32);
          dirSize = z64.getLong(40);
          dirStart = z64.getLong(48);
        }
      }
      if (dirStart + dirSize > length || dirSize > Integer.MAX_VALUE) {
        throw new IOException("corrupt zip central directory (it lies outside the file: truncated?)");
      }
      ByteBuffer dir = read(ch, dirStart, (int) dirSize);
      Map<String, Entry> entries = new LinkedHashMap<>();
      int p = 0;
      for (long n = 0; n < count; n++) {
        if (p + 46 > dir.limit() || dir.getInt(p) != 0x02014b50) {
          throw new IOException("corrupt zip central directory entry " + n);
        }
        int method = dir.getShort(p + 10) & 0xffff;
        long compressed = dir.getInt(p + 20) & 0xffffffffL;
        long size = dir.getInt(p + 24) & 0xffffffffL;
        int nameLength = dir.getShort(p + 28) & 0xffff;
        int extraLength = dir.getShort(p + 30) & 0xffff;
        int commentLength = dir.getShort(p + 32) & 0xffff;
        long local = dir.getInt(p + 42) & 0xffffffffL;
        byte[] nameBytes = new byte[nameLength];
        dir.get(p + 46, nameBytes);
        String name = new String(nameBytes, StandardCharsets.UTF_8);
        int e = p + 46 + nameLength;
        int extraEnd = e + extraLength;
        while (e + 4 <= extraEnd) { // the zip64 extra field holds the sizes that overflowed 32 bits
          int id = dir.getShort(e) & 0xffff;
          int len = dir.getShort(e + 2) & 0xffff;
          if (id == 0x0001) {
            int q = e + 4;
            if (size == 0xffffffffL) {
              size = dir.getLong(q);
              q += 8;
            }
            if (compressed == 0xffffffffL) {
              compressed = dir.getLong(q);
              q += 8;
            }
            if (local == 0xffffffffL) {
              local = dir.getLong(q);
            }
          }
          e += 4 + len;
        }
        p = extraEnd + commentLength;
        if (method != STORED && method != DEFLATED) {
          throw new IOException("zip entry " + name + " uses compression method " + method
              + " (only stored and deflated are supported)");
        }
        ByteBuffer localHeader = read(ch, local, 30);
        if (localHeader.getInt(0) != 0x04034b50) {
          throw new IOException("corrupt zip local header of " + name);
        }
        long dataStart = local + 30 + (localHeader.getShort(26) & 0xffff) + (localHeader.getShort(28) & 0xffff);
        if (dataStart + compressed > length) {
          throw new IOException("zip entry " + name + " ends after the end of the file (truncated?)");
        }
        String key = name.endsWith(".npy") ? name.substring(0, name.length() - 4) : name;
        entries.put(key, new Entry(key, method == DEFLATED, compressed, size, dataStart));
      }
      return new NpzFile(file, entries);
    }
  }

  /**
   * The uncompressed bytes of an entry from its start (the caller closes the stream). Only what
   * is read is inflated.
   */
  public InputStream stream(Entry entry) throws IOException {
    FileChannel ch = FileChannel.open(file, StandardOpenOption.READ);
    ch.position(entry.dataStart());
    InputStream raw = new BufferedInputStream(Channels.newInputStream(ch), 1 << 16);
    if (!entry.deflated()) {
      return raw;
    }
    Inflater inflater = new Inflater(true);
    return new InflaterInputStream(raw, inflater, 1 << 16) {
      @Override
      public void close() throws IOException {
        super.close();
        inflater.end();
      }
    };
  }

  private static ByteBuffer read(FileChannel ch, long position, int length) throws IOException {
    if (position < 0 || position + length > ch.size()) {
      throw new IOException("zip structure points outside the file (truncated or corrupt)");
    }
    ByteBuffer buf = ByteBuffer.allocate(length).order(ByteOrder.LITTLE_ENDIAN);
    while (buf.hasRemaining()) {
      if (ch.read(buf, position + buf.position()) < 0) {
        throw new IOException("unexpected end of file");
      }
    }
    return buf.flip();
  }
}
