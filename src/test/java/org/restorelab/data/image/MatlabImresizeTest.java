package org.restorelab.data.image;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.DoubleUnaryOperator;
import org.junit.jupiter.api.Test;
import org.restorelab.data.image.MatlabImresize.Contributions;
import org.restorelab.data.image.MatlabImresize.Precision;

class MatlabImresizeTest {
  private static final MatlabImresize BICUBIC = MatlabImresize.BICUBIC;
  private static final MatlabImresize UINT8 = MatlabImresize.BICUBIC_UINT8;

  /** A value per pixel (0-based row y, column x). */
  private interface Pixels {
    double at(int y, int x);
  }

  /** An HWC image with the same value in R, G and B. */
  private static double[] gray(int h, int w, Pixels p) {
    double[] hwc = new double[h * w * 3];
    for (int i = 0; i < hwc.length; i++) {
      hwc[i] = p.at(i / 3 / w, i / 3 % w);
    }
    return hwc;
  }

  private static void assertGray(double[] hwc, int h, int w, Pixels expected, double tolerance, String what) {
    assertThat(hwc).as(what).hasSize(h * w * 3);
    for (int i = 0; i < hwc.length; i++) {
      assertThat(hwc[i]).as("%s at (%d, %d)", what, i / 3 / w, i / 3 % w)
          .isCloseTo(expected.at(i / 3 / w, i / 3 % w), within(tolerance));
    }
  }

  // The inputs of bicubic_pytorch's test_answer/gen_test.m (MATLAB matrices, row-major here).
  private static final double[][] SQUARE = matrix(8, 8, (y, x) -> 8 * y + x); // reshape(0:63, 8, 8)'
  private static final double[][] SMALL = matrix(4, 4, (y, x) -> 4 * y + x);
  private static final double[][] SQUARE_15 = matrix(15, 15, (y, x) -> 15 * y + x);
  private static final double[][] TOP_LEFT = {{100, 1, 0, 100}, {10, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 0}};
  private static final double[][] BOTTOM_RIGHT = {{0, 0, 0, 0}, {0, 0, 0, 0}, {0, 0, 0, 10}, {100, 0, 1, 100}};

  private static double[][] matrix(int h, int w, Pixels p) {
    double[][] m = new double[h][w];
    for (int y = 0; y < h; y++) {
      for (int x = 0; x < w; x++) {
        m[y][x] = p.at(y, x);
      }
    }
    return m;
  }

  private record MatlabCase(String name, double[][] in, boolean antialias, int outH, int outW, double[][] out) {}

