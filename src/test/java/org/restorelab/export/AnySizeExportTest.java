package org.restorelab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.estimator.UNetEstimator;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.graph.BatchNorm;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;
import org.restorelab.task.SuperResolution;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.GanGraph;
import org.restorelab.train.VariableStore;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * A x4 super-resolution U-Net exported at 32x32 takes y of any size: at sizes the U-Net divides it
 * equals the fixed-size graph of that size (the training code path, static shapes) with the same
 * weights and z; at other sizes it equals the fixed-size graph on the bottom/right reflection
 * padding of y, computed here in Java, cropped back; consistency holds; the metadata records the
 * sizes; the harness loads it for any size.
 */
class AnySizeExportTest {
  private static final int SCALE = 4;
  @TempDir static Path dir;
  private static ImageGanConfig config;
  private static Map<String, Checkpoint.Tensor> weights;
  private static Path exported;

  @BeforeAll
  static void exportRandomWeights() throws Exception {
    ImageGanConfig.Builder b = ImageGanConfig.newBuilder().setName("AnySize");
    b.getDataBuilder().setImageSize(32).getFacesBuilder();
    b.getTaskBuilder().getSuperResolutionBuilder().setScale(SCALE);
    b.getEstimatorBuilder().setWidth(2).setNoiseChannels(1);
    b.getNoiseBuilder().setDistribution(NoiseConfig.Distribution.UNIFORM);
    config = b.build();
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      VariableStore store = store(tf, new SuperResolution(32, 32, SCALE), null);
      try (Session s = new Session(g)) {
        store.initialize(s);
        weights = new java.util.LinkedHashMap<>(store.read(s));
      }
    }
    // moving statistics away from 0 and 1, so inference-mode batch norm is not the identity
    SplittableRandom r = new SplittableRandom(3);
    weights.replaceAll((name, t) -> {
      if (!name.contains("moving")) {
        return t;
      }
      float[] v = t.values().clone();
      for (int i = 0; i < v.length; i++) {
        v[i] = name.contains("variance") ? (float) (0.5 + r.nextDouble()) : (float) (r.nextDouble() - 0.5);
      }
      return new Checkpoint.Tensor(t.shape(), v);
    });
    exported = dir.resolve("model");
    EstimatorExport.export(config, weights, exported, new JsonObject());
  }

  /** The estimator's variables; with {@code net} not null, its fixed-size graph is built into net[0]. */
  @SuppressWarnings("unchecked")
  private static VariableStore store(Ops tf, SuperResolution task, Object[] net) {
    Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, 0, TFloat32.class);
    Parameters<TFloat32> stats = new Parameters<>(tf, GanGraph.ESTIMATOR_STATISTICS, 0, TFloat32.class);
    UNetEstimator<TFloat32> u = new UNetEstimator<>(params, stats, config.getEstimator(), task, false);
    if (net != null) {
      net[0] = u;
    }
    return new VariableStore(tf, List.of(params, stats));
  }

  /** The fixed-size graph (static shapes, as trained) at h x w on y [1, h/4, w/4, 3] and z. */
  private static float[] fixedSize(int h, int w, float[] y, float[] z) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Object[] net = new Object[1];
      VariableStore store = store(tf, new SuperResolution(h, w, SCALE), net);
      UNetEstimator<TFloat32> u = (UNetEstimator<TFloat32>) net[0];
      Placeholder<TFloat32> yIn = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> zIn = tf.placeholder(TFloat32.class);
      Operand<TFloat32> out = u.apply(tf, yIn, zIn, BatchNorm.Mode.INFERENCE).output();
      try (Session s = new Session(g);
          TFloat32 ty = TFloat32.tensorOf(Shape.of(1, h / SCALE, w / SCALE, 3), DataBuffers.of(y, true, false));
          TFloat32 tz = TFloat32.tensorOf(Shape.of(1, z.length), DataBuffers.of(z, true, false))) {
        store.assign(s, weights, "test weights");
        try (Result r = s.runner().feed(yIn, ty).feed(zIn, tz).fetch(out).run()) {
          return TestArrays.floats((TFloat32) r.get(0));
        }
      }
    }
  }



  /** The exported serving_default on y [1, lh, lw, 3] and z [1, dz]. */
  private static float[] exportedOutput(SavedModelBundle m, int lh, int lw, float[] y, float[] z, long[] shape) {
    try (TFloat32 ty = TFloat32.tensorOf(Shape.of(1, lh, lw, 3), DataBuffers.of(y, true, false));
        TFloat32 tz = TFloat32.tensorOf(Shape.of(1, z.length), DataBuffers.of(z, true, false));
        Result r = m.session().runner().feed("y", ty).feed("z", tz).fetch("x_hat").run()) {
      System.arraycopy(r.get(0).shape().asArray(), 0, shape, 0, 4);
      return TestArrays.floats((TFloat32) r.get(0));
    }
  }


  @Test
  void theMetadataRecordsTheSizesTheModelTakes() {
    JsonObject meta = ModelMetadata.read(exported);
    SpatialSizes sizes = SpatialSizes.read(meta);
    assertThat(sizes).isEqualTo(SpatialSizes.anySize(16, SCALE, List.of(new SpatialSizes.NoiseLevel(1, 1),
        new SpatialSizes.NoiseLevel(2, 1), new SpatialSizes.NoiseLevel(4, 1), new SpatialSizes.NoiseLevel(8, 1))));
    assertThat(meta.getAsJsonObject("sizes").get("other_sizes").getAsString()).isEqualTo("reflect_pad");
    // noise_dim at the trained 32x32: 32^2 + 16^2 + 8^2 + 4^2
    assertThat(meta.get("noise_dim").getAsInt()).isEqualTo(1024 + 256 + 64 + 16);
    // 40x56 runs padded to 48x64
    assertThat(sizes.noiseDim(40, 56)).isEqualTo(48 * 64 + 24 * 32 + 12 * 16 + 6 * 8);
  }

  @Test
  void atSizesTheUNetDividesTheExportEqualsTheFixedSizeGraphs() {
    try (SavedModelBundle m = SavedModelBundle.load(exported.toString(), "serve")) {
      for (int[] hw : new int[][] {{32, 32}, {64, 48}}) {
        int h = hw[0];
        int w = hw[1];
        float[] y = TestArrays.random(h / SCALE * (w / SCALE) * 3, h, false);
        float[] z = TestArrays.random(h * w + h * w / 4 + h * w / 16 + h * w / 64, w, false);
        long[] shape = new long[4];
        float[] actual = exportedOutput(m, h / SCALE, w / SCALE, y, z, shape);
        assertThat(shape).containsExactly(1, h, w, 3);
        assertThat(actual).as(h + "x" + w).containsExactly(fixedSize(h, w, y, z), Offset.offset(1e-5f));
      }
    }
  }

  @Test
  void otherSizesAreReflectPaddedAndCroppedBackAndStayConsistent() {
    int h = 40;
    int w = 56; // LR 10x14, padded to 12x16 (HR 48x64)
    float[] y = TestArrays.random(10 * 14 * 3, 7, false);
    float[] z = TestArrays.random((int) SpatialSizes.read(ModelMetadata.read(exported)).noiseDim(h, w), 8, false);
    float[] padded = fixedSize(48, 64, TestArrays.reflect(y, 10, 14, 12, 16), z);
    try (SavedModelBundle m = SavedModelBundle.load(exported.toString(), "serve")) {
      long[] shape = new long[4];
      float[] actual = exportedOutput(m, 10, 14, y, z, shape);
      assertThat(shape).containsExactly(1, h, w, 3);
      for (int i = 0; i < h; i++) {
        for (int j = 0; j < w; j++) {
          for (int c = 0; c < 3; c++) {
            assertThat(actual[(i * w + j) * 3 + c]).isCloseTo(padded[(i * 64 + j) * 3 + c], within(1e-5f));
          }
        }
      }
      // D(x_hat) = y: each 4x4 block of the output averages to its low-resolution pixel
      for (int bi = 0; bi < 10; bi++) {
        for (int bj = 0; bj < 14; bj++) {
          for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int i = 0; i < SCALE; i++) {
              for (int j = 0; j < SCALE; j++) {
                sum += actual[((bi * SCALE + i) * w + bj * SCALE + j) * 3 + c];
              }
            }
            assertThat(sum / 16).isCloseTo(y[(bi * 14 + bj) * 3 + c], within(1e-5));
          }
        }
      }
      // the sample signature draws z of the padded size itself
      try (TFloat32 ty = TFloat32.tensorOf(Shape.of(2, 10, 14, 3),
          DataBuffers.of(TestArrays.random(2 * 10 * 14 * 3, 9, false), true, false));
          TInt64 seed = TInt64.vectorOf(1, 2);
          Result r = m.function("sample").session().runner().feed("y", ty).feed("seed", seed)
              .fetch("x_hat_sample").run()) {
        assertThat(r.get(0).shape().asArray()).containsExactly(2, h, w, 3);
      }
    }
  }

  @Test
  void theHarnessLoadsTheExportForAnySizeAndAttacksThroughThePadding() {
    SuperResolution task = new SuperResolution(40, 56, SCALE);
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(exported.toString())
        .build(), task)) {
      assertThat(m.noiseDim()).isEqualTo(48 * 64 + 24 * 32 + 12 * 16 + 6 * 8);
      float[] y = TestArrays.random(10 * 14 * 3, 7, false);
      float[] z = TestArrays.random(m.noiseDim(), 8, false);
      LoadedEstimator.Outputs out = m.run(y, z, 1);
      assertThat(out.consistencyMse()[0]).isLessThan(1e-10f);
      // the gradient of |x_hat(y) - t|^2 reaches the rows and columns the padding reflects
      float[] grad = new float[y.length];
      m.distanceAndGradient(y, z, new float[out.images().length], 1, grad);
      double lastRow = 0;
      for (int j = 0; j < 14 * 3; j++) {
        lastRow += Math.abs(grad[9 * 14 * 3 + j]);
      }
      assertThat(lastRow).isGreaterThan(0);
      // and it is the derivative: a step along it raises the distance by about |grad|^2 eps
      double eps = 1e-3;
      double norm2 = 0;
      float[] moved = y.clone();
      for (int i = 0; i < y.length; i++) {
        norm2 += (double) grad[i] * grad[i];
        moved[i] += (float) (eps * grad[i]);
      }
      float[] target = new float[out.images().length];
      double d0 = m.distanceAndGradient(y, z, target, 1, null)[0];
      double d1 = m.distanceAndGradient(moved, z, target, 1, null)[0];
      assertThat((d1 - d0) / (eps * norm2)).isCloseTo(1, within(0.05));
    }
  }
}
