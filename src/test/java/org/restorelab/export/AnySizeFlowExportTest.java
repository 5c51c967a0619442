package org.restorelab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.graph.Parameters;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.savedmodel.SpatialSizes;
import org.restorelab.task.SuperResolution;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ConditionalFlowGraph;
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
 * The conditional flow (3 levels, x4) exported at 16x16 takes y of any size: at 16x16 it equals
 * the fixed-size decoder of the training code; at 20x20 (low resolution 5x5, which the levels do
 * not divide) the fixed-size decoder at 24x24 on y reflection-padded in Java, cropped; non-square
 * sizes run, and the harness sizes z as H W 3.
 */
class AnySizeFlowExportTest {
  private static final int SCALE = 4;
  @TempDir static Path dir;
  private static ConditionalFlowConfig config;
  private static Map<String, Checkpoint.Tensor> weights;
  private static Path exported;

  @BeforeAll
  static void exportPerturbedWeights() throws Exception {
    ConditionalFlowConfig.Builder b = ConditionalFlowConfig.newBuilder().setName("flow");
    b.getDataBuilder().setImageSize(16).getFacesBuilder();
    b.getTaskBuilder().getSuperResolutionBuilder().setScale(SCALE);
    b.getFlowBuilder().setLevels(3).setStepsPerLevel(1).setHiddenChannels(8).setEncoderChannels(4).setEncoderBlocks(1);
    config = b.build();
    // every weight += N(0, 0.05^2): the zero-initialized last layers become non-trivial
    weights = FlowTestWeights.perturbedInitial(config, 0.05, 5);
    exported = dir.resolve("flow");
    ConditionalFlowExport.export(config, weights, exported, new JsonObject(), null);
  }

  private record Built(ConditionalFlow<TFloat32> flow, VariableStore store) {}

  private static Built build(Ops tf, int side) {
    Parameters<TFloat32> params = new Parameters<>(tf, ConditionalFlowGraph.NETWORK, 0, TFloat32.class);
    Parameters<TFloat32> fixed = new Parameters<>(tf, ConditionalFlowGraph.FIXED, 0, TFloat32.class);
    ConditionalFlow<TFloat32> flow = new ConditionalFlow<>(params, fixed, config.getFlow(), side, SCALE);
    return new Built(flow, new VariableStore(tf, List.of(params, fixed)));
  }

  /** The fixed-size decoder at side x side (static shapes, as trained), temperature 0.9. */
  private static float[] fixedSize(int side, float[] y, float[] z) {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Built b = build(tf, side);
      Placeholder<TFloat32> yIn = tf.placeholder(TFloat32.class);
      Placeholder<TFloat32> zIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, b.flow().latentSize())));
      Operand<TFloat32> out = ConditionalFlowGraph.image(tf, b.flow().decode(tf, b.flow().splitLatents(tf, zIn), yIn,
          tf.constant(0.9f)));
      try (Session s = new Session(g);
          TFloat32 ty = TFloat32.tensorOf(Shape.of(1, side / SCALE, side / SCALE, 3), DataBuffers.of(y, true, false));
          TFloat32 tz = TFloat32.tensorOf(Shape.of(1, z.length), DataBuffers.of(z, true, false))) {
        b.store().assign(s, weights, "test weights");
        try (Result r = s.runner().feed(yIn, ty).feed(zIn, tz).fetch(out).run()) {
          return TestArrays.floats((TFloat32) r.get(0));
        }
      }
    }
  }



  private static float[] exportedOutput(SavedModelBundle m, int lh, int lw, float[] y, float[] z, List<Long> shape) {
    try (TFloat32 ty = TFloat32.tensorOf(Shape.of(1, lh, lw, 3), DataBuffers.of(y, true, false));
        TFloat32 tz = TFloat32.tensorOf(Shape.of(1, z.length), DataBuffers.of(z, true, false));
        Result r = m.session().runner().feed("y", ty).feed("z", tz).fetch("x_hat").run()) {
      for (long d : r.get(0).shape().asArray()) {
        shape.add(d);
      }
      return TestArrays.floats((TFloat32) r.get(0));
    }
  }

  @Test
  void theMetadataRecordsTheLevels() {
    SpatialSizes sizes = SpatialSizes.read(ModelMetadata.read(exported));
    // levels: 16 -> 8x8x12 (6 kept, 6 latent) -> 4x4x24 (12 latent) -> 2x2x48 (all latent)
    assertThat(sizes).isEqualTo(SpatialSizes.anySize(8, SCALE, List.of(new SpatialSizes.NoiseLevel(2, 6),
        new SpatialSizes.NoiseLevel(4, 12), new SpatialSizes.NoiseLevel(8, 48))));
    assertThat(sizes.noiseDim(16, 16)).isEqualTo(16 * 16 * 3);
    assertThat(sizes.noiseDim(20, 20)).isEqualTo(24 * 24 * 3);
  }

  @Test
  void theExportEqualsTheFixedSizeDecoderAtItsSizeAndOnPaddedInputsElsewhere() {
    try (SavedModelBundle m = SavedModelBundle.load(exported.toString(), "serve")) {
      float[] y = TestArrays.random(4 * 4 * 3, 1, false);
      float[] z = TestArrays.random(16 * 16 * 3, 2, true);
      List<Long> shape = new ArrayList<>();
      assertThat(exportedOutput(m, 4, 4, y, z, shape)).containsExactly(fixedSize(16, y, z),
          org.assertj.core.data.Offset.offset(1e-5f));
      float[] odd = TestArrays.random(5 * 5 * 3, 3, false);
      float[] padded = TestArrays.reflect(odd, 5, 5, 6, 6); // row and column 5 repeat row and column 3
      float[] z24 = TestArrays.random(24 * 24 * 3, 4, true);
      float[] expected = fixedSize(24, padded, z24);
      shape.clear();
      float[] actual = exportedOutput(m, 5, 5, odd, z24, shape);
      assertThat(shape).containsExactly(1L, 20L, 20L, 3L);
      for (int i = 0; i < 20; i++) {
        for (int j = 0; j < 20; j++) {
          for (int c = 0; c < 3; c++) {
            assertThat(actual[(i * 20 + j) * 3 + c]).isCloseTo(expected[(i * 24 + j) * 3 + c], within(1e-5f));
          }
        }
      }
      try (TFloat32 ty = TFloat32.tensorOf(Shape.of(2, 4, 6, 3),
          DataBuffers.of(TestArrays.random(2 * 4 * 6 * 3, 6, false), true, false)); TInt64 seed = TInt64.vectorOf(1, 2);
          Result r = m.session().runner().feed("y", ty).feed("seed", seed).fetch("x_hat_sample").run()) {
        assertThat(r.get(0).shape().asArray()).containsExactly(2, 16, 24, 3);
      }
    }
  }

  @Test
  void theHarnessLoadsItAtANonSquareSize() {
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(exported.toString())
        .build(), new SuperResolution(16, 24, SCALE))) {
      assertThat(m.noiseDim()).isEqualTo(16 * 24 * 3);
      float[] grad = new float[4 * 6 * 3];
      float[] y = TestArrays.random(4 * 6 * 3, 7, false);
      float[] z = TestArrays.random(m.noiseDim(), 8, true);
      double d = m.distanceAndGradient(y, z, new float[16 * 24 * 3], 1, grad)[0];
      assertThat(d).isPositive();
      double norm = 0;
      for (float g : grad) {
        norm += g * g;
      }
      assertThat(norm).isPositive().isFinite();
    }
  }
}