  /**
   * MATLAB's own outputs: {@code imresize(A, [outH outW], 'bicubic', 'antialiasing', aa)} on
   * double matrices, saved by MATLAB ("MATLAB 5.0 MAT-file, Platform: GLNXA64") as
   * {@code test_answer/*.mat} in github.com/sanghyun-son/bicubic_pytorch (commit da432d1, generated
   * by its {@code test_answer/gen_test.m}); the values below are those files' doubles, printed in
   * full. They cover downscaling with and without antialiasing at x2, x3, x4, x5 and irregular
   * sizes, and upscaling with large values in the corners (the symmetric border padding).
   */
  @Test
  void matchesMatlabOutputsOnSmallMatrices() {
    List<MatlabCase> cases = List.of(
        new MatlabCase("down_down_small_noaa", SMALL, false, 3, 3, new double[][] {
            {0.5439814814814781, 1.9351851851851825, 3.3263888888888866},
            {6.108796296296295, 7.5, 8.891203703703704},
            {11.67361111111111, 13.064814814814817, 14.456018518518519}}),
        new MatlabCase("down_down_small_aa", SMALL, true, 3, 3, new double[][] {
            {0.7505518763796901, 2.1004415011037523, 3.4503311258278133},
            {6.150110375275939, 7.500000000000001, 8.849889624724064},
            {11.549668874172186, 12.89955849889625, 14.24944812362031}}),
        new MatlabCase("down_down_aa", SQUARE, true, 3, 4, new double[][] {
            {6.472528773310022, 8.511591273310021, 10.535028773310023, 12.57409127331002},
            {28.44921875, 30.48828125, 32.51171875, 34.55078125},
            {50.42590872668998, 52.46497122668998, 54.48840872668998, 56.52747122668998}}),
        new MatlabCase("down_down_irregular_noaa", SQUARE, false, 5, 7, new double[][] {
            {1.8526341107871684, 3.026285714285709, 4.169142857142852, 5.311999999999995, 6.454857142857138, 7.597714285714279, 8.77136588921282},
            {15.240634110787195, 16.414285714285736, 17.557142857142882, 18.70000000000002, 19.84285714285717, 20.985714285714305, 22.159365889212847},
            {28.04063411078717, 29.214285714285708, 30.35714285714286, 31.5, 32.64285714285715, 33.78571428571428, 34.95936588921282},
            {40.84063411078717, 42.01428571428572, 43.15714285714287, 44.300000000000004, 45.44285714285715, 46.58571428571428, 47.75936588921283},
            {54.22863411078717, 55.40228571428571, 56.54514285714288, 57.68800000000001, 58.83085714285715, 59.97371428571428, 61.14736588921282}}),
        new MatlabCase("down_down_irregular_aa", SQUARE, true, 5, 7, new double[][] {
            {2.184525125376686, 3.3191373855569823, 4.468841371477804, 5.620459770114943, 6.7720781687520795, 7.921782154672905, 9.0563944148532},
            {15.219771569951028, 16.354383830131326, 17.504087816052145, 18.655706214689285, 19.807324613326422, 20.95702859924725, 22.09164085942754},
            {28.064065355261743, 29.198677615442048, 30.34838160136286, 31.500000000000004, 32.65161839863713, 33.80132238455796, 34.93593464473825},
            {40.90835914057251, 42.0429714007528, 43.19267538667361, 44.344293785310754, 45.495912183947894, 46.64561616986872, 47.780228430049014},
            {53.943605585146805, 55.0782178453271, 56.22792183124791, 57.37954022988507, 58.531158628522206, 59.68086261444302, 60.81547487462331}}),
        new MatlabCase("down_down_x2_aa", SQUARE, true, 4, 4, new double[][] {
            {4.04296875, 6.08203125, 8.10546875, 10.14453125},
            {20.35546875, 22.39453125, 24.41796875, 26.45703125},
            {36.54296875, 38.58203125, 40.60546875, 42.64453125},
            {52.85546875, 54.89453125, 56.91796875, 58.95703125}}),
        new MatlabCase("down_down_x4_aa", SQUARE, true, 2, 2, new double[][] {
            {12.3837890625, 16.6318359375},
            {46.3681640625, 50.6162109375}}),
        new MatlabCase("down_down_x3_aa", SQUARE_15, true, 5, 5, new double[][] {
            {14.41975308641976, 17.506172839506178, 20.518518518518526, 23.530864197530867, 26.61728395061729},
            {60.71604938271606, 63.80246913580248, 66.81481481481481, 69.82716049382715, 72.91358024691357},
            {105.90123456790124, 108.98765432098764, 112.0, 115.01234567901233, 118.09876543209876},
            {151.08641975308643, 154.1728395061728, 157.1851851851852, 160.19753086419752, 163.28395061728395},
            {197.38271604938274, 200.4691358024691, 203.48148148148147, 206.49382716049382, 209.58024691358023}}),
        new MatlabCase("down_down_x5_aa", SQUARE_15, true, 3, 3, new double[][] {
            {29.10720000000004, 34.28800000000005, 39.468800000000044},
            {106.81919999999998, 112.00000000000001, 117.18079999999996},
            {184.53119999999998, 189.71199999999996, 194.8927999999999}}),
        new MatlabCase("up_up_topleft_noaa", TOP_LEFT, false, 5, 5, new double[][] {
            {108.68522499999966, 27.697097499999902, -12.446562499999981, 26.884192500000054, 109.20249999999992},
            {35.4713649999999, 8.970788999999971, -3.589562499999994, 6.637437000000011, 26.96099999999997},
            {-0.6503124999999991, -0.2122187499999997, 0.39453125, -1.6079062500000063, -6.531250000000005},
            {-0.7680749999999994, -0.18962999999999977, 0.04593750000000004, 0.0, 0.0},
            {0.0, 0.0, 0.0, 0.0, 0.0}}),
        new MatlabCase("up_up_bottomright_noaa", BOTTOM_RIGHT, false, 5, 5, new double[][] {
            {0.0, 0.0, 0.0, 0.0, 0.0},
            {0.0, 0.0, 0.04593750000000011, -0.1896300000000012, -0.7680750000000025},
            {-6.531249999999989, -1.6079062499999968, 0.39453125, -0.21221875000000057, -0.6503125000000005},
            {26.961000000000062, 6.637437000000012, -3.589562500000011, 8.970789000000057, 35.47136500000012},
            {109.20249999999992, 26.88419249999997, -12.44656250000001, 27.69709750000012, 108.68522500000016}})
    );
    for (MatlabCase c : cases) {
      MatlabImresize r = new MatlabImresize(Resampler.CUBIC, c.antialias(), Precision.DOUBLE);
      int h = c.in().length;
      int w = c.in()[0].length;
      double[] out = r.resize(gray(h, w, (y, x) -> c.in()[y][x]), h, w, c.outH(), c.outW());
      assertGray(out, c.outH(), c.outW(), (y, x) -> c.out()[y][x], 1e-12 * 256, c.name());
    }
  }

