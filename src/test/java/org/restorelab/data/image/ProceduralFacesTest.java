package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ProceduralFacesConfig;

class ProceduralFacesTest {
  private static final ProceduralFacesConfig CONFIG =
      ProceduralFacesConfig.newBuilder().setTrainSize(1000).setValidationSize(200).build();
  private static final int SIZE = 32;

  private static ProceduralFaces faces(long seed, Split split) {
    return new ProceduralFaces(CONFIG, SIZE, seed, split);
  }

  private static float[] read(ImageSet set, int index) {
    float[] out = new float[set.pixels()];
    set.read(index, out, 0);
    return out;
  }

  @Test
  void shapeSizeAndDescription() {
    ProceduralFaces train = faces(7, Split.TRAIN);
    assertThat(train.size()).isEqualTo(1000);
    assertThat(faces(7, Split.VALIDATION).size()).isEqualTo(200);
    assertThat(ProceduralFacesConfig.getDefaultInstance().getTrainSize()).isEqualTo(50000);
    assertThat(train.height()).isEqualTo(SIZE);
    assertThat(train.width()).isEqualTo(SIZE);
    assertThat(train.pixels()).isEqualTo(SIZE * SIZE * 3);
    assertThat(train.describe(17)).isEqualTo("faces/train/17");
    assertThat(faces(7, Split.VALIDATION).describe(3)).isEqualTo("faces/validation/3");
    assertThatThrownBy(() -> train.read(1000, new float[train.pixels()], 0))
        .isInstanceOf(IndexOutOfBoundsException.class)
        .hasMessageContaining("faces/train/1000");
    assertThatThrownBy(() -> train.read(0, new float[train.pixels()], 1))
        .isInstanceOf(IndexOutOfBoundsException.class);
    assertThatThrownBy(() -> new ProceduralFaces(CONFIG, 4, 7, Split.TRAIN))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void imagesAreDeterministicAndDistinct() {
    ProceduralFaces a = faces(7, Split.TRAIN);
    ProceduralFaces b = faces(7, Split.TRAIN);
    ProceduralFaces validation = faces(7, Split.VALIDATION);
    ProceduralFaces otherSeed = faces(8, Split.TRAIN);
    float[] batch = new float[2 * a.pixels()];
    for (int i = 0; i < 6; i++) {
      float[] x = read(a, i);
      assertThat(read(b, i)).containsExactly(x);
      assertThat(x).isNotEqualTo(read(a, i + 6));
      assertThat(x).isNotEqualTo(read(validation, i));
      assertThat(x).isNotEqualTo(read(otherSeed, i));
      assertThat(a.factors(i)).isEqualTo(b.factors(i));
      // read() is render() of the image's factors, and respects the offset
      assertThat(ProceduralFaces.render(a.factors(i), SIZE)).containsExactly(x);
      a.read(i, batch, a.pixels());
      assertThat(Arrays.copyOfRange(batch, a.pixels(), 2 * a.pixels())).containsExactly(x);
      for (float v : x) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void concurrentReadsMatchSequentialOnes() throws Exception {
    ProceduralFaces set = faces(3, Split.TRAIN);
    List<float[]> expected = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      expected.add(read(set, i));
    }
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[]>> got = new ArrayList<>();
      for (int rep = 0; rep < 2; rep++) {
        for (int i = 0; i < 8; i++) {
          int index = i;
          got.add(pool.submit(() -> read(set, index)));
        }
      }
      for (int j = 0; j < got.size(); j++) {
        assertThat(got.get(j).get()).containsExactly(expected.get(j % 8));
      }
    } finally {
      pool.shutdownNow();
    }
  }

  @Test
  void everyFactorValueOccursRoughlyUniformly() {
    ProceduralFaces set = faces(11, Split.TRAIN);
    int n = 500;
    int[] card = ProceduralFaces.factorCardinalities();
    assertThat(card.length).isEqualTo(ProceduralFaces.factorNames().size());
    assertThat(ProceduralFaces.factorValueNames().get(0)).contains("bald", "curly");
    int[][] counts = new int[card.length][];
    for (int j = 0; j < card.length; j++) {
      counts[j] = new int[card[j]];
    }
    for (int i = 0; i < n; i++) {
      int[] codes = set.factors(i).codes();
      for (int j = 0; j < card.length; j++) {
        counts[j][codes[j]]++;
      }
    }
    for (int j = 0; j < card.length; j++) {
      double expected = n / (double) card[j];
      for (int c = 0; c < card[j]; c++) {
        assertThat(counts[j][c])
            .as("%s = %s", ProceduralFaces.factorNames().get(j), c)
            .isBetween((int) (0.5 * expected), (int) (1.5 * expected));
      }
    }
  }

  /**
   * Changing one factor of a face changes only the rows that factor is documented to reach: the
   * identity factors only the upper 3/4, mouth and shirt only the bottom quarter.
   */
  @Test
  void identityFactorsOnlyChangeTheUpperThreeQuarters() {
    for (int size : new int[] {32, 30}) {
      int b = ProceduralFaces.bottomQuarterStart(size);
      SplittableRandom random = new SplittableRandom(5);
      int[] card = ProceduralFaces.factorCardinalities();
      List<String> names = ProceduralFaces.factorNames();
      for (int rep = 0; rep < (size == 32 ? 4 : 1); rep++) {
        ProceduralFaces.Factors base = ProceduralFaces.sample(random);
        float[] x = ProceduralFaces.render(base, size);
        for (int j = 0; j < card.length; j++) {
          boolean bottom = ProceduralFaces.bottomQuarterFactors().contains(names.get(j));
          boolean upper = !names.get(j).equals("mouth") && !names.get(j).equals("shirt");
          for (int c = 0; c < card[j]; c++) {
            if (c == base.codes()[j]) {
              continue;
            }
            float[] y = ProceduralFaces.render(base.with(j, c), size);
            double upperDiff = meanAbsDiff(x, y, size, 0, b);
            double bottomDiff = meanAbsDiff(x, y, size, b, size);
            String what = names.get(j) + " " + base.codes()[j] + " -> " + c + " of " + base;
            if (upper) {
              assertThat(upperDiff).as("upper rows, " + what).isGreaterThan(0);
            } else {
              assertThat(upperDiff).as("upper rows, " + what).isZero();
            }
            if (bottom) {
              assertThat(bottomDiff).as("bottom rows, " + what).isGreaterThan(0);
            } else {
              assertThat(bottomDiff).as("bottom rows, " + what).isZero();
            }
          }
        }
      }
    }
  }

  @Test
  void identityFactorsAreVisibleNotJustDifferent() {
    // hair colour and glasses change the upper 3/4 clearly (mean abs difference per channel)
    ProceduralFaces.Factors base = ProceduralFaces.Factors.fromCodes(0, 0, 0, 0, 0, 1, 1, 0, 0, 0);
    float[] x = ProceduralFaces.render(base, SIZE);
    int b = ProceduralFaces.bottomQuarterStart(SIZE);
    for (int j : new int[] {0, 1, 3}) {
      for (int c = 1; c < ProceduralFaces.factorCardinalities()[j]; c++) {
        float[] y = ProceduralFaces.render(base.with(j, c), SIZE);
        assertThat(meanAbsDiff(x, y, SIZE, 0, b))
            .as("%s -> %s", ProceduralFaces.factorNames().get(j), c)
            .isGreaterThan(0.01);
      }
    }
  }

  @Test
  void writesTheFactorsAsCsv(@TempDir Path dir) throws Exception {
    ProceduralFaces set = faces(7, Split.VALIDATION);
    Path csv = dir.resolve("sub/factors.csv");
    set.writeFactorsCsv(csv, new int[] {4, 0, 9});
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines).hasSize(4);
    assertThat(lines.get(0))
        .isEqualTo("index,source," + String.join(",", ProceduralFaces.factorNames()));
    assertThat(lines.get(1))
        .isEqualTo("4,faces/validation/4," + String.join(",", set.factors(4).valueNames()));
    assertThat(lines.get(3)).startsWith("9,faces/validation/9,");
    try (var files = Files.list(csv.getParent())) {
      assertThat(files).containsExactly(csv); // no temporary file left behind
    }
    assertThatThrownBy(() -> set.writeFactorsCsv(csv, new int[] {200}))
        .isInstanceOf(IndexOutOfBoundsException.class);
  }

  @Test
  void factorsRoundTripThroughCodes() {
    ProceduralFaces set = faces(7, Split.TRAIN);
    for (int i = 0; i < 20; i++) {
      ProceduralFaces.Factors f = set.factors(i);
      assertThat(ProceduralFaces.Factors.fromCodes(f.codes())).isEqualTo(f);
    }
    assertThatThrownBy(() -> ProceduralFaces.Factors.fromCodes(0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> ProceduralFaces.Factors.fromCodes(9, 0, 0, 0, 0, 0, 0, 0, 0, 0))
        .isInstanceOf(IllegalArgumentException.class);
  }

  static double meanAbsDiff(float[] x, float[] y, int size, int rowFrom, int rowTo) {
    double sum = 0;
    for (int i = rowFrom * size * 3; i < rowTo * size * 3; i++) {
      sum += Math.abs(x[i] - y[i]);
    }
    return sum / Math.max(1, (rowTo - rowFrom) * size * 3);
  }
}
