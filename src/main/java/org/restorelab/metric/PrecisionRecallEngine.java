package org.restorelab.metric;

import java.util.concurrent.Callable;
import org.restorelab.config.PrecisionRecallConfig;

/**
 * Where an evaluation computes precision/recall from its feature sets: in this JVM by default
 * ({@link #LOCAL}: {@link PrecisionRecall#of} on the config's backend), or in an engine a caller
 * puts in force for the duration of a call ({@link #withEngine}), e.g. restorelab-spark's blocked
 * k-NN over a cluster. Any engine must return the local engine's numbers. The engine holds for the
 * calling thread and the threads it starts.
 */
public interface PrecisionRecallEngine {
  /** Precision and recall of {@code generated} against {@code real} as {@code config} asks for them. */
  PrecisionRecall.Result compute(PrecisionRecallConfig config, Features real, Features generated);

  /** This JVM: the config's backend (AUTO by the feature dimension) and candidate pass. */
  PrecisionRecallEngine LOCAL = (config, real, generated) -> {
    try (PairwiseDistances d = PairwiseDistances.create(config.getBackend(), generated.dim())) {
      return PrecisionRecall.of(config, d).compute(real, generated);
    }
  };

  /** The engine in force for this thread: the one given to {@link #withEngine}, else {@link #LOCAL}. */
  static PrecisionRecallEngine current() {
    PrecisionRecallEngine e = Scope.ENGINE.get();
    return e == null ? LOCAL : e;
  }

  /** Runs {@code body} with {@code engine} (null: {@link #LOCAL}) in force; the previous one after. */
  static <T> T withEngine(PrecisionRecallEngine engine, Callable<T> body) throws Exception {
    PrecisionRecallEngine previous = Scope.ENGINE.get();
    Scope.ENGINE.set(engine);
    try {
      return body.call();
    } finally {
      if (previous == null) {
        Scope.ENGINE.remove();
      } else {
        Scope.ENGINE.set(previous);
      }
    }
  }

  /** The thread-scoped engine. */
  final class Scope {
    private static final InheritableThreadLocal<PrecisionRecallEngine> ENGINE = new InheritableThreadLocal<>();

    private Scope() {}
  }
}