  /**
   * MATLAB's 'bilinear' (the triangle kernel, the same sample positions and border mirror), as
   * printed by MATLAB in two public questions: {@code imresize([0 1 2], [1 5], 'bilinear')}
   * (stackoverflow.com/questions/42020435) and {@code imresize([100 50 0], [1 5], 'bilinear')}
   * (dsp.stackexchange.com/questions/14560). The first border output is the mirrored pixel's own
   * value. (The Stack Overflow question also lists [1 2 0 5] -> 1.0 1.7 1.0 1.5 2.0, whose last
   * value cannot be right, as 5 is mirrored onto itself, and a 10-output case with a value missing;
   * both are left out.)
   */
  @Test
  void matchesPublishedMatlabBilinearOutputs() {
    MatlabImresize bilinear = new MatlabImresize(Resampler.BILINEAR, true, Precision.DOUBLE);
    double[][][] cases = {
        {{0, 1, 2}, {0, 0.4, 1, 1.6, 2}},
        {{100, 50, 0}, {100, 80, 50, 20, 0}}};
    for (double[][] c : cases) {
      double[] out = bilinear.resize(gray(1, c[0].length, (y, x) -> c[0][x]), 1, c[0].length, 1, 5);
      assertGray(out, 1, 5, (y, x) -> c[1][x], 1e-12, Arrays.toString(c[0]));
    }
  }

  /** A crop of an image file as rows of 8-bit values, placed at (top, left) in an otherwise black image. */
  private static double[] embed(String[] rows, int top, int left, int h, int w, double divisor) {
    double[][] crop = new double[rows.length][];
    for (int y = 0; y < rows.length; y++) {
      crop[y] = Arrays.stream(rows[y].split(" ")).mapToDouble(Double::parseDouble).toArray();
    }
    return gray(h, w, (y, x) -> y >= top && y < top + crop.length && x >= left && x < left + crop[0].length
        ? crop[y - top][x - left] / divisor : 0);
  }

