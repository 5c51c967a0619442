package org.restorelab.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorModelConfig;
import org.restorelab.evaluate.FeatureExtractor;
import org.restorelab.metric.Features;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A small frozen graph with TTUR's tensor names and structure (Cast -> ExpandDims -> ResizeBilinear
 * to a fixed side -> (x - 128) / 128 -> pool_3 [n, 1, 1, c], then a batch-1 reshape and softmax
 * head) stands in for classify_image_graph_def.pb; its pool_3 is the per-channel mean of the
 * normalised image, a closed form.
 */
class InceptionGraphImportTest {

  /** TTUR's layout, with the network replaced by a global average pool over a side x side resize. */
  private static Path tturLikeGraph(Path dir, int side) throws Exception {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> cast = tf.withName("Cast").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, -1, 3)));
      Operand<TFloat32> expand = tf.withName("ExpandDims").expandDims(cast, tf.constant(0));
      Operand<TFloat32> resized = tf.withName("ResizeBilinear").image.resizeBilinear(expand,
          tf.constant(new int[] {side, side}));
      Operand<TFloat32> normalised = tf.withName("Mul").math.mul(tf.withName("Sub").math.sub(resized,
          tf.constant(128f)), tf.constant(1f / 128f));
      Operand<TFloat32> pool = tf.withName("pool_3").nn.avgPool(normalised, java.util.List.of(1L, (long) side,
          (long) side, 1L), java.util.List.of(1L, 1L, 1L, 1L), "VALID");
      Operand<TFloat32> reshaped = tf.withSubScope("pool_3").withName("reshape").reshape(pool, tf.constant(new long[] {1, 3}));
      tf.withName("softmax").nn.softmax(reshaped);
      Path file = dir.resolve("classify_image_graph_def.pb");
      Files.write(file, g.toGraphDef().toByteArray());
      return file;
    }
  }

  @Test
  void theWrappedGraphGivesTheClosedFormFeaturesThroughTheHarness(@TempDir Path dir) throws Exception {
    Path graph = tturLikeGraph(dir, 4);
    Path target = dir.resolve("inception");
    InceptionGraphImport.run(graph, target, new JsonObject());
    int n = 3;
    int side = 4;
    float[] images = new float[n * side * side * 3];
    Random random = new Random(7);
    for (int i = 0; i < images.length; i++) {
      images[i] = random.nextFloat();
    }
    try (FeatureExtractor extractor = FeatureExtractor.load(FeatureExtractorModelConfig.newBuilder()
        .setPath(target.toString()).setInputSize(side).setBatchSize(2).build())) {
      Features f = extractor.extract(images, n, side, side);
      assertEquals(3, f.dim());
      for (int i = 0; i < n; i++) {
        for (int c = 0; c < 3; c++) {
          double mean = 0;
          for (int p = 0; p < side * side; p++) {
            mean += (255.0 * images[(i * side * side + p) * 3 + c] - 128) / 128;
          }
          mean /= side * side;
          assertEquals(mean, f.row(i)[c], 1e-5, "image " + i + " channel " + c);
        }
      }
    }
  }

  @Test
  void theGraphsOwnResizeRunsOnImagesOfAnySizeAndTheHeadIsDropped(@TempDir Path dir) throws Exception {
    Path graph = tturLikeGraph(dir, 6); // upsampling 2x2 -> 6x6, as TTUR's graph resizes 64 -> 299
    Path target = dir.resolve("inception");
    InceptionGraphImport.run(graph, target, new JsonObject());
    try (SavedModelBundle b = SavedModelBundle.load(target.toString(), "serve");
        TFloat32 in = TFloat32.tensorOf(Shape.of(2, 2, 2, 3))) {
      float[] values = {0.25f, 0.5f, 1f, 0f, 0.75f, 0.1f}; // image i channel c: a constant
      for (int i = 0; i < 2; i++) {
        for (int y = 0; y < 2; y++) {
          for (int x = 0; x < 2; x++) {
            for (int c = 0; c < 3; c++) {
              in.setFloat(values[i * 3 + c], i, y, x, c);
            }
          }
        }
      }
      try (var result = b.session().runner().feed("images", in).fetch("features").run()) {
        TFloat32 out = (TFloat32) result.get(0);
        assertEquals(Shape.of(2, 3), out.shape());
        for (int i = 0; i < 2; i++) {
          for (int c = 0; c < 3; c++) {
            assertEquals((255.0 * values[i * 3 + c] - 128) / 128, out.getFloat(i, c), 1e-5);
          }
        }
      }
      assertNull(b.graph().operation("softmax"), "the softmax head is not needed for pool_3");
      assertNull(b.graph().operation("Cast"), "the decoder side before ExpandDims is replaced");
    }
    String meta = Files.readString(target.resolve("assets.extra/restorelab.json"));
    assertTrue(meta.contains("\"feature_dim\": 2048") && meta.contains("classify_image_graph_def.pb"), meta);
  }

  @Test
  void aFileThatIsNotTheReferenceGraphIsAnErrorNamingIt(@TempDir Path dir) throws Exception {
    Path text = dir.resolve("notes.pb");
    Files.writeString(text, "this is not a graph \u00ff\u00fe");
    ConfigException bad = assertThrows(ConfigException.class,
        () -> InceptionGraphImport.run(text, dir.resolve("a"), new JsonObject()));
    assertTrue(bad.getMessage().contains("notes.pb") && bad.getMessage().contains("GraphDef"), bad.getMessage());

    Path other;
    try (Graph g = new Graph()) {
      Ops.create(g).withName("ExpandDims").constant(1f);
      other = dir.resolve("other.pb");
      Files.write(other, g.toGraphDef().toByteArray());
    }
    ConfigException missing = assertThrows(ConfigException.class,
        () -> InceptionGraphImport.run(other, dir.resolve("b"), new JsonObject()));
    assertTrue(missing.getMessage().contains("other.pb has no node 'pool_3'"), missing.getMessage());
    ConfigException absent = assertThrows(ConfigException.class,
        () -> InceptionGraphImport.run(dir.resolve("nope.pb"), dir.resolve("c"), new JsonObject()));
    assertTrue(absent.getMessage().contains("nope.pb: no such file"), absent.getMessage());
  }
}
