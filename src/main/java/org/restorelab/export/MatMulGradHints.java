package org.restorelab.export;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.restorelab.run.AtomicFiles;
import org.tensorflow.proto.FunctionDef;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.MetaGraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.SavedModel;

/**
 * Removes the {@code grad_a} / {@code grad_b} attributes from the MatMul nodes of a written
 * SavedModel. TensorFlow 2.12 and later put them on every MatMul (false in an inference graph:
 * they only mark MatMuls of a backward pass for the optimizer); TensorFlow 2.10 (TF-Java 0.5.0) does
 * not know them and logs an error for each graph it loads. Without them every runtime reads the
 * attribute's default, so the graph computes the same.
 */
final class MatMulGradHints {
  /** The attributes removed. */
  static final List<String> ATTRIBUTES = List.of("grad_a", "grad_b");
  private static final String MATMUL = "MatMul";

  private MatMulGradHints() {}

  /** Rewrites {@code dir/saved_model.pb} without the attributes (atomically; untouched when it has none). */
  static void strip(Path dir) throws IOException {
    Path file = dir.resolve("saved_model.pb");
    SavedModel model = SavedModel.parseFrom(Files.readAllBytes(file));
    SavedModel stripped = strip(model);
    if (!stripped.equals(model)) {
      AtomicFiles.write(file, stripped.toByteArray());
    }
  }

  /** The model with the attributes removed from every MatMul of every meta graph and its functions. */
  static SavedModel strip(SavedModel model) {
    SavedModel.Builder builder = model.toBuilder();
    for (MetaGraphDef.Builder meta : builder.getMetaGraphsBuilderList()) {
      GraphDef.Builder graph = meta.getGraphDefBuilder();
      graph.getNodeBuilderList().forEach(MatMulGradHints::strip);
      for (FunctionDef.Builder function : graph.getLibraryBuilder().getFunctionBuilderList()) {
        function.getNodeDefBuilderList().forEach(MatMulGradHints::strip);
      }
    }
    return builder.build();
  }

  private static void strip(NodeDef.Builder node) {
    if (node.getOp().equals(MATMUL)) {
      ATTRIBUTES.forEach(node::removeAttr);
    }
  }
}
