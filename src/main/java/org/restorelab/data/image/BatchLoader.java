package org.restorelab.data.image;

import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.restorelab.run.Seeds;

/**
 * Training batches of an {@link ImageSet} that depend only on (seed, step): the images are taken
 * in the order of one random permutation per epoch, drawn from {@code Seeds.random(seed,
 * seedPath + "/epoch/" + e)}, and the batch of step t is positions [t * B, (t + 1) * B) of the
 * concatenated epochs (a batch may straddle two epochs). A resumed run therefore sees the same
 * batches as an uninterrupted one. Background daemon threads read ahead {@code prefetch} steps
 * past the last step asked for; an error there surfaces on the calling thread with its message.
 *
 * <p>Bad files: without skipping, an {@link ImageDataException} stops the caller. With skipping,
 * the bad file is recorded ({@link #skipped()}) and its place in the batch is taken by another
 * image drawn from {@code Seeds.random(seed, seedPath + "/substitute/" + step + "/" + position)}
 * (drawing again while the draw is bad too), so the substitutes also depend only on (seed, step).
 *
 * <p>Up to four worker threads may read different batches at once, so the set must allow
 * concurrent {@link ImageSet#read} calls (the sets of this package do).
 */
public final class BatchLoader implements AutoCloseable {
  /** A file that could not be read, and why. */
  public record SkippedFile(String source, String reason) {}

  /** Substitute draws for one bad image before giving up: the data is then mostly bad. */
  static final int MAX_SUBSTITUTE_DRAWS = 1000;

  private final ImageSet set;
  private final int batchSize;
  private final long seed;
  private final String seedPath;
  private final int prefetch;
  private final boolean skipBadFiles;
  private final ExecutorService workers;
  private final Map<Long, Future<float[]>> pending = new HashMap<>(); // guarded by this
  private final BadFiles bad = new BadFiles();
  private final Map<Long, int[]> permutations = new HashMap<>(); // guarded by itself; the last two epochs
  private boolean closed;

  /**
   * @param prefetch steps read ahead in the background; 0 reads each batch on the calling thread
   * @param skipBadFiles substitute unreadable images instead of failing (ImageDataConfig.skip_bad_files)
   */
  public BatchLoader(ImageSet set, int batchSize, long seed, String seedPath, int prefetch, boolean skipBadFiles) {
    if (batchSize < 1 || prefetch < 0) {
      throw new IllegalArgumentException("batch size " + batchSize + " must be positive and prefetch " + prefetch
          + " non-negative");
    }
    if (set.size() < 1) {
      throw new IllegalArgumentException("cannot draw batches from an empty image set");
    }
    this.set = set;
    this.batchSize = batchSize;
    this.seed = seed;
    this.seedPath = seedPath;
    this.prefetch = prefetch;
    this.skipBadFiles = skipBadFiles;
    int threads = Math.max(1, Math.min(Math.min(prefetch, 4), Runtime.getRuntime().availableProcessors() / 2));
    AtomicInteger count = new AtomicInteger();
    this.workers = prefetch == 0 ? null : Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "restorelab-batches-" + count.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
  }

  public int batchSize() {
    return batchSize;
  }

  /** The image indices of step {@code step}'s batch (before any bad-file substitution). */
  public int[] indices(long step) {
    if (step < 0) {
      throw new IllegalArgumentException("step " + step + " is negative");
    }
    int n = set.size();
    int[] out = new int[batchSize];
    long position = step * batchSize;
    for (int j = 0; j < batchSize; j++, position++) {
      out[j] = permutation(position / n)[(int) (position % n)];
    }
    return out;
  }

  private int[] permutation(long epoch) {
    synchronized (permutations) {
      int[] p = permutations.get(epoch);
      if (p == null) {
        p = new int[set.size()];
        SplittableRandom random = Seeds.random(seed, seedPath + "/epoch/" + epoch);
        for (int i = 0; i < p.length; i++) {
          int j = random.nextInt(i + 1); // inside-out Fisher-Yates
          p[i] = p[j];
          p[j] = i;
        }
        permutations.keySet().removeIf(e -> e < epoch - 1 || e > epoch + 1);
        permutations.put(epoch, p);
      }
      return p;
    }
  }

