package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigException;

/** Headline numbers from a results.json, and the spread over seeds. */
class MetricsTest {
  private static final JsonObject RESULTS = JsonParser.parseString("""
      {"schema": "restorelab.reproduce.toy/1", "step": 30, "seconds": 1.5, "name": "x",
       "configs": [{"config": "toy-tiny", "estimators": [
          {"name": "ErraticGAN", "precision": 0.25, "recall": 0.5},
          {"name": "StoRobustGAN", "precision": 0.75}]}]}
      """).getAsJsonObject();

  @Test
  void everyTopLevelNumberByDefault() {
    assertThat(Metrics.of(RESULTS, List.of())).containsExactly(
        java.util.Map.entry("step", 30.0), java.util.Map.entry("seconds", 1.5));
  }

  @Test
  void namedPathsPickArrayElementsByNameConfigOrIndex() {
    assertThat(Metrics.of(RESULTS, List.of("configs[toy-tiny].estimators[StoRobustGAN].precision",
        "configs[0].estimators[ErraticGAN].recall", "configs[0].estimators[StoRobustGAN].recall", "name")))
        .containsExactly(java.util.Map.entry("configs[toy-tiny].estimators[StoRobustGAN].precision", 0.75),
            java.util.Map.entry("configs[0].estimators[ErraticGAN].recall", 0.5));
    assertThatThrownBy(() -> Metrics.parse("a..b", "sweep.pbtxt: metrics")).isInstanceOf(ConfigException.class)
        .hasMessage("sweep.pbtxt: metrics: bad path a..b (expected key.key[name].key)");
  }

  @Test
  void meanAndSampleStandardDeviation() {
    // 1, 2, 4: mean 7/3; squared deviations 16/9, 1/9, 25/9 sum to 42/9; over n - 1 = 2: 7/3
    double[] m = SweepSummary.meanStd(new double[] {1, 2, 4});
    assertThat(m[0]).isCloseTo(7.0 / 3, within(1e-15));
    assertThat(m[1]).isCloseTo(Math.sqrt(7.0 / 3), within(1e-15));
    assertThat(m[2]).isEqualTo(3);
    assertThat(SweepSummary.meanStd(new double[] {5})).containsExactly(5, 0, 1);
    assertThat(SweepSummary.fmt(30)).isEqualTo("30");
    assertThat(SweepSummary.fmt(0.0300968)).isEqualTo("0.0300968");
  }
}
