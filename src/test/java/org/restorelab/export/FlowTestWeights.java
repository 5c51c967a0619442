package org.restorelab.export;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.estimator.flow.ConditionalFlow;
import org.restorelab.graph.Parameters;
import org.restorelab.train.Checkpoint;
import org.restorelab.train.ConditionalFlowGraph;
import org.restorelab.train.VariableStore;
import org.tensorflow.Graph;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TFloat32;

/** Weights for flow export tests: a config's initial weights, every trainable one plus Gaussian noise. */
final class FlowTestWeights {
  private FlowTestWeights() {}

  /**
   * The flow's initial weights at the config's image size, each trainable value plus N(0, sigma^2)
   * (Box-Muller from a {@link SplittableRandom} of the seed), so the zero-initialized layers act.
   */
  static Map<String, Checkpoint.Tensor> perturbedInitial(ConditionalFlowConfig config, double sigma, long seed) {
    Map<String, Checkpoint.Tensor> weights;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<TFloat32> params = new Parameters<>(tf, ConditionalFlowGraph.NETWORK, 0, TFloat32.class);
      Parameters<TFloat32> fixed = new Parameters<>(tf, ConditionalFlowGraph.FIXED, 0, TFloat32.class);
      new ConditionalFlow<>(params, fixed, config.getFlow(), config.getData().getImageSize(),
          config.getTask().getSuperResolution().getScale());
      VariableStore store = new VariableStore(tf, List.of(params, fixed));
      try (Session session = new Session(g)) {
        store.initialize(session);
        weights = new LinkedHashMap<>(store.read(session));
      }
    }
    SplittableRandom r = new SplittableRandom(seed);
    weights.replaceAll((name, t) -> {
      float[] v = t.values().clone();
      if (!name.startsWith(ConditionalFlowGraph.FIXED)) {
        for (int i = 0; i < v.length; i++) {
          v[i] += (float) (sigma * Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble()));
        }
      }
      return new Checkpoint.Tensor(t.shape(), v);
    });
    return weights;
  }
}