  /**
   * MATLAB R2017b on github.com/xinntao/matlab_functions_verification: {@code imwrite(imresize(
   * im2double(imread('baboon.png')), 1/4, 'bicubic'), 'baboon_down_x4_matlab.png')}, the SR
   * benchmarks' x4 downscaling by the scale-factor entry point (480x492 -> 120x123). Output
   * pixels (60..61, 61..62) (0-based) only weigh input rows 234..253 and columns 238..257 (16 taps
   * each; checked by {@link #theSupportOfTheCroppedOutputsLiesInTheCrop}), so that crop of the
   * green channel of baboon.png, in a black image, gives MATLAB's values there. Across the whole
   * image (not committed) our double-mode output, rounded as {@code im2uint8}, equals MATLAB's
   * for every one of the 44280 values at x4 and x3.
   */
  private static final String[] BABOON_ROWS_234_COLS_238 = {
      "59 85 105 105 105 105 149 105 184 184 149 59 77 114 110 110 93 93 85 93",
      "57 93 105 149 184 149 184 149 93 184 105 110 110 110 105 84 49 84 84 106",
      "59 105 105 184 93 149 105 169 105 105 110 110 93 77 93 114 114 149 110 77",
      "59 59 105 105 105 149 184 105 105 93 93 84 110 105 84 84 77 84 94 58",
      "27 59 57 105 169 105 105 93 59 85 105 114 114 110 58 81 114 143 93 77",
      "58 59 57 59 85 57 59 105 110 149 105 93 57 58 114 110 106 94 51 52",
      "57 93 93 105 57 85 105 169 149 105 59 85 114 149 174 143 114 145 75 75",
      "27 58 49 58 85 105 105 93 59 58 59 59 85 105 81 94 84 75 58 57",
      "46 51 58 59 105 149 105 58 49 93 105 146 105 58 51 58 77 51 52 57",
      "59 59 114 105 143 105 57 59 105 105 173 105 85 84 114 105 84 106 84 51",
      "77 59 110 110 59 58 58 105 105 149 105 150 105 114 114 58 51 51 75 106",
      "51 77 84 84 58 58 51 84 114 118 105 93 81 58 51 51 58 51 51 69",
      "84 84 93 51 51 57 114 114 85 58 49 51 58 93 93 93 77 94 106 75",
      "51 57 59 49 59 93 84 85 93 85 114 85 59 57 81 93 58 42 52 77",
      "58 84 59 85 93 85 85 59 105 85 110 105 149 149 84 84 27 57 40 58",
      "58 51 49 58 49 25 59 57 57 59 105 114 85 85 84 58 58 52 52 52",
      "51 51 59 58 49 59 57 85 85 57 57 51 51 84 77 51 40 52 52 46",
      "58 58 59 59 59 93 85 59 57 110 149 114 93 84 58 46 57 52 40 36",
      "46 27 51 58 58 27 57 58 59 57 94 112 85 58 58 84 58 57 58 52",
      "58 58 105 59 58 110 105 149 149 114 143 114 143 110 106 77 77 94 69 52"
  };

  @Test
  void matchesMatlabOnACropOfBaboonDownscaledByFour() {
    double[] hr = embed(BABOON_ROWS_234_COLS_238, 234, 238, 480, 492, 255.0); // im2double
    double[] lr = BICUBIC.resize(hr, 480, 492, 1.0 / 4);
    int[] matlab = {94, 99, 90, 93}; // baboon_down_x4_matlab.png, green, (60, 61) (60, 62) (61, 61) (61, 62)
    for (int k = 0; k < 4; k++) {
      double v = lr[((60 + k / 2) * 123 + 61 + k % 2) * 3];
      assertThat(Math.round(Math.min(Math.max(v, 0), 1) * 255)).as("pixel %d", k).isEqualTo(matlab[k]);
    }
  }

