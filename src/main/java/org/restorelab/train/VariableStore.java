package org.restorelab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.restorelab.graph.Parameters;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Every variable of a graph that a checkpoint holds, by name, with ops to initialise them, read
 * their values and assign saved values back.
 */
public final class VariableStore {
  private final Map<String, Parameters.Parameter<TFloat32>> byName = new LinkedHashMap<>();
  private final Map<String, Placeholder<TFloat32>> restoreInputs = new LinkedHashMap<>();
  private final List<Op> restoreOps = new ArrayList<>();
  private final List<Op> initializers = new ArrayList<>();

  public VariableStore(Ops tf, List<Parameters<TFloat32>> groups) {
    for (Parameters<TFloat32> group : groups) {
      for (Parameters.Parameter<TFloat32> p : group.list()) {
        byName.put(p.name(), p);
        Placeholder<TFloat32> in = tf.withName(p.name() + "_restore_value")
            .placeholder(TFloat32.class, Placeholder.shape(p.shape()));
        restoreInputs.put(p.name(), in);
        restoreOps.add(tf.withName(p.name() + "_restore").assign(p.variable(), in));
        initializers.add(p.initializer());
      }
    }
  }

  /** Runs every variable's initializer. */
  public void initialize(Session session) {
    Session.Runner r = session.runner();
    initializers.forEach(r::addTarget);
    r.run().close();
  }

  /** name -> (shape, values) of every variable, in a fixed order. */
  public Map<String, Checkpoint.Tensor> read(Session session) {
    Session.Runner r = session.runner();
    List<String> names = new ArrayList<>(byName.keySet());
    for (String n : names) {
      r.fetch(byName.get(n).read());
    }
    Map<String, Checkpoint.Tensor> out = new LinkedHashMap<>();
    try (Result result = r.run()) {
      for (int i = 0; i < names.size(); i++) {
        out.put(names.get(i), Checkpoint.Tensor.of((TFloat32) result.get(i)));
      }
    }
    return out;
  }

  /** Assigns saved values; every variable must be present with its shape. */
  public void assign(Session session, Map<String, Checkpoint.Tensor> values, String source) {
    List<TFloat32> tensors = new ArrayList<>();
    try {
      Session.Runner r = session.runner();
      for (Map.Entry<String, Parameters.Parameter<TFloat32>> e : byName.entrySet()) {
        Checkpoint.Tensor saved = values.get(e.getKey());
        if (saved == null) {
          throw new IllegalStateException(source + ": no value for variable " + e.getKey());
        }
        Shape shape = Shape.of(saved.shape());
        if (!shape.equals(e.getValue().shape())) {
          throw new IllegalStateException(source + ": variable " + e.getKey() + " has shape " + shape
              + " in the checkpoint, the graph expects " + e.getValue().shape());
        }
        TFloat32 t = TFloat32.tensorOf(shape, DataBuffers.of(saved.values(), true, false));
        tensors.add(t);
        r.feed(restoreInputs.get(e.getKey()), t);
      }
      restoreOps.forEach(r::addTarget);
      r.run().close();
    } finally {
      tensors.forEach(TFloat32::close);
    }
  }

  public List<String> names() {
    return List.copyOf(byName.keySet());
  }
}
