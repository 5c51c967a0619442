package org.restorelab.run;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import org.restorelab.config.ConfigException;

/**
 * The exclusive lock a run holds on its output folder for the whole run: an operating-system
 * lock on {@code <folder>/.restorelab.lock}, which holds the holder's PID and start time. A
 * second process that opens the folder is refused (exit 2) with that PID named. The operating
 * system releases the lock when the holder's process ends, however it ends (SIGKILL included),
 * so a folder whose lock is free and whose {@code run.json} still says "running" was left by a
 * process that was killed.
 *
 * <p>Within one JVM the lock is counted: opening a folder that this JVM already holds shares the
 * lock (POSIX locks belong to a process, not to a thread or channel), and it is released when
 * every opener has closed it. The lock file itself is never deleted, so that two processes can
 * never lock two different files of the same name.
 */
public final class FolderLock implements AutoCloseable {
  /** The lock file's name inside a run folder. */
  public static final String FILE = ".restorelab.lock";

  private static final Map<Path, Held> HELD = new HashMap<>();

  private static final class Held {
    final FileChannel channel;
    final FileLock lock;
    int count;

    Held(FileChannel channel, FileLock lock) {
      this.channel = channel;
      this.lock = lock;
    }
  }

  private final Path key;
  private boolean closed;

  private FolderLock(Path key) {
    this.key = key;
  }

  /** Locks {@code dir} (which must exist) for this process, or refuses naming the holder's PID. */
  public static FolderLock acquire(Path dir) {
    Path key = dir.toAbsolutePath().normalize();
    synchronized (HELD) {
      Held held = HELD.get(key);
      if (held == null) {
        held = open(key);
        HELD.put(key, held);
      }
      held.count++;
      return new FolderLock(key);
    }
  }

  private static Held open(Path dir) {
    Path file = dir.resolve(FILE);
    FileChannel channel;
    try {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the lock file " + file + ": " + e.getMessage(), e);
    }
    try {
      FileLock lock;
      try {
        lock = channel.tryLock();
      } catch (OverlappingFileLockException e) {
        lock = null;
      }
      if (lock == null) {
        String holder = holder(channel);
        channel.close();
        throw new ConfigException("output folder " + dir + " is in use by another restorelab process (" + holder
            + "); wait for it to end, or choose another --out");
      }
      String me = "PID " + ProcessHandle.current().pid() + ", since " + Instant.now();
      channel.truncate(0);
      channel.write(ByteBuffer.wrap((me + "\n").getBytes(StandardCharsets.UTF_8)), 0);
      channel.force(false);
      return new Held(channel, lock);
    } catch (IOException e) {
      try {
        channel.close();
      } catch (IOException ignored) {
        // the open failure is the one to report
      }
      throw new UncheckedIOException("cannot lock " + file + ": " + e.getMessage(), e);
    }
  }

  /** What the lock file says of its holder ("PID 1234, since ..."). */
  private static String holder(FileChannel channel) throws IOException {
    ByteBuffer buf = ByteBuffer.allocate(256);
    channel.read(buf, 0);
    String text = new String(buf.array(), 0, buf.position(), StandardCharsets.UTF_8).trim();
    return text.isEmpty() ? "PID unknown" : text;
  }

  @Override
  public void close() {
    synchronized (HELD) {
      if (closed) {
        return;
      }
      closed = true;
      Held held = HELD.get(key);
      if (held != null && --held.count == 0) {
        HELD.remove(key);
        try {
          held.lock.release();
          held.channel.close();
        } catch (IOException e) {
          throw new UncheckedIOException("cannot release the lock of " + key, e);
        }
      }
    }
  }
}
