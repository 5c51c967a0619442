package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The repository's size rules: no committed file over 10 MB, and the committed SavedModels under
 * 50 MB in all. Walks the folders that hold committed files (run folders such as {@code runs/}
 * and build output are not committed and are not walked).
 */
class RepositoryStaysLeanTest {
  private static final long FILE_LIMIT = 10_000_000L;
  private static final long SAVEDMODELS_LIMIT = 50_000_000L;

  @Test
  void noCommittedFolderHoldsAFileOverTenMegabytes() throws IOException {
    for (String folder : List.of("savedmodels", "reports", "configs", "src", "spark/src", "tools")) {
      Path root = Path.of(folder);
      if (!Files.isDirectory(root)) {
        continue;
      }
      try (Stream<Path> files = Files.walk(root)) {
        List<Path> large = files.filter(Files::isRegularFile).filter(f -> size(f) > FILE_LIMIT).toList();
        assertThat(large).as("files over 10 MB under " + folder).isEmpty();
      }
    }
  }

  @Test
  void theSavedModelsTakeUnderFiftyMegabytesInAll() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("savedmodels"))) {
      long total = files.filter(Files::isRegularFile).mapToLong(RepositoryStaysLeanTest::size).sum();
      assertThat(total).as("bytes under savedmodels/").isLessThan(SAVEDMODELS_LIMIT);
    }
  }

  private static long size(Path file) {
    try {
      return Files.size(file);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
