package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.security.MessageDigest;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A reproduction killed mid-run and resumed writes its SavedModels only into its own run folder:
 * with {@code savedmodel_dir} set to the repository's committed {@code savedmodels/toy/effective}
 * (a relative path), the repository's {@code savedmodels/} tree is made read-only during the
 * resumed run and must come out byte for byte and file for file the same. (Write bits do not stop
 * root, so the digest of the tree is the check; the read-only bits make a non-root run fail loudly
 * as well.)
 */
class ReproductionStaysInItsFolderTest {
  private static final Path REPOSITORY_SAVEDMODELS = Path.of("savedmodels");

  @Test
  void aKilledAndResumedReproductionWritesNothingOutsideItsFolder(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("repro");
    String[] args = {"reproduce", "toy", "--config", Cli.TINY, "--out", out.toString(),
        "--set", "toy_reproduction.savedmodel_dir=savedmodels/toy/effective",
        "--set", "toy_reproduction.base.steps=400", "--set", "toy_reproduction.base.checkpoint_every=20"};
    String before = digest(REPOSITORY_SAVEDMODELS);
    Process first = Cli.start(dir.resolve("first.log"), args);
    try {
      awaitTraining(out, dir.resolve("first.log"));
    } finally {
      first.destroyForcibly();
      assertThat(first.waitFor(60, TimeUnit.SECONDS)).isTrue();
    }
    List<Path> tree = files(REPOSITORY_SAVEDMODELS);
    tree.forEach(ReproductionStaysInItsFolderTest::readOnly);
    try {
      Cli.Run resumed = Cli.run("reproduce", "toy", "--out", out.toString(), "--resume");
      assertThat(resumed.exit()).as(resumed.out() + resumed.err()).isZero();
      assertThat(resumed.out()).contains("resuming from step");
    } finally {
      tree.forEach(ReproductionStaysInItsFolderTest::writable);
    }
    assertThat(digest(REPOSITORY_SAVEDMODELS)).isEqualTo(before);
    for (String variant : List.of("ErraticGAN", "StoRobustGAN", "handcrafted/X_hat_Robust")) {
      assertThat(out.resolve("savedmodels/toy/effective").resolve(variant).resolve("saved_model.pb")).exists();
    }
    assertThat(Cli.json(out.resolve("run.json")).getAsJsonArray("earlier_sessions").get(0).getAsJsonObject()
        .get("status").getAsString()).isEqualTo("killed");

    // a path that leaves the run folder is refused before any work
    Cli.Run outside = Cli.run("reproduce", "toy", "--config", Cli.TINY, "--out", dir.resolve("o").toString(),
        "--set", "toy_reproduction.savedmodel_dir=../elsewhere");
    assertThat(outside.exit()).isEqualTo(2);
    assertThat(outside.err()).contains("savedmodel_dir", "inside the run folder");
    assertThat(dir.resolve("o")).doesNotExist();
  }

  /** Waits until the first variant has written a checkpoint, so the kill lands mid-training. */
  private static void awaitTraining(Path out, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
    while (true) {
      Path training = out.resolve("training");
      if (Files.isDirectory(training)) {
        try (Stream<Path> s = Files.walk(training)) {
          if (s.anyMatch(p -> p.getFileName().toString().equals("checkpoint.bin"))) {
            return;
          }
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("training did not start: " + Files.readString(log));
      }
      Thread.sleep(50);
    }
  }

  private static List<Path> files(Path root) throws IOException {
    try (Stream<Path> s = Files.walk(root)) {
      return s.sorted().toList();
    }
  }

  /** SHA-256 over every path, size and content under {@code root}. */
  private static String digest(Path root) throws Exception {
    MessageDigest md = MessageDigest.getInstance("SHA-256");
    for (Path p : files(root)) {
      md.update(root.relativize(p).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
      if (Files.isRegularFile(p)) {
        md.update(Files.readAllBytes(p));
      }
    }
    return HexFormat.of().formatHex(md.digest());
  }

  private static void readOnly(Path p) {
    try {
      Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
      perms.removeAll(Set.of(PosixFilePermission.OWNER_WRITE, PosixFilePermission.GROUP_WRITE,
          PosixFilePermission.OTHERS_WRITE));
      Files.setPosixFilePermissions(p, perms);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }

  private static void writable(Path p) {
    try {
      Set<PosixFilePermission> perms = EnumSet.copyOf(Files.getPosixFilePermissions(p));
      perms.add(PosixFilePermission.OWNER_WRITE);
      Files.setPosixFilePermissions(p, perms);
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
