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
 * Counts the FLOPs of the MatMul and convolution ops that a traced run executed, from the shapes
 * in the run's step stats (the timeline label "n = Op(a, b, ...)" names the executed op and its
 * runtime inputs, fused and oneDNN variants included):
 * <ul>
 *   <li>MatMul: 2 M N K, with M x N the output and K from the first input and transpose_a;
 *   <li>Conv2D (forward): 2 |y| kh kw cin, y the output [n, h, w, cout], filter [kh, kw, cin, cout] the second input;
 *   <li>Conv2DBackpropInput: 2 |dy| kh kw c, dy the third input, filter [kh, kw, c, cdy] the second input;
 *   <li>Conv2DBackpropFilter: 2 |dy| kh kw cin, dy the third input, the output the filter gradient.
 * </ul>
 * These are nearly all of the arithmetic of MLP and CNN training steps; elementwise ops are not
 * counted, so the achieved rate is a lower bound.
 */
public final class TracedFlops {
  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("= ([\\w]+)\\(([^)]*)\\)");

  private TracedFlops() {}

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
          java.util.regex.Matcher m = LABEL.matcher(node.getTimelineLabel());
          if (!m.find()) {
            continue;
          }
          String op = m.group(1);
          List<List<Long>> inputs = new java.util.ArrayList<>();
          for (String input : m.group(2).split(",")) {
            String name = input.trim();
            inputs.add(shapes.get(name.contains(":") ? name : name + ":0"));
          }
          List<Long> out = shapes.get(node.getNodeName() + ":0");
          total += flops(op, nodes.get(node.getNodeName()), inputs, out);
        }
      }
    }
    return total;
  }

  private static long flops(String op, NodeDef def, List<List<Long>> inputs, List<Long> out) {
    if (op.endsWith("MatMul")) {
      List<Long> a = inputs.isEmpty() ? null : inputs.get(0);
      if (out == null || a == null || out.size() != 2 || a.size() != 2 || def == null) {
        return 0;
      }
      boolean transposeA = def.containsAttr("transpose_a") && def.getAttrOrThrow("transpose_a").getB();
      long k = transposeA ? a.get(0) : a.get(1);
      return 2L * out.get(0) * out.get(1) * k;
    }
    if (op.contains("Conv2DBackpropInput")) {
      return convolution(at(inputs, 2), at(inputs, 1));
    }
    if (op.contains("Conv2DBackpropFilter")) {
      return convolution(at(inputs, 2), out);
    }
    if (op.contains("Conv2D")) {
      return convolution(out, at(inputs, 1));
    }
    return 0;
  }

  /** 2 |y| kh kw c_other: y [n, h, w, cy], filter [kh, kw, a, b] with cy one of a, b. */
  private static long convolution(List<Long> y, List<Long> filter) {
    if (y == null || filter == null || y.size() != 4 || filter.size() != 4) {
      return 0;
    }
    long cy = y.get(3);
    long other = filter.get(3) == cy ? filter.get(2) : filter.get(3);
    return 2L * y.get(0) * y.get(1) * y.get(2) * cy * filter.get(0) * filter.get(1) * other;
  }

  private static List<Long> at(List<List<Long>> list, int i) {
    return i < list.size() ? list.get(i) : null;
  }
}
