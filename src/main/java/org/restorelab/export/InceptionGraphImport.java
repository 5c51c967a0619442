package org.restorelab.export;

import com.google.gson.JsonObject;
import com.google.protobuf.InvalidProtocolBufferException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.restorelab.config.ConfigException;
import org.restorelab.run.TfSessions;
import org.restorelab.savedmodel.ModelMetadata;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Squeeze;
import org.tensorflow.proto.AttrValue;
import org.tensorflow.proto.DataType;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.TensorProto;
import org.tensorflow.proto.TensorShapeProto;
import org.tensorflow.types.TFloat32;

/**
 * The reference FID network of Heusel et al. 2017 (TTUR's {@code fid.py}; pytorch-fid ports the
 * same weights), imported from the user's own frozen GraphDef {@code classify_image_graph_def.pb}
 * (from {@code inception-2015-12-05.tgz}) and wrapped as a feature SavedModel with the harness's
 * signature: {@code images} [n, h, w, 3] float32 in [0, 1] -> {@code features} [n, 2048].
 *
 * <p>Exactly as TTUR feeds it: the images, times 255, replace the output of the graph's
 * {@value #INPUT_NODE} node (TTUR feeds {@code ExpandDims:0} with 0-255 values), so the graph's own
 * ResizeBilinear to 299x299 and its (x - 128) / 128 normalisation run unchanged, and the features
 * are {@value #OUTPUT_NODE}:0 squeezed from [n, 1, 1, 2048]. Only the nodes {@value #OUTPUT_NODE}
 * depends on are kept (the JPEG decoder and the softmax head are dropped). The spatial size is
 * free: give the harness images at their own size ({@code features.input_size} = the data's image
 * size) so that the resize to 299 is the reference's, not ours.
 */
public final class InceptionGraphImport {
  /** The node whose output TTUR feeds with 0-255 images. */
  public static final String INPUT_NODE = "ExpandDims";
  /** The 2048-d pool-3 features [n, 1, 1, 2048]. */
  public static final String OUTPUT_NODE = "pool_3";

  private InceptionGraphImport() {}

  /** Reads, checks, rewrites and exports {@code graphFile} into the SavedModel folder {@code target}. */
  public static void run(Path graphFile, Path target, JsonObject provenance) throws IOException {
    GraphDef original = read(graphFile);
    GraphDef rewritten = rewrite(original, graphFile);
    Path staging = StagedExport.staging(target);
    try (Graph g = new Graph()) {
      g.importGraphDef(rewritten);
      Ops tf = Ops.create(g);
      Output<TFloat32> images = g.operation("images").output(0);
      Output<TFloat32> pool = g.operation(OUTPUT_NODE).output(0);
      Operand<TFloat32> features = tf.withName("features").squeeze(pool, Squeeze.axis(1L, 2L)); // [n, 1, 1, d] -> [n, d]
      try (Session session = TfSessions.open(g)) {
        SavedModelBundle.exporter(staging.toString()).withSession(session).withSignature(
            Signature.builder().key(Signature.DEFAULT_KEY).methodName("tensorflow/serving/predict")
                .input("images", images).output("features", features).build())
            .export();
      }
    }
    JsonObject meta = new JsonObject();
    meta.addProperty("format", ModelMetadata.FEATURE_EXTRACTOR);
    meta.addProperty("name", "InceptionV3 pool-3 (TTUR reference graph)");
    meta.addProperty("input", "images [n, h, w, 3] float32 in [0, 1], NHWC RGB, any h and w: the graph resizes"
        + " to 299x299 itself (TTUR's ResizeBilinear)");
    meta.addProperty("feature_dim", 2048);
    meta.addProperty("source", graphFile.getFileName().toString());
    meta.addProperty("source_bytes", Files.size(graphFile));
    meta.addProperty("nodes_kept", rewritten.getNodeCount() - 2);
    meta.addProperty("nodes_in_source", original.getNodeCount());
    meta.addProperty("rewrite", "images * 255 replaces " + INPUT_NODE + ":0 (as TTUR feeds it); features = "
        + OUTPUT_NODE + ":0 squeezed to [n, 2048]");
    meta.add("provenance", provenance);
    StagedExport.publish(staging, meta, target);
  }

