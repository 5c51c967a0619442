package org.restorelab.metric;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.restorelab.bench.FullScaleMetricsBenchmark;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.PrecisionRecallConfig;

/** The engine an evaluation computes precision/recall with: local by default, a caller's within its scope. */
class PrecisionRecallEngineTest {
  private static Features gaussian(int n, int dim, double shift, long seed) {
    Features f = FullScaleMetricsBenchmark.randomFeatures(n, dim, seed);
    for (int i = 0; i < f.data().length; i++) {
      f.data()[i] += (float) shift;
    }
    return f;
  }


  @Test
  void theLocalEngineIsTheConfiguredMetric() {
    Features real = gaussian(150, 8, 0, 1);
    Features generated = gaussian(120, 8, 0.4, 2);
    PrecisionRecallConfig config = PrecisionRecallConfig.newBuilder().setK(4).setTileSize(32)
        .setBackend(DistanceBackend.JAVA).build();
    PrecisionRecall.Result expected;
    try (PairwiseDistances d = PairwiseDistances.create(DistanceBackend.JAVA, 8)) {
      expected = new PrecisionRecall(4, 32, d).compute(real, generated);
    }
    assertThat(PrecisionRecallEngine.current()).isSameAs(PrecisionRecallEngine.LOCAL);
    assertThat(PrecisionRecallEngine.LOCAL.compute(config, real, generated)).isEqualTo(expected);
    assertThat(expected.precision()).isBetween(0.05, 0.99);
  }

  @Test
  void anEngineHoldsWithinItsScopeAndItsThreadsOnly() throws Exception {
    PrecisionRecallEngine fixed = (config, real, generated) -> new PrecisionRecall.Result(0.25, 0.75);
    AtomicReference<PrecisionRecallEngine> inThread = new AtomicReference<>();
    PrecisionRecallEngine inside = PrecisionRecallEngine.withEngine(fixed, () -> {
      Thread t = new Thread(() -> inThread.set(PrecisionRecallEngine.current()));
      t.start();
      t.join();
      return PrecisionRecallEngine.current();
    });
    assertThat(inside).isSameAs(fixed);
    assertThat(inThread.get()).isSameAs(fixed);
    assertThat(PrecisionRecallEngine.current()).isSameAs(PrecisionRecallEngine.LOCAL);
    PrecisionRecallEngine nested = PrecisionRecallEngine.withEngine(fixed,
        () -> PrecisionRecallEngine.withEngine(null, PrecisionRecallEngine::current));
    assertThat(nested).isSameAs(PrecisionRecallEngine.LOCAL);
  }
}
