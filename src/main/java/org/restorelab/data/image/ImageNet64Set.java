package org.restorelab.data.image;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ImageNet64DataConfig;

/**
 * ImageNet 64x64 (Chrabaszcz et al. 2017) from its npz batches: the array {@code data}, uint8
 * rows of 3 * s * s values, channels first (the R plane, then G, then B), s the image size. The
 * pixels stay uint8 until read: a stored (np.savez) array is memory-mapped where it lies in the
 * npz; a deflated (np.savez_compressed) one is inflated once, on first use, into an unlinked
 * temporary file that is memory-mapped. Images are numbered through the files in order.
 */
public final class ImageNet64Set implements ImageSet {
  private final int size;
  private final int rowBytes;
  private final List<Batch> batches = new ArrayList<>();
  private final long[] starts; // first image index of each batch, then the total
  private final int total;

  public ImageNet64Set(ImageNet64DataConfig config, int imageSize, Split split) {
    List<String> patterns = split == Split.TRAIN ? config.getTrainFilesList() : config.getValidationFilesList();
    String field = split == Split.TRAIN ? "imagenet64.train_files" : "imagenet64.validation_files";
    if (patterns.isEmpty()) {
      throw new ConfigException(field + " is empty: give the " + split.label() + " npz files (globs allowed)");
    }
    this.size = imageSize;
    this.rowBytes = 3 * imageSize * imageSize;
    Set<Path> files = new LinkedHashSet<>();
    for (String pattern : patterns) {
      files.addAll(PathGlobs.expand(pattern));
    }
    starts = new long[files.size() + 1];
    int k = 0;
    for (Path file : files) {
      Batch b = new Batch(file);
      batches.add(b);
      starts[k + 1] = starts[k] + b.rows;
      k++;
    }
    if (starts[k] > Integer.MAX_VALUE) {
      throw new ImageDataException("the " + split.label() + " npz files hold " + starts[k] + " images, more than "
          + Integer.MAX_VALUE);
    }
    total = (int) starts[k];
    if (total == 0) {
      throw new ImageDataException("the " + split.label() + " npz files " + files + " hold no images");
    }
  }

  @Override
  public int size() {
    return total;
  }

  @Override
  public int height() {
    return size;
  }

  @Override
  public int width() {
    return size;
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    int b = batchOf(index);
    byte[] row = new byte[rowBytes];
    batches.get(b).row((int) (index - starts[b]), row);
    int plane = size * size;
    for (int p = 0; p < plane; p++) {
      int o = offset + 3 * p;
      dst[o] = (row[p] & 0xff) / 255f;
      dst[o + 1] = (row[plane + p] & 0xff) / 255f;
      dst[o + 2] = (row[2 * plane + p] & 0xff) / 255f;
    }
  }

  @Override
  public String describe(int index) {
    int b = batchOf(index);
    return batches.get(b).file + "#" + (index - starts[b]);
  }

  private int batchOf(int index) {
    if (index < 0 || index >= total) {
      throw new IndexOutOfBoundsException("image " + index + " of " + total);
    }
    int i = java.util.Arrays.binarySearch(starts, index);
    int b = i >= 0 ? i : -i - 2;
    while (starts[b + 1] == starts[b]) { // skip empty files
      b++;
    }
    return b;
  }

  /** One npz file's {@code data} array, uint8 rows, memory-mapped in chunks of whole rows. */
  private final class Batch {
    final Path file;
    final int rows;
    private final NpzFile npz;
    private final NpzFile.Entry entry;
    private final int headerLength;
    private volatile ByteBuffer[] chunks;
    private final int rowsPerChunk;

