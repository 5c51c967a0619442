package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.TrainingLoop;

/**
 * Every checkpoint carries a CRC32C; a perturbed, flipped or truncated one is refused on resume
 * (exit 2, the file named), and the divergence stop names a checkpoint only if it passes.
 */
class CheckpointIntegrityTest {
  @TempDir static Path shared;
  private static Path trained;
  private static byte[] intact;

  @BeforeAll
  static void train() throws Exception {
    trained = shared.resolve("t");
    Cli.Run r = Cli.run("train", "--config", Cli.TINY, "--variant", "ErraticGAN", "--out", trained.toString(),
        "--set", "toy_reproduction.base.steps=10");
    assertThat(r.exit()).as(r.err()).isZero();
    intact = Files.readAllBytes(trained.resolve(Checkpoint.FILE));
  }

  @Test
  void theFileEndsWithTheCrc32cOfEverythingBeforeIt() {
    // independent of Checkpoint's reader: the last line is "CRC32C <hex>" over the bytes before "\n" + it
    int trailer = 1 + "CRC32C ".length() + 8 + 1;
    String last = new String(intact, intact.length - trailer, trailer, java.nio.charset.StandardCharsets.US_ASCII);
    CRC32C crc = new CRC32C();
    crc.update(intact, 0, intact.length - trailer);
    assertThat(last).isEqualTo(String.format("\nCRC32C %08x\n", crc.getValue()));
    assertThat(new String(intact, 0, 17, java.nio.charset.StandardCharsets.US_ASCII)).isEqualTo("RESTORELAB-CKPT 2");
  }

  @Test
  void perturbedFloatsFlippedBytesAndTruncationAreRefusedNamingTheFile(@TempDir Path dir) throws Exception {
    int payloadStart = indexOfSecondNewline(intact) + 1;
    // 128 floats perturbed by one ulp: the file stays the same length and parses
    byte[] perturbed = intact.clone();
    ByteBuffer b = ByteBuffer.wrap(perturbed).order(ByteOrder.LITTLE_ENDIAN);
    for (int i = 0; i < 128; i++) {
      int at = payloadStart + 4 * i;
      b.putFloat(at, Math.nextUp(b.getFloat(at)));
    }
    byte[] flipped = intact.clone();
    SplittableRandom random = new SplittableRandom(7);
    for (int i = 0; i < 10; i++) {
      int at = payloadStart + random.nextInt(intact.length - 20 - payloadStart);
      flipped[at] ^= (byte) (1 << random.nextInt(8));
    }
    byte[] truncated = java.util.Arrays.copyOf(intact, intact.length / 2);
    Map<String, byte[]> cases = new LinkedHashMap<>();
    cases.put("perturbed", perturbed);
    cases.put("flipped", flipped);
    cases.put("truncated", truncated);
    for (Map.Entry<String, byte[]> c : cases.entrySet()) {
      Path run = dir.resolve(c.getKey());
      copyRun(trained, run);
      Files.write(run.resolve(Checkpoint.FILE), c.getValue());
      Cli.Run r = Cli.run("train", "--out", run.toString(), "--resume", "--set", "toy_gan.steps=20");
      assertThat(r.exit()).as(c.getKey() + ": " + r.err()).isEqualTo(2);
      assertThat(r.errLines()).as(c.getKey()).hasSize(1);
      assertThat(r.err()).contains("checkpoint " + run.resolve(Checkpoint.FILE))
          .contains(c.getKey().equals("truncated") ? "is truncated" : "CRC32C check fails");
      assertThat(Cli.json(run.resolve("run.json")).get("status").getAsString()).isEqualTo("failed");
    }
  }

