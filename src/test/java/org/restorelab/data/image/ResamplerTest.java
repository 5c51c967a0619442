package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class ResamplerTest {
  private static final Resampler ANTIALIAS = new Resampler(Resampler.BILINEAR, true);
  private static final Resampler PLAIN = new Resampler(Resampler.BILINEAR, false);

  /** A gray HWC image with value v[y][x] in all three channels. */
  private static float[] gray(double[][] v) {
    int h = v.length;
    int w = v[0].length;
    float[] out = new float[h * w * 3];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        for (int c = 0; c < 3; c++) {
          out[(y * w + x) * 3 + c] = (float) v[y][x];
        }
      }
    }
    return out;
  }

  @Test
  void aConstantImageStaysConstant() {
    float[] img = new float[9 * 13 * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = new float[] {0.25f, 0.5f, 0.75f}[i % 3];
    }
    for (Resampler r : new Resampler[] {ANTIALIAS, PLAIN}) {
      for (int[] out : new int[][] {{4, 5}, {9, 13}, {20, 31}, {1, 1}, {3, 17}}) {
        float[] res = r.resize(img, 9, 13, out[0], out[1]);
        assertThat(res).hasSize(out[0] * out[1] * 3);
        for (int i = 0; i < res.length; i++) {
          assertThat(res[i]).isCloseTo(img[i % 3], within(1e-6f));
        }
      }
    }
  }

  @Test
  void kernelWeightsSumToOneAndAreNonNegative() {
    for (Resampler r : new Resampler[] {ANTIALIAS, PLAIN}) {
      for (int[] sizes : new int[][] {{218, 102}, {178, 102}, {102, 218}, {5, 3}, {2, 5}, {7, 7}, {100, 1}}) {
        Resampler.Weights w = r.weights(sizes[0], sizes[1]);
        for (int i = 0; i < sizes[1]; i++) {
          double sum = 0;
          for (double x : w.weight()[i]) {
            assertThat(x).isGreaterThanOrEqualTo(0);
            sum += x;
          }
          assertThat(sum).isCloseTo(1.0, within(1e-12));
          assertThat(w.first()[i]).isBetween(0, sizes[0] - 1);
          assertThat(w.first()[i] + w.count()[i]).isLessThanOrEqualTo(sizes[0]);
        }
      }
    }
    // antialiasing widens the support by the downscale factor: 218 -> 102 spans about 2 * 2.14 pixels
    assertThat(ANTIALIAS.weights(218, 102).count()[50]).isBetween(4, 5);
    assertThat(PLAIN.weights(218, 102).count()[50]).isEqualTo(2);
  }

  /** Output pixel i sits at input position (i + 0.5) * in / out - 0.5; a linear ramp is reproduced there. */
  @Test
  void aLinearRampIsExactAwayFromTheBorders() {
    int[][] cases = {{7, 12}, {5, 13}, {12, 6}, {12, 4}, {30, 10}, {9, 3}};
    for (Resampler r : new Resampler[] {ANTIALIAS, PLAIN}) {
      for (int[] c : cases) {
        int in = c[0];
        int out = c[1];
        double[][] v = new double[1][in];
        for (int x = 0; x < in; x++) {
          v[0][x] = 0.1 + 0.03 * x;
        }
        float[] row = r.resize(gray(v), 1, in, 1, out);
        double scale = (double) in / out;
        double reach = Math.max(scale, 1) + 0.5;
        int checked = 0;
        for (int i = 0; i < out; i++) {
          double p = (i + 0.5) * scale - 0.5;
          if (p - reach >= 0 && p + reach <= in - 1) {
            assertThat((double) row[3 * i]).as("%s %d -> %d, pixel %d", r, in, out, i)
                .isCloseTo(0.1 + 0.03 * p, within(1e-6));
            checked++;
          }
        }
        assertThat(checked).isPositive();
        // and the same along the other axis
        double[][] col = new double[in][1];
        for (int x = 0; x < in; x++) {
          col[x][0] = v[0][x];
        }
        float[] colOut = r.resize(gray(col), in, 1, out, 1);
        for (int i = 0; i < out; i++) {
          assertThat(colOut[3 * i]).isEqualTo(row[3 * i]);
        }
      }
    }
  }

  @Test
  void plainTwoTimesDownscaleAveragesTwoByTwoBlocks() {
    double[][] v = {
        {0.0, 0.2, 0.4, 0.6},
        {0.1, 0.3, 0.5, 0.7},
        {0.8, 1.0, 0.0, 0.0},
        {0.6, 0.2, 1.0, 0.5}};
    float[] out = PLAIN.resize(gray(v), 4, 4, 2, 2);
    // output (i, j) samples input position (2i + 0.5, 2j + 0.5): the mean of a 2x2 block
    double[] expected = {(0.0 + 0.2 + 0.1 + 0.3) / 4, (0.4 + 0.6 + 0.5 + 0.7) / 4,
        (0.8 + 1.0 + 0.6 + 0.2) / 4, (0.0 + 0.0 + 1.0 + 0.5) / 4};
    for (int k = 0; k < 4; k++) {
      for (int c = 0; c < 3; c++) {
        assertThat((double) out[3 * k + c]).isCloseTo(expected[k], within(1e-6));
      }
    }
  }

  /**
   * PIL's algorithm by hand, 5 -> 3 (scale 5/3, support 5/3): output 0 has centre 5/6, pixels
   * 0..2 with triangle weights 0.8, 0.6, 0 -> (4, 3, 0) / 7; output 1 centre 2.5, pixels 1..3 with
   * 0.4, 1, 0.4 -> (2, 5, 2) / 9; output 2 centre 25/6, pixels 3, 4 with 0.6, 0.8 -> (3, 4) / 7.
   * Upscaling 2 -> 5 (support 1): centres 0.2, 0.6, 1.0, 1.4, 1.8 give v0, 0.9 v0 + 0.1 v1,
   * (v0 + v1) / 2, 0.1 v0 + 0.9 v1, v1. PIL 9.4 ({@code Image.resize} on mode "F") prints the same.
   */
  @Test
  void matchesPilByHand() {
    float[] down = ANTIALIAS.resize(gray(new double[][] {{0.1, 0.5, 0.2, 0.9, 0.4}}), 1, 5, 1, 3);
    double[] expected = {(4 * 0.1 + 3 * 0.5) / 7, (2 * 0.5 + 5 * 0.2 + 2 * 0.9) / 9, (3 * 0.9 + 4 * 0.4) / 7};
    for (int i = 0; i < 3; i++) {
      assertThat((double) down[3 * i]).isCloseTo(expected[i], within(1e-6));
    }
    float[] up = ANTIALIAS.resize(gray(new double[][] {{0.2, 0.7}}), 1, 2, 1, 5);
    double[] upExpected = {0.2, 0.25, 0.45, 0.65, 0.7};
    for (int i = 0; i < 5; i++) {
      assertThat((double) up[3 * i]).isCloseTo(upExpected[i], within(1e-6));
    }
  }

  /** A 2-D case: (y * 5 + x)^1.5 / 100 on 4x5, resized to 3x3; the expected values are PIL 9.4's. */
  @Test
  void matchesPilInTwoDimensions() {
    double[][] v = new double[4][5];
    for (int y = 0; y < 4; y++) {
      for (int x = 0; x < 5; x++) {
        v[y][x] = (float) (Math.pow(y * 5 + x, 1.5) / 100);
      }
    }
    double[] pil = {0.0410623624920845, 0.07638789713382721, 0.12296656519174576,
        0.23196563124656677, 0.30100342631340027, 0.3757368326187134,
        0.5254960060119629, 0.6157846450805664, 0.7104429006576538};
    float[] out = ANTIALIAS.resize(gray(v), 4, 5, 3, 3);
    for (int k = 0; k < 9; k++) {
      assertThat((double) out[3 * k + 1]).isCloseTo(pil[k], within(1e-6));
    }
  }

  @Test
  void centreCropUsesTorchvisionOffsets() {
    float[] hwc = new float[7 * 6 * 3];
    for (int i = 0; i < hwc.length; i++) {
      hwc[i] = i;
    }
    Image img = new Image(7, 6, hwc);
    // top = round((7 - 2) / 2) = round(2.5) = 2 (half to even), left = round((6 - 3) / 2) = round(1.5) = 2
    Image crop = Resampler.centerCrop(img, 2, 3);
    assertThat(crop.height()).isEqualTo(2);
    assertThat(crop.width()).isEqualTo(3);
    for (int y = 0; y < 2; y++) {
      for (int x = 0; x < 3; x++) {
        for (int c = 0; c < 3; c++) {
          assertThat(crop.get(y, x, c)).isEqualTo(img.get(y + 2, x + 2, c));
        }
      }
    }
    assertThat(Resampler.centerCrop(img, 7, 6)).isSameAs(img);
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> Resampler.centerCrop(img, 8, 2))
        .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("7x6");
  }
}
