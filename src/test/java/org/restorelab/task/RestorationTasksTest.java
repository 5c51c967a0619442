package org.restorelab.task;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigException;
import org.restorelab.config.TaskConfig;
import org.restorelab.graph.GraphTesting;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TFloat64;

/** Degradations and consistency projections against brute-force Java computations. */
class RestorationTasksTest {

  private static float[] random(int n, long seed) {
    SplittableRandom r = new SplittableRandom(seed);
    float[] v = new float[n];
    for (int i = 0; i < n; i++) {
      v[i] = (float) r.nextDouble();
    }
    return v;
  }

  private static float[] run(Session s, Operand<TFloat32> x) {
    try (Result r = s.runner().fetch(x).run()) {
      TFloat32 t = (TFloat32) r.get(0);
      float[] v = new float[(int) t.shape().size()];
      t.asRawTensor().data().asFloats().read(v);
      return v;
    }
  }

  /** Box average by loops, float64. */
  private static double[] boxAverage(float[] x, int n, int h, int w, int s) {
    double[] out = new double[n * (h / s) * (w / s) * 3];
    for (int b = 0; b < n; b++) {
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int c = 0; c < 3; c++) {
            out[((b * (h / s) + i / s) * (w / s) + j / s) * 3 + c] += x[((b * h + i) * w + j) * 3 + c] / (double) (s * s);
          }
        }
      }
    }
    return out;
  }

  @Test
  void superResolutionDegradationIsTheBoxAverageAndCemMakesOutputsConsistent() {
    for (int scale : new int[] {4, 8, 16}) {
      int n = 3;
      int side = 32;
      SuperResolution task = new SuperResolution(side, side, scale);
      float[] x = random(n * side * side * 3, scale);
      float[] raw = random(n * side * side * 3, 100 + scale);
      try (Graph g = new Graph(); Session s = new Session(g)) {
        Ops tf = Ops.create(g);
        Operand<TFloat32> xs = tf.constant(TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(x, true, false)));
        Operand<TFloat32> raws = tf.constant(TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(raw, true, false)));
        Operand<TFloat32> y = task.degrade(tf, xs);
        Operand<TFloat32> xHat = task.enforceConsistency(tf, raws, y);
        float[] yv = run(s, y);
        double[] expected = boxAverage(x, n, side, side, scale);
        for (int i = 0; i < yv.length; i++) {
          assertThat((double) yv[i]).isCloseTo(expected[i], within(1e-6));
        }
        // AvgPool(x_hat) = y to float precision
        float[] again = run(s, task.degrade(tf, xHat));
        for (int i = 0; i < yv.length; i++) {
          assertThat(again[i]).as("scale %d, value %d", scale, i).isCloseTo(yv[i], within(2e-6f));
        }
        // the network input is the nearest-neighbour upsampling of y
        float[] up = run(s, task.networkInput(tf, y));
        int h = side / scale;
        assertThat(up[((1 * side + 5) * side + 7) * 3 + 2]).isEqualTo(yv[((1 * h + 5 / scale) * h + 7 / scale) * 3 + 2]);
        // a consistent input is left unchanged (the projection is idempotent)
        float[] twice = run(s, task.enforceConsistency(tf, xHat, y));
        float[] once = run(s, xHat);
        for (int i = 0; i < once.length; i++) {
          assertThat(twice[i]).isCloseTo(once[i], within(2e-6f));
        }
      }
    }
  }

  @Test
  void cemProjectionIsTheOrthogonalProjectionOntoConsistentImages() {
    // in float64: x_hat - raw is orthogonal to every consistent direction (block-mean-zero images)
    SuperResolution task = new SuperResolution(16, 16, 4);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      double[] raw = new double[16 * 16 * 3];
      double[] yv = new double[4 * 4 * 3];
      SplittableRandom r = new SplittableRandom(5);
      for (int i = 0; i < raw.length; i++) {
        raw[i] = r.nextDouble();
      }
      for (int i = 0; i < yv.length; i++) {
        yv[i] = r.nextDouble();
      }
      Operand<TFloat64> xHat = task.enforceConsistency(tf, tf.constant(GraphTesting.tensor(raw, 1, 16, 16, 3)),
          tf.constant(GraphTesting.tensor(yv, 1, 4, 4, 3)));
      double[] out = GraphTesting.values(s, xHat);
      // the correction is constant on each 4x4 block and channel: it lies in the span of NN_up
      for (int i = 0; i < 16; i++) {
        for (int j = 0; j < 16; j++) {
          for (int c = 0; c < 3; c++) {
            int p = (i * 16 + j) * 3 + c;
            int q = ((i / 4 * 4) * 16 + j / 4 * 4) * 3 + c;
            assertThat(out[p] - raw[p]).isCloseTo(out[q] - raw[q], within(1e-12));
          }
        }
      }
    }
  }

  @Test
  void inpaintingMasksTheUpperThreeQuartersAndKeepsTheVisibleRows() {
    int side = 32;
    Inpainting task = new Inpainting(side, side, 0.75, 0);
    assertThat(task.maskedRows()).isEqualTo(24);
    float[] x = random(2 * side * side * 3, 1);
    float[] raw = random(2 * side * side * 3, 2);
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat32> xs = tf.constant(TFloat32.tensorOf(Shape.of(2, side, side, 3), DataBuffers.of(x, true, false)));
      Operand<TFloat32> raws = tf.constant(TFloat32.tensorOf(Shape.of(2, side, side, 3), DataBuffers.of(raw, true, false)));
      Operand<TFloat32> y = task.degrade(tf, xs);
      float[] yv = run(s, y);
      float[] xHat = run(s, task.enforceConsistency(tf, raws, y));
      for (int b = 0; b < 2; b++) {
        for (int i = 0; i < side; i++) {
          for (int j = 0; j < side; j++) {
            for (int c = 0; c < 3; c++) {
              int p = ((b * side + i) * side + j) * 3 + c;
              if (i < 24) {
                assertThat(yv[p]).isZero();
                assertThat(xHat[p]).isEqualTo(raw[p]);
              } else {
                assertThat(yv[p]).isEqualTo(x[p]);
                assertThat(xHat[p]).isEqualTo(x[p]);
              }
            }
          }
        }
      }
    }
  }

  @Test
  void toyProjectionFitsTheSameInterface() {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Operand<TFloat64> x = tf.constant(GraphTesting.tensor(new double[] {0.1, 0.2, -0.3, 0.4}, 2, 2));
      Operand<TFloat64> y = ToyProjection.INSTANCE.degrade(tf, x);
      assertThat(GraphTesting.values(s, y)).containsExactly(0.1, -0.3);
      Operand<TFloat64> raw = tf.constant(GraphTesting.tensor(new double[] {9, 7, 9, 8}, 2, 2));
      assertThat(GraphTesting.values(s, ToyProjection.INSTANCE.enforceConsistency(tf, raw, y)))
          .containsExactly(0.1, 7, -0.3, 8);
    }
  }

  @Test
  void aScaleThatDoesNotDivideTheImageSizeIsAConfigErrorNamingTheField() {
    TaskConfig sr3 = TaskConfig.newBuilder().setSuperResolution(
        org.restorelab.config.SuperResolutionConfig.newBuilder().setScale(3)).build();
    assertThatThrownBy(() -> Tasks.create(sr3, 32, "image_gan.task")).isInstanceOf(ConfigException.class)
        .hasMessageContaining("image_gan.task.super_resolution.scale = 3").hasMessageContaining("image_size = 32");
    assertThatThrownBy(() -> Tasks.create(TaskConfig.getDefaultInstance(), 32, "image_gan.task"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("image_gan.task");
  }
}
