package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PathGlobsTest {
  @Test
  void globsExpandToSortedMatchingFiles(@TempDir Path dir) throws IOException {
    for (String f : new String[] {"b_10.npz", "b_2.npz", "b_1.npz", "other.txt", "deep/x/b_3.npz"}) {
      Files.createDirectories(dir.resolve(f).getParent());
      Files.writeString(dir.resolve(f), "");
    }
    assertThat(PathGlobs.expand(dir + "/b_*.npz"))
        .containsExactly(dir.resolve("b_1.npz"), dir.resolve("b_10.npz"), dir.resolve("b_2.npz"));
    assertThat(PathGlobs.expand(dir + "/b_{1,2}.npz")).containsExactly(dir.resolve("b_1.npz"), dir.resolve("b_2.npz"));
    assertThat(PathGlobs.expand(dir + "/**/b_3.npz")).containsExactly(dir.resolve("deep/x/b_3.npz"));
    assertThat(PathGlobs.expand(dir + "/missing.npz")).containsExactly(dir.resolve("missing.npz")); // not a glob
    assertThatThrownBy(() -> PathGlobs.expand(dir + "/c_*.npz")).isInstanceOf(ImageDataException.class)
        .hasMessageContaining("no files match '" + dir + "/c_*.npz'");
    assertThatThrownBy(() -> PathGlobs.expand(dir + "/none/*.npz")).hasMessageContaining("does not exist");
  }
}
