package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ProceduralTexturesConfig;
import org.restorelab.data.image.ProceduralTextures.Factors;
import org.restorelab.data.image.ProceduralTextures.Frequency;
import org.restorelab.data.image.ProceduralTextures.Kind;
import org.restorelab.data.image.ProceduralTextures.Overlay;

class ProceduralTexturesTest {
  private static final ProceduralTexturesConfig CONFIG =
      ProceduralTexturesConfig.newBuilder().setTrainSize(5000).setValidationSize(300).build();
  private static final int SIZE = 32;

  private static ProceduralTextures textures(long seed, Split split) {
    return new ProceduralTextures(CONFIG, SIZE, seed, split);
  }

  private static float[] read(ImageSet set, int index) {
    float[] out = new float[set.pixels()];
    set.read(index, out, 0);
    return out;
  }

  @Test
  void imagesAreDeterministicDistinctAndInRange() {
    ProceduralTextures a = textures(7, Split.TRAIN);
    ProceduralTextures b = textures(7, Split.TRAIN);
    ProceduralTextures validation = textures(7, Split.VALIDATION);
    assertThat(a.size()).isEqualTo(5000);
    assertThat(validation.size()).isEqualTo(300);
    assertThat(a.describe(17)).isEqualTo("textures/train/17");
    for (int i = 0; i < 8; i++) {
      float[] x = read(a, i);
      assertThat(read(b, i)).containsExactly(x);
      assertThat(x).isNotEqualTo(read(a, i + 8));
      assertThat(x).isNotEqualTo(read(validation, i));
      assertThat(x).isNotEqualTo(read(textures(8, Split.TRAIN), i));
      for (float v : x) {
        assertThat(v).isBetween(0f, 1f);
      }
    }
  }

  @Test
  void everyKindAndFactorValueOccurs() {
    ProceduralTextures set = textures(11, Split.TRAIN);
    int n = 500;
    int[] card = ProceduralTextures.factorCardinalities();
    int[][] counts = new int[card.length][];
    for (int j = 0; j < card.length; j++) {
      counts[j] = new int[card[j]];
    }
    for (int i = 0; i < n; i++) {
      Factors f = set.factors(i);
      int[] codes = f.codes();
      for (int j = 0; j < card.length; j++) {
        counts[j][codes[j]]++;
      }
      // the factors are consistent with each other
      boolean pure = f.kind() != Kind.SHAPES && f.kind() != Kind.COMPOSITE;
      assertThat(f.overlay() == Overlay.NONE).isEqualTo(pure);
      if (pure) {
        assertThat(f.base().name()).isEqualTo(f.kind().name());
      }
    }
    for (int j = 0; j < card.length; j++) {
      for (int c = 0; c < card[j]; c++) {
        assertThat(counts[j][c])
            .as("%s = %s", ProceduralTextures.factorNames().get(j), c)
            .isGreaterThan(n / 20);
      }
    }
    // kind and frequency are uniform
    for (int c = 0; c < card[0]; c++) {
      assertThat(counts[0][c]).isBetween(n / 5 / 2, 3 * n / 5 / 2);
    }
    for (int c = 0; c < card[1]; c++) {
      assertThat(counts[1][c]).isBetween(n / 3 / 2, 3 * n / 3 / 2);
    }
  }

  @Test
  void stripeEdgeEnergyGrowsWithTheFrequencyFactor() {
    ProceduralTextures set = textures(3, Split.TRAIN);
    Map<Frequency, double[]> sums = new EnumMap<>(Frequency.class);
    for (Frequency f : Frequency.values()) {
      sums.put(f, new double[2]);
    }
    int perBucket = 25;
    for (int i = 0; i < set.size(); i++) {
      Factors f = set.factors(i);
      double[] s = sums.get(f.frequency());
      if (f.kind() != Kind.STRIPES || s[1] >= perBucket) {
        continue;
      }
      s[0] += relativeGradientEnergy(read(set, i), SIZE);
      s[1]++;
      if (sums.values().stream().allMatch(v -> v[1] >= perBucket)) {
        break;
      }
    }
    double low = sums.get(Frequency.LOW)[0] / perBucket;
    double mid = sums.get(Frequency.MID)[0] / perBucket;
    double high = sums.get(Frequency.HIGH)[0] / perBucket;
    // square waves: the share of pixels on an edge grows linearly with the frequency (each
    // bucket doubles it), up to the blur of the box average near Nyquist
    assertThat(mid).isGreaterThan(1.5 * low);
    assertThat(high).isGreaterThan(1.4 * mid);
  }

  @Test
  void writesTheFactorsAsCsv(@TempDir Path dir) throws Exception {
    ProceduralTextures set = textures(7, Split.TRAIN);
    Path csv = dir.resolve("textures.csv");
    set.writeFactorsCsv(csv, new int[] {0, 1});
    List<String> lines = Files.readAllLines(csv);
    assertThat(lines)
        .containsExactly(
            "index,source,kind,frequency,overlay,base",
            "0,textures/train/0," + String.join(",", set.factors(0).valueNames()),
            "1,textures/train/1," + String.join(",", set.factors(1).valueNames()));
  }

  /** Mean squared difference of neighbouring pixels over twice the pixel variance. */
  static double relativeGradientEnergy(float[] x, int size) {
    double mean = 0;
    for (float v : x) {
      mean += v;
    }
    mean /= x.length;
    double var = 0;
    for (float v : x) {
      var += (v - mean) * (v - mean);
    }
    var /= x.length;
    double grad = 0;
    int count = 0;
    for (int y = 0; y < size; y++) {
      for (int xx = 0; xx < size; xx++) {
        for (int c = 0; c < 3; c++) {
          int o = (y * size + xx) * 3 + c;
          if (xx + 1 < size) {
            double d = x[o + 3] - x[o];
            grad += d * d;
            count++;
          }
          if (y + 1 < size) {
            double d = x[o + size * 3] - x[o];
            grad += d * d;
            count++;
          }
        }
      }
    }
    return grad / count / (2 * var + 1e-12);
  }
}