  /**
   * MATLAB R2015b on github.com/fatheral/matlab_imresize (test/README.md): {@code imresize(img,
   * [123 234])} of lena_512x512.png once as uint8 ({@code lena_123x234_uint8.png}) and once as
   * {@code double(img) / 255} ({@code lena_123x234_double.png}). The scales differ (rows 123/512
   * go first), and the two files differ by 1 in 12492 of 86346 values, because MATLAB rounds the
   * uint8 image to uint8 after each pass. Output pixels (52..53, 112..113) only weigh rows 210..230
   * and columns 242..252 (green channel below); there the two files hold different values. Across
   * the whole image (not committed) both modes equal MATLAB's files everywhere.
   */
  private static final String[] LENA_ROWS_210_COLS_242 = {
      "39 47 41 34 28 46 28 34 61 83 32",
      "19 32 34 37 16 20 15 20 44 71 30",
      "25 21 23 17 15 8 9 16 38 60 34",
      "21 24 15 25 27 12 17 16 27 54 43",
      "26 16 22 23 19 21 16 19 39 68 60",
      "21 16 19 20 15 13 16 17 41 69 79",
      "19 23 7 16 19 14 30 35 56 89 116",
      "15 19 10 10 10 12 28 64 80 86 97",
      "7 8 11 15 15 27 70 95 99 86 94",
      "9 12 19 11 21 70 106 126 95 79 82",
      "11 13 11 27 64 111 135 126 88 62 52",
      "11 18 23 51 116 140 142 98 69 60 70",
      "7 19 61 110 134 136 105 79 78 73 92",
      "12 48 117 150 132 107 76 75 82 104 140",
      "40 95 148 157 105 78 67 84 108 137 166",
      "92 133 150 115 80 69 80 101 136 166 180",
      "142 138 113 90 73 72 92 131 165 165 154",
      "146 123 101 85 82 96 137 164 173 144 155",
      "122 100 93 85 91 124 170 173 151 151 169",
      "99 91 83 92 121 163 179 150 152 157 171",
      "89 79 93 115 159 181 168 144 155 171 166"
  };

  @Test
  void matchesMatlabOnUint8AndDoubleImages() {
    int[] uint8 = {22, 70, 110, 104}; // lena_123x234_uint8.png, green, (52, 112) (52, 113) (53, 112) (53, 113)
    int[] dbl = {22, 71, 111, 105}; // lena_123x234_double.png, same pixels
    double[] hr = embed(LENA_ROWS_210_COLS_242, 210, 242, 512, 512, 255.0);
    float[] hrFloat = Resampler.toFloat(hr); // as ImageFiles reads an 8-bit PNG
    float[] viaUint8 = UINT8.resize(hrFloat, 512, 512, 123, 234);
    double[] viaDouble = BICUBIC.resize(hr, 512, 512, 123, 234);
    for (int k = 0; k < 4; k++) {
      int i = ((52 + k / 2) * 234 + 112 + k % 2) * 3;
      assertThat(viaUint8[i]).as("uint8 pixel %d", k).isEqualTo(uint8[k] / 255f);
      assertThat(Math.round(Math.min(Math.max(viaDouble[i], 0), 1) * 255)).as("double pixel %d", k).isEqualTo(dbl[k]);
    }
  }

  @Test
  void theSupportOfTheCroppedOutputsLiesInTheCrop() {
    int[][] checks = { // in, out, first output, crop start, crop length; scale = out / in
        {480, 120, 60, 234, 20}, {492, 123, 61, 238, 20}, {512, 123, 52, 210, 21}, {512, 234, 112, 242, 11}};
    for (int[] c : checks) {
      double scale = c[0] == 480 || c[0] == 492 ? 0.25 : (double) c[1] / c[0];
      Contributions con = BICUBIC.contributions(c[0], c[1], scale);
      for (int i = c[2]; i < c[2] + 2; i++) {
        for (int k = 0; k < con.indices()[i].length; k++) {
          if (con.weights()[i][k] != 0) {
            assertThat(con.indices()[i][k]).isBetween(c[3], c[3] + c[4] - 1);
          }
        }
      }
    }
  }