  /** The batch of step {@code step}: batch size x height x width x 3 floats (NHWC). */
  public float[] batch(long step) {
    Future<float[]> future;
    synchronized (this) {
      if (closed) {
        throw new IllegalStateException("the batch loader is closed");
      }
      if (workers == null) {
        future = null;
      } else {
        future = pending.remove(step);
        if (future == null) {
          future = workers.submit(() -> read(step));
        }
        for (Iterator<Map.Entry<Long, Future<float[]>>> it = pending.entrySet().iterator(); it.hasNext(); ) {
          Map.Entry<Long, Future<float[]>> e = it.next();
          if (e.getKey() < step || e.getKey() > step + prefetch) {
            e.getValue().cancel(false);
            it.remove();
          }
        }
        for (long s = step + 1; s <= step + prefetch; s++) {
          long ahead = s;
          pending.computeIfAbsent(s, k -> workers.submit(() -> read(ahead)));
        }
      }
    }
    if (future == null) {
      return read(step);
    }
    try {
      return future.get();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while waiting for the batch of step " + step, e);
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof ImageDataException) {
        throw new ImageDataException(cause.getMessage(), cause);
      }
      if (cause instanceof Error error) {
        throw error;
      }
      throw new IllegalStateException(cause.getMessage(), cause);
    }
  }

  private float[] read(long step) {
    int[] indices = indices(step);
    int pixels = set.pixels();
    float[] out = new float[batchSize * pixels];
    for (int j = 0; j < batchSize; j++) {
      if (tryRead(indices[j], out, j * pixels)) {
        continue;
      }
      SplittableRandom random = Seeds.random(seed, seedPath + "/substitute/" + step + "/" + j);
      boolean done = false;
      for (int k = 0; k < MAX_SUBSTITUTE_DRAWS && !done; k++) {
        done = tryRead(random.nextInt(set.size()), out, j * pixels);
      }
      if (!done) {
        throw new ImageDataException(MAX_SUBSTITUTE_DRAWS + " substitute images for a bad file in the batch of step "
            + step + " were all bad too (" + bad.count() + " bad files so far, e.g. " + bad.sorted().get(0) + ")");
      }
    }
    return out;
  }

  /** Reads one image; false if it is bad and skipping is on. */
  private boolean tryRead(int index, float[] dst, int offset) {
    if (!skipBadFiles) {
      set.read(index, dst, offset);
      return true;
    }
    return bad.tryRead(set, index, dst, offset);
  }

  /** The distinct bad files skipped so far, sorted by source; empty without skipping. */
  public List<SkippedFile> skipped() {
    return bad.sorted();
  }

  /** Lists on {@code console} the bad files that {@code loaders} (null ones ignored) skipped, if any. */
  public static void reportSkipped(java.io.PrintWriter console, BatchLoader... loaders) {
    java.util.TreeMap<String, SkippedFile> all = new java.util.TreeMap<>();
    for (BatchLoader l : loaders) {
      if (l != null) {
        l.skipped().forEach(f -> all.putIfAbsent(f.source(), f));
      }
    }
    if (!all.isEmpty()) {
      console.println("skipped " + all.size() + " bad file(s) (data.skip_bad_files), each replaced by another image: "
          + String.join("; ", all.values().stream().map(f -> f.source() + " (" + f.reason() + ")").toList()));
      console.flush();
    }
  }

  /** Images {@code indices} of {@code set}, in order, as NHWC floats; a bad file is an error. */
  public static float[] readAll(ImageSet set, int[] indices) {
    int pixels = set.pixels();
    float[] out = new float[indices.length * pixels];
    for (int j = 0; j < indices.length; j++) {
      set.read(indices[j], out, j * pixels);
    }
    return out;
  }

  @Override
  public synchronized void close() {
    closed = true;
    pending.clear();
    if (workers != null) {
      workers.shutdownNow();
    }
  }
}
