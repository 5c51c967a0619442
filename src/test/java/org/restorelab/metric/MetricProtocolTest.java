package org.restorelab.metric;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class MetricProtocolTest {
  @Test
  void namesFollowStylegan2AdaWithTheCountsAsFields() {
    JsonObject metrics = new JsonObject();
    MetricProtocol.fid(5000, 4000).addTo(metrics);
    MetricProtocol.precisionRecall(3, 5000, 4000).addTo(metrics);
    assertEquals("{\"fid\":{\"real_samples\":5000,\"generated_samples\":4000},"
        + "\"precision_recall_k3\":{\"real_samples\":5000,\"generated_samples\":4000}}", metrics.toString());
    assertEquals("precision_recall_k5", MetricProtocol.precisionRecall(5, 1000, 1000).name());
  }

  @Test
  void aNonPositiveKIsRefused() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> MetricProtocol.precisionRecall(0, 10, 10));
    assertEquals("precision/recall k must be at least 1, got 0", e.getMessage());
  }
}
