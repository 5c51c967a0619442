package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ImageFolderDataConfig;

class BatchLoaderTest {
  /** 2x2 images whose every value is index / 100; the indices in {@code bad} fail to read. */
  private static final class IndexImages implements ImageSet {
    final int n;
    final Set<Integer> bad;
    volatile Thread lastReader;

    IndexImages(int n, Integer... bad) {
      this.n = n;
      this.bad = Set.of(bad);
    }

    @Override
    public int size() {
      return n;
    }

    @Override
    public int height() {
      return 2;
    }

    @Override
    public int width() {
      return 2;
    }

    @Override
    public void read(int index, float[] dst, int offset) {
      lastReader = Thread.currentThread();
      if (bad.contains(index)) {
        throw new ImageDataException("image " + index + " is corrupt");
      }
      Arrays.fill(dst, offset, offset + pixels(), index / 100f);
    }

    @Override
    public String describe(int index) {
      return "image-" + index;
    }
  }

  /** The image index of each batch element. */
  private static int[] contents(float[] batch, int batchSize) {
    int[] out = new int[batchSize];
    for (int j = 0; j < batchSize; j++) {
      out[j] = Math.round(batch[j * 12] * 100);
    }
    return out;
  }

  @Test
  void batchesDependOnlyOnSeedAndStepAndResumeIdentically() {
    IndexImages set = new IndexImages(23);
    try (BatchLoader a = new BatchLoader(set, 4, 7, "train/batches", 3, false);
         BatchLoader b = new BatchLoader(set, 4, 7, "train/batches", 0, false);
         BatchLoader resumed = new BatchLoader(set, 4, 7, "train/batches", 2, false);
         BatchLoader other = new BatchLoader(set, 4, 8, "train/batches", 3, false)) {
      float[][] first = new float[20][];
      for (int t = 0; t < 20; t++) {
        first[t] = a.batch(t);
        assertThat(first[t]).hasSize(4 * 12);
        assertThat(contents(first[t], 4)).containsExactly(a.indices(t));
        assertThat(b.batch(t)).isEqualTo(first[t]);
      }
      for (int t = 12; t < 20; t++) { // a run resumed at step 12
        assertThat(resumed.batch(t)).isEqualTo(first[t]);
      }
      assertThat(resumed.batch(3)).isEqualTo(first[3]); // going back is fine too
      boolean differs = false;
      for (int t = 0; t < 5; t++) {
        differs |= !Arrays.equals(other.batch(t), first[t]);
      }
      assertThat(differs).isTrue();
    }
  }

  @Test
  void eachEpochIsAPermutation() {
    IndexImages set = new IndexImages(10);
    try (BatchLoader loader = new BatchLoader(set, 3, 1, "p", 0, false)) {
      int[] stream = new int[30]; // 3 epochs = 10 steps of 3, batches straddling epochs
      for (int t = 0; t < 10; t++) {
        System.arraycopy(loader.indices(t), 0, stream, 3 * t, 3);
      }
      for (int e = 0; e < 3; e++) {
        int[] epoch = Arrays.copyOfRange(stream, 10 * e, 10 * e + 10);
        Arrays.sort(epoch);
        assertThat(epoch).containsExactly(0, 1, 2, 3, 4, 5, 6, 7, 8, 9);
      }
      assertThat(Arrays.copyOfRange(stream, 0, 10)).isNotEqualTo(Arrays.copyOfRange(stream, 10, 20));
    }
    try (BatchLoader big = new BatchLoader(new IndexImages(3), 7, 1, "p", 0, false)) { // batch > set
      assertThat(big.indices(0)).hasSize(7).containsOnly(0, 1, 2);
    }
  }

  @Test
  void backgroundErrorsSurfaceOnTheCallingThreadWithTheirMessage() {
    IndexImages set = new IndexImages(6, 4);
    try (BatchLoader loader = new BatchLoader(set, 6, 1, "e", 2, false)) {
      assertThatThrownBy(() -> loader.batch(0)).isInstanceOf(ImageDataException.class)
          .hasMessage("image 4 is corrupt");
      assertThat(set.lastReader).isNotSameAs(Thread.currentThread());
      assertThat(set.lastReader.isDaemon()).isTrue();
    }
    try (BatchLoader sync = new BatchLoader(set, 6, 1, "e", 0, false)) {
      assertThatThrownBy(() -> sync.batch(0)).isInstanceOf(ImageDataException.class).hasMessage("image 4 is corrupt");
      assertThat(sync.skipped()).isEmpty();
    }
  }

  @Test
  void skippingSubstitutesBadImagesDeterministicallyAndRecordsThem() {
    IndexImages set = new IndexImages(12, 2, 7);
    try (BatchLoader a = new BatchLoader(set, 5, 3, "s", 2, true);
         BatchLoader b = new BatchLoader(set, 5, 3, "s", 0, true)) {
      Set<Integer> seen = new TreeSet<>();
      for (int t = 0; t < 12; t++) {
        float[] batch = a.batch(t);
        for (int i : contents(batch, 5)) {
          seen.add(i);
        }
        assertThat(b.batch(t)).isEqualTo(batch);
      }
      assertThat(seen).doesNotContain(2, 7).hasSize(10);
      assertThat(a.skipped()).extracting(BatchLoader.SkippedFile::source).containsExactly("image-2", "image-7");
      assertThat(a.skipped().get(0).reason()).isEqualTo("image 2 is corrupt");
      assertThat(b.skipped()).hasSize(2);
    }
    try (BatchLoader hopeless = new BatchLoader(new IndexImages(2, 0, 1), 1, 3, "s", 0, true)) {
      assertThatThrownBy(() -> hopeless.batch(0)).isInstanceOf(ImageDataException.class).hasMessageContaining("bad");
    }
  }

  @Test
  void skippingACorruptFileInAnImageFolder(@TempDir Path dir) throws IOException {
    for (int k = 0; k < 4; k++) {
      int v = k * 60;
      ImageFixtures.write(ImageFixtures.rgb(3, 3, (x, y) -> v << 16), "png", dir.resolve("img" + k + ".png"));
    }
    Files.writeString(dir.resolve("img2.png"), "truncated");
    ImageFolderSet set = new ImageFolderSet(ImageFolderDataConfig.newBuilder().setPath(dir.toString()).build(), 3,
        Split.TRAIN);
    try (BatchLoader loader = new BatchLoader(set, 4, 0, "folder", 1, true)) {
      for (int t = 0; t < 3; t++) {
        float[] batch = loader.batch(t);
        for (int j = 0; j < 4; j++) {
          assertThat(batch[j * set.pixels()]).isNotEqualTo(120 / 255f);
        }
      }
      assertThat(loader.skipped()).hasSize(1);
      assertThat(loader.skipped().get(0).source()).isEqualTo(dir.resolve("img2.png").toString());
      assertThat(loader.skipped().get(0).reason()).contains("img2.png");
    }
  }

  @Test
  void readAllReadsIndicesInOrderAndCloseStopsTheLoader() {
    IndexImages set = new IndexImages(9);
    assertThat(contents(BatchLoader.readAll(set, new int[] {8, 0, 3}), 3)).containsExactly(8, 0, 3);
    BatchLoader loader = new BatchLoader(set, 2, 1, "c", 4, false);
    loader.batch(0);
    loader.close();
    assertThatThrownBy(() -> loader.batch(1)).isInstanceOf(IllegalStateException.class).hasMessageContaining("closed");
  }
}
