package org.restorelab.graph;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat64;

/** The image layers against brute-force float64 loops. */
class ConvolutionLayersTest {
  private static double[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = r.nextDouble(-1, 1);
    }
    return v;
  }

  private static void init(Session s, Parameters<TFloat64> p) {
    Session.Runner r = s.runner();
    p.initializers().forEach(r::addTarget);
    r.run().close();
  }

  @Test
  void convolutionIsZeroPaddedCrossCorrelation() {
    int n = 2, h = 5, w = 4, in = 3, out = 2;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> p = new Parameters<>(tf, "t", 1, TFloat64.class);
      Conv2d<TFloat64> conv = Conv2d.create(p, "c", 3, in, out, true, false);
      double[] x = random(n * h * w * in, 2);
      Operand<TFloat64> y = conv.apply(tf, tf.constant(GraphTesting.tensor(x, n, h, w, in)));
      init(s, p);
      double[] k = GraphTesting.values(s, conv.weight().read());
      double[] b = GraphTesting.values(s, conv.bias().read());
      double[] got = GraphTesting.values(s, y);
      for (int bi = 0; bi < n; bi++) {
        for (int i = 0; i < h; i++) {
          for (int j = 0; j < w; j++) {
            for (int o = 0; o < out; o++) {
              double sum = b[o];
              for (int di = -1; di <= 1; di++) {
                for (int dj = -1; dj <= 1; dj++) {
                  int ii = i + di, jj = j + dj;
                  if (ii < 0 || jj < 0 || ii >= h || jj >= w) {
                    continue;
                  }
                  for (int c = 0; c < in; c++) {
                    sum += x[((bi * h + ii) * w + jj) * in + c] * k[(((di + 1) * 3 + dj + 1) * in + c) * out + o];
                  }
                }
              }
              assertThat(got[((bi * h + i) * w + j) * out + o]).isCloseTo(sum, within(1e-12));
            }
          }
        }
      }
    }
  }

  @Test
  void transposedConvolutionSpreadsEachPixelOverA2x2Block() {
    int n = 2, h = 3, w = 2, in = 3, out = 2;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> p = new Parameters<>(tf, "t", 1, TFloat64.class);
      TransposedConv2d<TFloat64> up = TransposedConv2d.create(p, "u", in, out, false);
      double[] x = random(n * h * w * in, 3);
      Operand<TFloat64> y = up.apply(tf, tf.constant(GraphTesting.tensor(x, n, h, w, in)));
      init(s, p);
      double[] k = GraphTesting.values(s, up.weight().read()); // [2, 2, out, in]
      double[] b = GraphTesting.values(s, up.bias().read());
      double[] got = GraphTesting.values(s, y);
      assertThat(got).hasSize(n * 2 * h * 2 * w * out);
      for (int bi = 0; bi < n; bi++) {
        for (int i = 0; i < 2 * h; i++) {
          for (int j = 0; j < 2 * w; j++) {
            for (int o = 0; o < out; o++) {
              double sum = b[o];
              for (int c = 0; c < in; c++) {
                sum += x[((bi * h + i / 2) * w + j / 2) * in + c] * k[(((i % 2) * 2 + j % 2) * out + o) * in + c];
              }
              assertThat(got[((bi * 2 * h + i) * 2 * w + j) * out + o]).isCloseTo(sum, within(1e-12));
            }
          }
        }
      }
    }
  }

  @Test
  void batchNormUsesBatchStatisticsInTrainingAndMovingAveragesInInference() {
    int n = 3, h = 2, w = 2, c = 2;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Parameters<TFloat64> p = new Parameters<>(tf, "t", 1, TFloat64.class);
      Parameters<TFloat64> stats = new Parameters<>(tf, "t_bn", 1, TFloat64.class);
      BatchNorm<TFloat64> bn = new BatchNorm<>(p, stats, "bn", c, 0.1, 1e-5);
      double[] x = random(n * h * w * c, 4);
      Operand<TFloat64> xs = tf.constant(GraphTesting.tensor(x, n, h, w, c));
      BatchNorm.Applied<TFloat64> train = bn.apply(tf, xs, BatchNorm.Mode.TRAINING);
      BatchNorm.Applied<TFloat64> infer = bn.apply(tf, xs, BatchNorm.Mode.INFERENCE);
      init(s, p);
      init(s, stats);
      double[] got = GraphTesting.values(s, train.output());
      int m = n * h * w;
      double[] mean = new double[c];
      double[] var = new double[c];
      for (int i = 0; i < m; i++) {
        for (int ch = 0; ch < c; ch++) {
          mean[ch] += x[i * c + ch] / m;
        }
      }
      for (int i = 0; i < m; i++) {
        for (int ch = 0; ch < c; ch++) {
          var[ch] += Math.pow(x[i * c + ch] - mean[ch], 2) / m;
        }
      }
      for (int i = 0; i < m; i++) {
        for (int ch = 0; ch < c; ch++) {
          assertThat(got[i * c + ch]).isCloseTo((x[i * c + ch] - mean[ch]) / Math.sqrt(var[ch] + 1e-5), within(1e-12));
        }
      }
      // inference before any update: moving mean 0, variance 1
      double[] before = GraphTesting.values(s, infer.output());
      assertThat(before[5]).isCloseTo(x[5] / Math.sqrt(1 + 1e-5), within(1e-12));
      Session.Runner r = s.runner();
      for (Op u : train.updates()) {
        r.addTarget(u);
      }
      r.run().close();
      double[] after = GraphTesting.values(s, infer.output());
      for (int i = 0; i < m; i++) {
        for (int ch = 0; ch < c; ch++) {
          double movingMean = 0.1 * mean[ch];
          double movingVar = 0.9 + 0.1 * var[ch] * m / (m - 1); // PyTorch keeps the unbiased variance
          assertThat(after[i * c + ch]).isCloseTo((x[i * c + ch] - movingMean) / Math.sqrt(movingVar + 1e-5), within(1e-12));
        }
      }
    }
  }

  @Test
  void poolingAndUpsamplingMatchLoops() {
    int n = 2, h = 4, w = 6, c = 3;
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      double[] x = random(n * h * w * c, 5);
      Operand<TFloat64> xs = tf.constant(GraphTesting.tensor(x, n, h, w, c));
      double[] avg = GraphTesting.values(s, Pooling.average(tf, xs, 2, h, w, c));
      double[] up = GraphTesting.values(s, Pooling.nearestUpsample(tf, xs, 3, h, w, c));
      for (int b = 0; b < n; b++) {
        for (int i = 0; i < h / 2; i++) {
          for (int j = 0; j < w / 2; j++) {
            for (int ch = 0; ch < c; ch++) {
              double sum = 0;
              for (int a = 0; a < 2; a++) {
                for (int d = 0; d < 2; d++) {
                  sum += x[((b * h + 2 * i + a) * w + 2 * j + d) * c + ch];
                }
              }
              assertThat(avg[((b * (h / 2) + i) * (w / 2) + j) * c + ch]).isCloseTo(sum / 4, within(1e-12));
            }
          }
        }
        for (int i = 0; i < 3 * h; i++) {
          for (int j = 0; j < 3 * w; j++) {
            for (int ch = 0; ch < c; ch++) {
              assertThat(up[((b * 3 * h + i) * 3 * w + j) * c + ch]).isEqualTo(x[((b * h + i / 3) * w + j / 3) * c + ch]);
            }
          }
        }
      }
    }
  }
}