  /** The GraphDef in {@code graphFile}; a missing or non-GraphDef file is a {@link ConfigException} naming it. */
  public static GraphDef read(Path graphFile) throws IOException {
    if (!Files.isRegularFile(graphFile)) {
      throw new ConfigException("--graph " + graphFile + ": no such file (expected TTUR's frozen"
          + " classify_image_graph_def.pb from inception-2015-12-05.tgz)");
    }
    try {
      return GraphDef.parseFrom(Files.readAllBytes(graphFile));
    } catch (InvalidProtocolBufferException e) {
      throw new ConfigException("--graph " + graphFile + " is not a binary TensorFlow GraphDef (" + e.getMessage()
          + "); expected TTUR's frozen classify_image_graph_def.pb");
    }
  }

  /**
   * The nodes {@value #OUTPUT_NODE} needs, with {@value #INPUT_NODE} replaced by
   * Mul(images, 255) under the same name, plus the placeholder {@code images}.
   */
  static GraphDef rewrite(GraphDef graph, Path graphFile) {
    Map<String, NodeDef> byName = new HashMap<>();
    for (NodeDef n : graph.getNodeList()) {
      byName.put(n.getName(), n);
    }
    for (String needed : new String[] {INPUT_NODE, OUTPUT_NODE}) {
      if (!byName.containsKey(needed)) {
        throw new ConfigException("--graph " + graphFile + " has no node '" + needed + "' (" + graph.getNodeCount()
            + " nodes): expected TTUR's frozen classify_image_graph_def.pb, which feeds " + INPUT_NODE
            + ":0 and reads " + OUTPUT_NODE + ":0");
      }
    }
    if (byName.containsKey("images")) {
      throw new ConfigException("--graph " + graphFile + " already has a node 'images', the name of the wrapper's input");
    }
    // keep what pool_3 depends on, stopping at ExpandDims (which is replaced)
    Set<String> keep = new HashSet<>();
    Deque<String> todo = new ArrayDeque<>();
    todo.push(OUTPUT_NODE);
    while (!todo.isEmpty()) {
      String name = todo.pop();
      if (!keep.add(name) || name.equals(INPUT_NODE)) {
        continue;
      }
      NodeDef n = byName.get(name);
      if (n == null) {
        throw new ConfigException("--graph " + graphFile + ": node '" + name + "' is an input of the graph but missing");
      }
      for (String input : n.getInputList()) {
        String source = input.startsWith("^") ? input.substring(1) : input;
        int colon = source.indexOf(':');
        todo.push(colon < 0 ? source : source.substring(0, colon));
      }
    }
    GraphDef.Builder out = graph.toBuilder().clearNode();
    out.addNode(NodeDef.newBuilder().setName("images").setOp("Placeholder")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("shape", AttrValue.newBuilder().setShape(TensorShapeProto.newBuilder()
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1)).addDim(TensorShapeProto.Dim.newBuilder().setSize(-1))
            .addDim(TensorShapeProto.Dim.newBuilder().setSize(-1)).addDim(TensorShapeProto.Dim.newBuilder().setSize(3)))
            .build()));
    out.addNode(NodeDef.newBuilder().setName("images_scale").setOp("Const")
        .putAttr("dtype", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build())
        .putAttr("value", AttrValue.newBuilder().setTensor(TensorProto.newBuilder().setDtype(DataType.DT_FLOAT)
            .setTensorShape(TensorShapeProto.getDefaultInstance()).addFloatVal(255f)).build()));
    for (NodeDef n : graph.getNodeList()) {
      if (n.getName().equals(INPUT_NODE)) {
        out.addNode(NodeDef.newBuilder().setName(INPUT_NODE).setOp("Mul").addInput("images").addInput("images_scale")
            .putAttr("T", AttrValue.newBuilder().setType(DataType.DT_FLOAT).build()));
      } else if (keep.contains(n.getName())) {
        out.addNode(n.toBuilder().clearDevice().removeAttr("_output_shapes")); // batch-1 shapes of 2015
      }
    }
    return out.build();
  }
}
