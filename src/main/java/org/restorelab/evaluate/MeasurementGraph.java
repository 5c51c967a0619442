package org.restorelab.evaluate;

import org.restorelab.run.TfSessions;
import org.restorelab.task.RestorationTask;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * The task's own degradation y = D(x) and network-input view, run on batches of clean images:
 * the evaluation makes its inputs with the same graph code the trainer uses.
 */
public final class MeasurementGraph implements AutoCloseable {
  private final Graph graph = new Graph();
  private final Session session;
  private final Placeholder<TFloat32> x;
  private final Placeholder<TFloat32> yIn;
  private final Operand<TFloat32> y;
  private final Operand<TFloat32> view;
  private final RestorationTask task;

  public MeasurementGraph(RestorationTask task) {
    this.task = task;
    Ops tf = Ops.create(graph);
    x = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1).append(task.signalShape())));
    y = tf.identity(task.degrade(tf, x));
    yIn = tf.placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1).append(task.measurementShape())));
    view = tf.identity(task.networkInput(tf, yIn));
    session = TfSessions.open(graph);
  }

  /** y = D(x) for n clean images. */
  public float[] degrade(float[] images, int n) {
    return run(x, images, task.signalShape(), y, n, (int) task.measurementSize());
  }

  /** The network's (signal-shaped) view of n measurements: for grids. */
  public float[] view(float[] measurements, int n) {
    return run(yIn, measurements, task.measurementShape(), view, n, (int) task.signalShape().size());
  }

  private float[] run(Placeholder<TFloat32> in, float[] values, Shape row, Operand<TFloat32> out, int n, int outRow) {
    try (TFloat32 t = TFloat32.tensorOf(Shape.of(n).append(row), DataBuffers.of(values, true, false));
        Result r = session.runner().feed(in, t).fetch(out).run()) {
      float[] result = new float[n * outRow];
      ((TFloat32) r.get(0)).asRawTensor().data().asFloats().read(result);
      return result;
    }
  }

  @Override
  public void close() {
    session.close();
    graph.close();
  }
}