  @Test
  void aConstantImageStaysConstant() {
    double[] rgb = {0.2, 0.5, 0.9};
    double[] img = new double[7 * 9 * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = rgb[i % 3];
    }
    for (double scale : new double[] {1.0 / 4, 1.0 / 3, 0.5, 0.7, 2, 3.7}) {
      for (MatlabImresize r : new MatlabImresize[] {BICUBIC, new MatlabImresize(Resampler.CUBIC, false, Precision.DOUBLE),
          new MatlabImresize(Resampler.BILINEAR, true, Precision.DOUBLE)}) {
        double[] out = r.resize(img, 7, 9, scale);
        assertThat(out).hasSize(MatlabImresize.outputSize(7, scale) * MatlabImresize.outputSize(9, scale) * 3);
        for (int i = 0; i < out.length; i++) {
          assertThat(out[i]).as("%s x %s", r, scale).isCloseTo(rgb[i % 3], within(1e-12));
        }
      }
    }
    // uint8: exactly the same byte (each pass rounds back to it)
    float[] bytes = new float[7 * 9 * 3];
    int[] levels = {0, 77, 255};
    for (int i = 0; i < bytes.length; i++) {
      bytes[i] = levels[i % 3] / 255f;
    }
    for (double scale : new double[] {1.0 / 4, 1.0 / 3, 0.5, 2, 3.7}) {
      float[] out = UINT8.resize(bytes, 7, 9, scale);
      for (int i = 0; i < out.length; i++) {
        assertThat(out[i]).isEqualTo(levels[i % 3] / 255f);
      }
    }
  }

  /** Cubic convolution reproduces linear functions: away from the borders the ramp is sampled at u. */
  @Test
  void aLinearRampIsExactAwayFromTheBorders() {
    for (int in : new int[] {64, 67}) {
      for (double scale : new double[] {1.0 / 2, 1.0 / 4, 1.0 / 3}) {
        double[] ramp = gray(1, in, (y, x) -> 0.1 + 0.03 * x); // MATLAB's pixel j (1-based) holds 0.1 + 0.03 (j - 1)
        double[] row = BICUBIC.resize(ramp, 1, in, scale);
        double[] col = BICUBIC.resize(gray(in, 1, (y, x) -> 0.1 + 0.03 * y), in, 1, scale);
        int out = MatlabImresize.outputSize(in, scale);
        assertThat(row).hasSize(out * 3);
        int checked = 0;
        for (int x = 1; x <= out; x++) {
          double u = x / scale + 0.5 * (1 - 1 / scale);
          double reach = 2 / scale; // the widened kernel's half-width
          if (u - reach >= 1 && u + reach <= in) {
            assertThat(row[3 * (x - 1)]).as("%d x %s, output %d", in, scale, x).isCloseTo(0.1 + 0.03 * (u - 1), within(1e-12));
            checked++;
          }
          // the row image's 1-pixel height is resized too (1 -> ceil(scale) = 1, weights summing to 1 within rounding)
          assertThat(col[3 * (x - 1)]).isCloseTo(row[3 * (x - 1)], within(1e-14));
        }
        assertThat(checked).isGreaterThan(out / 2);
      }
    }
  }