  @Test
  void theDivergenceStopNamesACheckpointOnlyIfItPassesItsCheck(@TempDir Path dir) throws Exception {
    Files.write(dir.resolve(Checkpoint.FILE), intact);
    TrainingLoop loop = new TrainingLoop(dir, List.of("loss"), 100, 1, 1000);
    assertThatThrownBy(() -> loop.run(null, null, 10, new PrintWriter(new StringWriter()), s -> new double[] {Double.NaN},
        null)).hasMessageContaining("the last good checkpoint is " + dir.resolve(Checkpoint.FILE) + " (step 10)");

    byte[] corrupt = intact.clone();
    corrupt[corrupt.length / 2] ^= 1;
    Files.write(dir.resolve(Checkpoint.FILE), corrupt);
    assertThatThrownBy(() -> loop.run(null, null, 10, new PrintWriter(new StringWriter()), s -> new double[] {Double.NaN},
        null)).hasMessageContaining("fails its integrity check").hasMessageNotContaining("last good checkpoint");

    Files.delete(dir.resolve(Checkpoint.FILE));
    assertThatThrownBy(() -> loop.run(null, null, 0, new PrintWriter(new StringWriter()), s -> new double[] {Double.NaN},
        null)).hasMessageContaining("no checkpoint was written").hasMessageNotContaining("last good checkpoint");
  }

  @Test
  void aForeignFileIsNotACheckpoint(@TempDir Path dir) throws Exception {
    Files.writeString(dir.resolve("x.bin"), "hello\nworld\n");
    assertThatThrownBy(() -> Checkpoint.read(dir.resolve("x.bin"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("is not a RestoreLab checkpoint");
  }

  @Test
  void aVersionOneCheckpointStillLoads(@TempDir Path dir) throws Exception {
    // version 1: magic line, header line, float32 values; no checksum
    ByteBuffer values = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putFloat(1.5f).putFloat(-2f);
    byte[] head = "RESTORELAB-CKPT 1\n{\"step\":7,\"variables\":[{\"name\":\"w\",\"shape\":[2]}]}\n"
        .getBytes(java.nio.charset.StandardCharsets.UTF_8);
    byte[] file = java.util.Arrays.copyOf(head, head.length + 8);
    System.arraycopy(values.array(), 0, file, head.length, 8);
    Files.write(dir.resolve("v1.bin"), file);
    Checkpoint c = Checkpoint.read(dir.resolve("v1.bin"));
    assertThat(c.step()).isEqualTo(7);
    assertThat(c.variables().get("w").values()).containsExactly(1.5f, -2f);
  }

  @Test
  void theLoopStateTravelsInTheCheckpointAndAnOlderFileHasNone(@TempDir Path dir) throws Exception {
    Map<String, Checkpoint.Tensor> vars = new LinkedHashMap<>();
    vars.put("w", new Checkpoint.Tensor(new long[] {2}, new float[] {1.5f, -2f}));
    new Checkpoint(4, vars, Map.of("critic_flat_steps", 17.0, "r1_last", 1.1766359442333396E-8))
        .write(dir.resolve("s.bin"));
    Checkpoint c = Checkpoint.read(dir.resolve("s.bin"));
    assertThat(c.state()).containsExactlyInAnyOrderEntriesOf(Map.of("critic_flat_steps", 17.0, "r1_last",
        1.1766359442333396E-8));
    assertThat(c.variables().get("w").values()).containsExactly(1.5f, -2f);
    // the step and state live in the checksummed header
    assertThat(new String(Files.readAllBytes(dir.resolve("s.bin")), java.nio.charset.StandardCharsets.ISO_8859_1))
        .contains("\"state\":{\"critic_flat_steps\":17.0,\"r1_last\":1.1766359442333396E-8}");
    new Checkpoint(4, vars).write(dir.resolve("none.bin"));
    assertThat(Checkpoint.read(dir.resolve("none.bin")).state()).isEmpty();
    assertThat(Checkpoint.read(trained.resolve(Checkpoint.FILE)).state()).isEmpty(); // the toy GAN keeps none
  }

  private static int indexOfSecondNewline(byte[] b) {
    int seen = 0;
    for (int i = 0; i < b.length; i++) {
      if (b[i] == '\n' && ++seen == 2) {
        return i;
      }
    }
    throw new AssertionError("no header");
  }

  private static void copyRun(Path from, Path to) throws Exception {
    try (var files = Files.walk(from)) {
      for (Path p : files.toList()) {
        Path target = to.resolve(from.relativize(p).toString());
        if (Files.isDirectory(p)) {
          Files.createDirectories(target);
        } else if (!p.getFileName().toString().equals(org.restorelab.run.FolderLock.FILE)) {
          Files.copy(p, target);
        }
      }
    }
  }
}
