package org.restorelab.graph;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.function.Consumer;
import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.GraphOperation;
import org.tensorflow.Operand;
import org.tensorflow.Output;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.Tensor;
import org.tensorflow.internal.types.registry.TensorTypeRegistry;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.DataType;
import org.tensorflow.types.TInt64;

/**
 * The bytes of the floating-point tensors a graph's ops output, at a given batch: the measure
 * behind {@code org.restorelab.train.StepMemory}'s refusal of batches that cannot fit.
 *
 * <p>What is counted: every output of every op whose type is float32, float64, bfloat16 or
 * float16 (activations, losses, every gradient of the backward graph, the optimizer's update
 * terms, the robustness attack's unrolled steps, the reads of every variable), each as its own
 * buffer of (number of elements) x (bytes per element). TensorFlow frees a tensor once its last
 * consumer has run and forwards buffers in place, so this sum bounds from above what one run of
 * the graph holds at once. Not counted: integer and boolean tensors (shape arithmetic, seeds,
 * labels: small), the reference outputs of assign and apply ops (the variable they update, which
 * is counted once, as its {@code VariableV2} op's output: weights and Adam slots), kernels' private scratch space (e.g. a
 * convolution's workspace), and everything outside the graph (the JVM, data sets, the loader's
 * prefetched batches, the TensorFlow runtime itself, ~300 MB).
 *
 * <p>Shapes: an output whose static shape is fully known is counted from it, without running
 * anything. The others (a batch dimension of -1, a shape computed at run time) are measured: a
 * {@code Shape} op is added for each, and one session run, with every placeholder fed zeros
 * whose unknown dimensions are {@code batch}, fetches them all. So a graph built for a batch of 1
 * or 2 is measured at that batch without allocating anything at the size a config asks for.
 */
public final class GraphMemory {
  private GraphMemory() {}

  /**
   * The bytes of every floating-point output of {@code graph}'s ops when its placeholders' unknown
   * dimensions are {@code batch}. {@code initialize} runs the graph's variable initializers in the
   * throwaway session (needed only when some shape must be measured). The graph gains a
   * {@code Shape} op per output of unknown shape: measure a graph built for the purpose.
   */
  public static long floatBytes(Graph graph, long batch, Consumer<Session> initialize) {
    return floatBytes(graph, new long[] {batch}, initialize)[0];
  }

  /**
   * {@link #floatBytes(Graph, long, Consumer)} at each of {@code batches}, measured in one session
   * (building and optimising the session dominates the cost, not the runs).
   */
  public static long[] floatBytes(Graph graph, long[] batches, Consumer<Session> initialize) {
    long known = 0;
    List<Output<?>> measured = new ArrayList<>();
    List<Output<?>> placeholders = new ArrayList<>();
    for (Iterator<GraphOperation> it = graph.operations(); it.hasNext(); ) {
      GraphOperation op = it.next();
      if (op.type().equals("Placeholder")) {
        placeholders.add(op.output(0));
      }
      for (int i = 0; i < op.numOutputs(); i++) {
        Output<?> out = op.output(i);
        int size = bytesPerElement(out.dataType());
        if (size == 0 || isReference(out.dataType()) && !op.type().startsWith("Variable")) {
          continue;
        }
        Shape s = out.shape();
        if (!s.isUnknown() && !s.hasUnknownDimension()) {
          known += size * s.size();
        } else {
          measured.add(out);
        }
      }
    }
    long[] bytes = new long[batches.length];
    java.util.Arrays.fill(bytes, known);
    if (measured.isEmpty()) {
      return bytes;
    }
    Ops tf = Ops.create(graph);
    List<Operand<TInt64>> shapes = new ArrayList<>();
    for (Output<?> out : measured) {
      shapes.add(tf.shape(out, TInt64.class));
    }
    try (Session session = TfSessions.open(graph)) {
      initialize.accept(session);
      for (int b = 0; b < batches.length; b++) {
        List<Tensor> feeds = new ArrayList<>();
        try {
          Session.Runner runner = session.runner();
          for (Output<?> p : placeholders) {
            Tensor t = zeros(p, batches[b]);
            feeds.add(t);
            runner.feed(p, t);
          }
          shapes.forEach(runner::fetch);
          try (Result result = runner.run()) {
            for (int i = 0; i < measured.size(); i++) {
              TInt64 dims = (TInt64) result.get(i);
              long elements = 1;
              for (int d = 0; d < dims.shape().size(); d++) {
                elements *= dims.getLong(d);
              }
              bytes[b] += bytesPerElement(measured.get(i).dataType()) * elements;
            }
          }
        } finally {
          feeds.forEach(Tensor::close);
        }
      }
    }
    return bytes;
  }

  /** A tensor of zeros of the placeholder's type and shape, unknown dimensions set to {@code batch}. */
  private static Tensor zeros(Output<?> placeholder, long batch) {
    Shape s = placeholder.shape();
    if (s.isUnknown()) {
      throw new IllegalArgumentException("placeholder " + placeholder.op().name() + " has an unknown rank");
    }
    long[] dims = s.asArray();
    for (int i = 0; i < dims.length; i++) {
      dims[i] = dims[i] < 0 ? batch : dims[i];
    }
    Shape shape = Shape.of(dims);
    long bytes = shape.size() * TensorTypeRegistry.find(placeholder.dataType()).byteSize();
    return Tensor.of(placeholder.type(), shape, DataBuffers.of(new byte[Math.toIntExact(bytes)], true, false));
  }

  private static boolean isReference(DataType t) {
    return t.name().endsWith("_REF");
  }

  /** Bytes per element of a floating-point type (its reference type too), 0 for any other type. */
  static int bytesPerElement(DataType t) {
    return switch (t) {
      case DT_FLOAT, DT_FLOAT_REF -> 4;
      case DT_DOUBLE, DT_DOUBLE_REF -> 8;
      case DT_BFLOAT16, DT_BFLOAT16_REF, DT_HALF, DT_HALF_REF -> 2;
      default -> 0;
    };
  }
}
