package org.restorelab.run;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;

/** Removing folder trees. */
public final class Folders {
  private Folders() {}

  /** Deletes everything inside {@code dir}, keeping {@code dir} itself; nothing if it does not exist. */
  public static void deleteContents(Path dir) throws IOException {
    deleteContents(dir, null);
  }

  /** Deletes everything inside {@code dir} except its direct child named {@code keep} (if not null). */
  public static void deleteContents(Path dir, String keep) throws IOException {
    if (!Files.exists(dir)) {
      return;
    }
    Path kept = keep == null ? null : dir.resolve(keep);
    try (Stream<Path> walk = Files.walk(dir)) {
      for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
        if (!p.equals(dir) && !p.equals(kept)) {
          Files.delete(p);
        }
      }
    }
  }

  /** Deletes {@code dir} and everything in it; nothing if it does not exist. */
  public static void delete(Path dir) throws IOException {
    deleteContents(dir);
    Files.deleteIfExists(dir);
  }
}
