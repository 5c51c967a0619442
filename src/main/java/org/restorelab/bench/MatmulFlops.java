package org.restorelab.bench;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.tensorflow.Graph;
import org.tensorflow.proto.GraphDef;
import org.tensorflow.proto.NodeDef;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;
import org.tensorflow.proto.StepStats;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.TensorShapeProto;

/**
 * Counts the FLOPs of the MatMul ops that a traced run executed: 2 M N K each, with M x N read
 * from the op's output shape and K from its first input's shape (both from the run's step
 * stats) and the op's transpose_a attribute (from the GraphDef). For MLP training steps MatMuls
 * are nearly all of the arithmetic; elementwise ops are not counted, so the achieved rate is a
 * lower bound.
 */
public final class MatmulFlops {
  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("= (\\w+)\\(([^,)]*)");

  private MatmulFlops() {}

  public static long count(Graph graph, List<RunMetadata> runs) {
    GraphDef def = graph.toGraphDef();
    Map<String, NodeDef> nodes = new HashMap<>();
    for (NodeDef n : def.getNodeList()) {
      nodes.put(n.getName(), n);
    }
    long total = 0;
    for (RunMetadata run : runs) {
      Map<String, List<Long>> shapes = new HashMap<>();
      StepStats stats = run.getStepStats();
      for (DeviceStepStats dev : stats.getDevStatsList()) {
        for (NodeExecStats node : dev.getNodeStatsList()) {
          for (int i = 0; i < node.getOutputCount(); i++) {
            TensorShapeProto shape = node.getOutput(i).getTensorDescription().getShape();
            shapes.put(node.getNodeName() + ":" + node.getOutput(i).getSlot(),
                shape.getDimList().stream().map(TensorShapeProto.Dim::getSize).toList());
          }
        }
      }
      for (DeviceStepStats dev : stats.getDevStatsList()) {
        for (NodeExecStats node : dev.getNodeStatsList()) {
          // the timeline label names the executed op and its runtime inputs: "n = MatMul(a, b)"
          java.util.regex.Matcher m = LABEL.matcher(node.getTimelineLabel());
          NodeDef def0 = nodes.get(node.getNodeName());
          if (!m.find() || !m.group(1).endsWith("MatMul") || def0 == null) {
            continue;
          }
          List<Long> out = shapes.get(node.getNodeName() + ":0");
          String input = m.group(2).trim();
          List<Long> a = shapes.get(input.contains(":") ? input : input + ":0");
          if (out == null || a == null || out.size() != 2 || a.size() != 2) {
            continue;
          }
          boolean transposeA = def0.containsAttr("transpose_a") && def0.getAttrOrThrow("transpose_a").getB();
          long k = transposeA ? a.get(0) : a.get(1);
          total += 2L * out.get(0) * out.get(1) * k;
        }
      }
    }
    return total;
  }
}