  @Test
  void everyOutputsWeightsSumToOne() {
    double[][] cases = { // in, out, scale
        {255, 64, 0.25}, {480, 120, 0.25}, {512, 123, 123.0 / 512}, {15, 5, 1.0 / 3}, {4, 5, 1.25},
        {8, 11, 11.0 / 8}, {7, 18, 2.5}, {2, 1, 0.25}, {1, 1, 0.25}, {3, 1, 1.0 / 3}, {5, 20, 4}};
    for (MatlabImresize r : new MatlabImresize[] {BICUBIC, new MatlabImresize(Resampler.CUBIC, false, Precision.DOUBLE)}) {
      for (double[] c : cases) {
        int in = (int) c[0];
        int out = (int) c[1];
        Contributions con = r.contributions(in, out, c[2]);
        Resampler.Weights folded = r.weights(in, out, c[2]);
        double width = c[2] < 1 && r == BICUBIC ? 4 / c[2] : 4;
        for (int i = 0; i < out; i++) {
          assertThat(con.weights()[i].length).isLessThanOrEqualTo((int) Math.ceil(width) + 2);
          assertThat(Arrays.stream(con.weights()[i]).sum()).as("%s %s", r, Arrays.toString(c)).isCloseTo(1.0, within(1e-12));
          assertThat(Arrays.stream(folded.weight()[i]).sum()).isCloseTo(1.0, within(1e-12));
          assertThat(Arrays.stream(con.indices()[i]).min().getAsInt()).isGreaterThanOrEqualTo(0);
          assertThat(Arrays.stream(con.indices()[i]).max().getAsInt()).isLessThan(in);
          assertThat(folded.first()[i]).isBetween(0, in - 1);
          assertThat(folded.first()[i] + folded.count()[i]).isLessThanOrEqualTo(in);
        }
      }
    }
  }

  /**
   * By hand from MATLAB's algorithm: 4 pixels -> 2 at scale 1/2 with antialiasing. Width 8, P = 10
   * taps. Output 1 sits at u = 1.5, left = floor(1.5 - 4) = -3, taps -3..6 at distances 4.5..-4.5;
   * h(t) = cubic(t / 2) / 2 gives 0, -0.01171875, -0.03515625, 0.11328125, 0.43359375 and
   * mirrored, summing to 1. aux = [1 2 3 4 4 3 2 1] sends taps -3..6 to 4 3 2 1 1 2 3 4 4 3. Output 2
   * (u = 3.5, taps -1..8) has the same weights on 1 1 2 3 4 4 3 2 1 1... after its own mirror. The
   * first and last tap columns are zero for both outputs and are dropped: 8 columns remain.
   */
  @Test
  void symmetricPaddingByHand() {
    Contributions c = BICUBIC.contributions(4, 2, 0.5);
    double[] w = {-0.01171875, -0.03515625, 0.11328125, 0.43359375, 0.43359375, 0.11328125, -0.03515625, -0.01171875};
    assertThat(c.indices()[0]).containsExactly(2, 1, 0, 0, 1, 2, 3, 3); // 1-based 3 2 1 1 2 3 4 4
    assertThat(c.indices()[1]).containsExactly(0, 0, 1, 2, 3, 3, 2, 1); // 1-based 1 1 2 3 4 4 3 2
    assertThat(c.weights()[0]).containsExactly(w);
    assertThat(c.weights()[1]).containsExactly(w);
    // the same taps folded per input pixel (what the passes apply)
    Resampler.Weights f = BICUBIC.weights(4, 2, 0.5);
    assertThat(f.first()).containsExactly(0, 0);
    assertThat(f.weight()[0]).containsExactly(0.546875, 0.3984375, 0.1015625, -0.046875);
    assertThat(f.weight()[1]).containsExactly(-0.046875, 0.1015625, 0.3984375, 0.546875);
    // on the ramp 0 1 2 3: 0.3984375 + 0.203125 - 0.140625, and its mirror image 3 - that
    double[] out = BICUBIC.resize(gray(1, 4, (y, x) -> x), 1, 4, 0.5);
    assertThat(out).containsExactly(0.4609375, 0.4609375, 0.4609375, 2.5390625, 2.5390625, 2.5390625);
    // a 1-pixel axis: every tap mirrors onto pixel 0
    assertThat(BICUBIC.contributions(1, 1, 0.25).indices()[0]).containsOnly(0);
  }