    Batch(Path file) {
      this.file = file;
      NpyHeader header;
      try {
        npz = NpzFile.open(file);
        entry = npz.entries().get("data");
        if (entry == null) {
          throw new ImageDataException(file + ": no array 'data' (the npz holds " + npz.entries().keySet() + ")");
        }
        try (InputStream in = npz.stream(entry)) {
          header = NpyHeader.read(in);
        }
      } catch (IOException e) {
        throw new ImageDataException("cannot read npz file " + file + ": " + e.getMessage(), e);
      }
      String expected = "[N, " + rowBytes + "] of uint8 (|u1)";
      String found = header.shapeText() + " of " + header.descr();
      if (!header.descr().matches("[|<>=]?u1") || header.shape().length != 2 || header.shape()[1] != rowBytes) {
        throw new ImageDataException(file + ": array 'data' must have shape " + expected + " for " + size + "x" + size
            + " images (3 * " + size + " * " + size + " channels-first values per row), found " + found);
      }
      if (header.fortranOrder()) {
        throw new ImageDataException(file + ": array 'data' is in Fortran (column-major) order; expected C order rows");
      }
      if (header.shape()[0] > Integer.MAX_VALUE) {
        throw new ImageDataException(file + ": array 'data' has " + header.shape()[0] + " rows");
      }
      rows = (int) header.shape()[0];
      headerLength = header.length();
      if (entry.size() < headerLength + (long) rows * rowBytes) {
        throw new ImageDataException(file + ": array 'data' of shape " + header.shapeText() + " needs "
            + (headerLength + (long) rows * rowBytes) + " bytes, the npz entry has " + entry.size() + " (truncated?)");
      }
      rowsPerChunk = Math.max(1, Integer.MAX_VALUE / rowBytes);
      if (!entry.deflated()) {
        chunks = map(file, entry.dataStart() + headerLength);
      }
    }

    void row(int r, byte[] dst) {
      ByteBuffer[] c = chunks;
      if (c == null) {
        c = inflate();
      }
      c[r / rowsPerChunk].get((r % rowsPerChunk) * rowBytes, dst, 0, rowBytes);
    }

    /** Inflates the array into a temporary file, maps it and unlinks the file. */
    private synchronized ByteBuffer[] inflate() {
      if (chunks != null) {
        return chunks;
      }
      Path tmp = null;
      try {
        tmp = Files.createTempFile("restorelab-npz-", ".u8");
        try (InputStream in = npz.stream(entry); OutputStream out = Files.newOutputStream(tmp)) {
          in.readNBytes(headerLength);
          long remaining = (long) rows * rowBytes;
          byte[] buf = new byte[1 << 20];
          while (remaining > 0) {
            int n = in.read(buf, 0, (int) Math.min(buf.length, remaining));
            if (n < 0) {
              throw new IOException("the deflated array ends " + remaining + " bytes early (truncated?)");
            }
            out.write(buf, 0, n);
            remaining -= n;
          }
        }
        chunks = map(tmp, 0);
        return chunks;
      } catch (IOException e) {
        throw new ImageDataException("cannot inflate array 'data' of npz file " + file + ": " + e.getMessage(), e);
      } finally {
        if (tmp != null) {
          try {
            Files.deleteIfExists(tmp); // the mapping stays valid where the OS allows unlinking
          } catch (IOException e) {
            tmp.toFile().deleteOnExit();
          }
        }
      }
    }

    private ByteBuffer[] map(Path source, long start) {
      int n = rows == 0 ? 0 : (rows - 1) / rowsPerChunk + 1;
      ByteBuffer[] out = new ByteBuffer[n];
      try (FileChannel ch = FileChannel.open(source, StandardOpenOption.READ)) {
        for (int i = 0; i < n; i++) {
          int chunkRows = Math.min(rowsPerChunk, rows - i * rowsPerChunk);
          out[i] = ch.map(FileChannel.MapMode.READ_ONLY, start + (long) i * rowsPerChunk * rowBytes,
              (long) chunkRows * rowBytes);
        }
      } catch (IOException e) {
        throw new ImageDataException("cannot memory-map the array 'data' of npz file " + file + ": " + e.getMessage(), e);
      }
      return out;
    }
  }
}
