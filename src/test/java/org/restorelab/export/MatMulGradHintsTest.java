package org.restorelab.export;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.MlpConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.estimator.ToyMlpEstimator;
import org.restorelab.evaluate.LoadedEstimator;
import org.restorelab.graph.Parameters;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.GanGraph;
import org.restorelab.train.VariableStore;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.linalg.MatMul;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;
import org.tensorflow.types.TFloat32;

class MatMulGradHintsTest {
  private static final float[] X = {0.3f, -1.2f, 0.7f, 2.5f, 0.1f, -0.4f};

  private static List<NodeDef> matMuls(Path dir) throws IOException {
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(dir.resolve("saved_model.pb")));
    return model.getMetaGraphs(0).getGraphDef().getNodeList().stream().filter(n -> n.getOp().equals("MatMul")).toList();
  }

  private static boolean hasHint(NodeDef node) {
    return MatMulGradHints.ATTRIBUTES.stream().anyMatch(node::containsAttr);
  }

  /** out = tanh(x w1) w2^T on a [2, 3] input: two MatMuls, one with transpose_b. */
  private static void exportRaw(Path dir) throws IOException {
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("x").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 3)));
      Operand<TFloat32> w1 = tf.constant(new float[][] {{0.5f, -1f, 2f, 0.25f}, {1.5f, 0.75f, -0.5f, 1f}, {-2f, 0.1f, 0.3f, -0.7f}});
      Operand<TFloat32> w2 = tf.constant(new float[][] {{1f, -1f, 0.5f, 2f}, {0.2f, 0.4f, -0.6f, 0.8f}});
      Operand<TFloat32> out = tf.withName("out").linalg.matMul(tf.math.tanh(tf.linalg.matMul(x, w1)), w2,
          MatMul.transposeB(true));
      SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(
          Signature.builder().key("serving_default").input("x", x).output("out", out).build()).export();
    }
  }

  private static float[] run(Path dir) {
    try (SavedModelBundle bundle = SavedModelBundle.load(dir.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(2, 3), t -> t.copyFrom(org.tensorflow.ndarray.buffer.DataBuffers.of(X)));
        Result result = bundle.function("serving_default").call(Map.of("x", x))) {
      TFloat32 out = (TFloat32) result.get("out").orElseThrow();
      float[] values = new float[(int) out.shape().size()];
      out.asRawTensor().data().asFloats().read(values);
      return values;
    }
  }

  private static void copy(Path from, Path to) throws IOException {
    try (Stream<Path> files = Files.walk(from)) {
      for (Path f : files.toList()) {
        Files.copy(f, to.resolve(from.relativize(f).toString()));
      }
    }
  }

  @Test
  void theStrippedGraphKeepsEveryOtherAttributeAndComputesTheSameBits(@TempDir Path dir) throws IOException {
    Path original = dir.resolve("original");
    Path stripped = dir.resolve("stripped");
    exportRaw(original);
    copy(original, stripped);
    MatMulGradHints.strip(stripped);

    List<NodeDef> before = matMuls(original);
    List<NodeDef> after = matMuls(stripped);
    assertThat(before).hasSize(2).allMatch(n -> n.containsAttr("grad_a") && n.containsAttr("grad_b"),
        "TensorFlow 2.18 writes both hints on every MatMul");
    assertThat(after).hasSize(2).noneMatch(MatMulGradHintsTest::hasHint);
    for (int i = 0; i < 2; i++) {
      Map<String, AttrValue> expected = new HashMap<>(before.get(i).getAttrMap());
      expected.keySet().removeAll(MatMulGradHints.ATTRIBUTES);
      assertThat(after.get(i).getAttrMap()).isEqualTo(expected);
      assertThat(after.get(i).getInputList()).isEqualTo(before.get(i).getInputList());
    }
    assertThat(after.get(1).getAttrOrThrow("transpose_b").getB()).isTrue();

    float[] expected = run(original);
    assertThat(expected).hasSize(4);
    assertThat(run(stripped)).containsExactly(expected);
    // and the numbers are the formula's: row 0 of tanh(x w1) w2^T in float64
    double[][] w1 = {{0.5, -1, 2, 0.25}, {1.5, 0.75, -0.5, 1}, {-2, 0.1, 0.3, -0.7}};
    double[] w2row0 = {1, -1, 0.5, 2};
    double sum = 0;
    for (int k = 0; k < 4; k++) {
      sum += Math.tanh(X[0] * w1[0][k] + X[1] * w1[1][k] + X[2] * w1[2][k]) * w2row0[k];
    }
    assertThat((double) expected[0]).isCloseTo(sum, org.assertj.core.api.Assertions.within(1e-5));
  }

  @Test
  void aSecondStripLeavesTheFileAsItIs(@TempDir Path dir) throws IOException {
    exportRaw(dir);
    MatMulGradHints.strip(dir);
    byte[] once = Files.readAllBytes(dir.resolve("saved_model.pb"));
    MatMulGradHints.strip(dir);
    assertThat(Files.readAllBytes(dir.resolve("saved_model.pb"))).isEqualTo(once);
  }

  @Test
  void theToyExportWritesNoHintsAndComputesTheSessionsOutput(@TempDir Path dir) throws IOException {
    ToyGanConfig config = ToyGanConfig.newBuilder().setName("hints")
        .setEstimator(MlpConfig.newBuilder().addAllHidden(List.of(6, 5)))
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.UNIFORM).setDim(2)).build();
    float[] y = {-0.9f, 0.2f, 0.65f};
    float[] z = {0.1f, 0.8f, 0.5f, 0.3f, 0.95f, 0.05f};
    Map<String, Checkpoint.Tensor> weights;
    float[] expected = new float[6];
    try (Graph g = new Graph(); Session s = new Session(g)) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, GanGraph.ESTIMATOR, 3, TFloat32.class);
      ToyMlpEstimator<TFloat32> estimator = new ToyMlpEstimator<>(params, List.of(6, 5), 2);
      VariableStore store = new VariableStore(tf, List.of(params));
      Operand<TFloat32> out = estimator.output(tf, tf.reshape(tf.constant(y), tf.constant(new long[] {3, 1})),
          tf.reshape(tf.constant(z), tf.constant(new long[] {3, 2})));
      store.initialize(s);
      weights = store.read(s);
      try (TFloat32 t = (TFloat32) s.runner().fetch(out).run().get(0)) {
        t.asRawTensor().data().asFloats().read(expected);
      }
    }
    EstimatorExport.export(config, weights, dir.resolve("sm"), new JsonObject());

    assertThat(matMuls(dir.resolve("sm"))).hasSizeGreaterThanOrEqualTo(3).noneMatch(MatMulGradHintsTest::hasHint);
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(dir.resolve("sm").toString()).build())) {
      assertThat(m.outputs(y, z, 3)).containsExactly(expected);
    }
  }
}