  @Test
  void outputSizesAreCeilOfScaleTimesSize() {
    assertThat(MatlabImresize.outputSize(255, 1.0 / 4)).isEqualTo(64);
    assertThat(MatlabImresize.outputSize(256, 1.0 / 4)).isEqualTo(64);
    assertThat(MatlabImresize.outputSize(480, 1.0 / 3)).isEqualTo(160);
    assertThat(MatlabImresize.outputSize(100, 1.0 / 3)).isEqualTo(34);
    assertThat(MatlabImresize.outputSize(7, 2.5)).isEqualTo(18);
    Image lr = UINT8.resize(new Image(255, 250, new float[255 * 250 * 3]), 1.0 / 4);
    assertThat(lr.height()).isEqualTo(64);
    assertThat(lr.width()).isEqualTo(63);
    assertThat(BICUBIC.resize(new Image(9, 10, new float[9 * 10 * 3]), 4, 6).width()).isEqualTo(6);
  }

  /**
   * imresize(A, 1/4) samples at u = 4x - 1.5 with scale 0.25, not at the positions of scale 64/255
   * that imresize(A, [64 64]) uses. (With a widened kernel a ramp is reproduced exactly only when
   * the taps lie symmetrically about u, as for integer factors; at 64/255 it is off by 4e-5.)
   */
  @Test
  void theScaleEntryPointKeepsTheGivenScale() {
    double[] ramp = gray(1, 255, (y, x) -> x); // pixel j (1-based) holds j - 1
    double[] byScale = BICUBIC.resize(ramp, 1, 255, 1.0 / 4);
    double[] bySize = BICUBIC.resize(ramp, 1, 255, 1, 64);
    assertThat(byScale).hasSameSizeAs(bySize);
    assertThat(byScale[3 * 30]).isCloseTo(4 * 31 - 1.5 - 1, within(1e-12));
    double s = 64.0 / 255;
    assertThat(bySize[3 * 30]).isCloseTo(31 / s + 0.5 * (1 - 1 / s) - 1, within(1e-3));
    assertThat(Math.abs(bySize[3 * 30] - byScale[3 * 30])).isGreaterThan(0.4);
  }

  /**
   * MATLAB resizes the axis with the smaller scale first (rows on a tie), which shows on uint8
   * images, rounded after each pass: compare with the two passes applied by hand in both orders.
   */
  @Test
  void theAxisWithTheSmallerScaleGoesFirst() {
    Random random = new Random(6);
    int h = 9;
    int w = 11;
    double[] img = new double[h * w * 3];
    for (int i = 0; i < img.length; i++) {
      img[i] = random.nextInt(256);
    }
    DoubleUnaryOperator round = v -> Math.min(255, Math.max(0, Math.round(v)));
    for (int[] size : new int[][] {{3, 8}, {7, 4}}) {
      int outH = size[0];
      int outW = size[1];
      Resampler.Weights wy = UINT8.weights(h, outH, (double) outH / h);
      Resampler.Weights wx = UINT8.weights(w, outW, (double) outW / w);
      double[] rowsFirst = Resampler.horizontal(Resampler.vertical(img, h, w, wy, round), outH, w, wx, round);
      double[] colsFirst = Resampler.vertical(Resampler.horizontal(img, h, w, wx, round), h, outW, wy, round);
      assertThat(rowsFirst).isNotEqualTo(colsFirst);
      boolean rowsScaleSmaller = (double) outH / h < (double) outW / w;
      assertThat(UINT8.resize(img, h, w, outH, outW)).as("%dx%d", outH, outW)
          .isEqualTo(rowsScaleSmaller ? rowsFirst : colsFirst);
    }
  }

  @Test
  void scaleOneCopiesAndBadArgumentsAreRejected() {
    double[] img = gray(3, 4, (y, x) -> y - 0.5 * x);
    assertThat(BICUBIC.resize(img, 3, 4, 3, 4)).isEqualTo(img).isNotSameAs(img);
    assertThatThrownBy(() -> BICUBIC.resize(img, 3, 4, 0.0)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BICUBIC.resize(img, 3, 4, 0, 2)).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> BICUBIC.resize(img, 4, 4, 2, 2)).isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("4x4");
  }
}
