package org.restorelab.run;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Ops;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;
import org.tensorflow.types.TFloat32;

/** The session config a caller sets for a call reaches the sessions opened in it, and only those. */
class TfSessionsTest {
  static final ConfigProto GPU_0 = ConfigProto.newBuilder()
      .setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList("0")).build();

  /** 2 + 3 in a session opened by {@link TfSessions#open}. */
  static float addInASession() {
    try (Graph g = new Graph(); Session s = TfSessions.open(g)) {
      Ops tf = Ops.create(g);
      tf.withName("sum").math.add(tf.constant(2f), tf.constant(3f));
      try (Result r = s.runner().fetch("sum").run()) {
        return ((TFloat32) r.get(0)).getFloat();
      }
    }
  }

  @Test
  void theConfigHoldsForTheCallItsThreadsAndNoLonger() throws Exception {
    assertThat(TfSessions.config()).isNull();
    assertThat(addInASession()).isEqualTo(5f);
    AtomicReference<ConfigProto> inChild = new AtomicReference<>();
    float sum = TfSessions.withConfig(GPU_0, () -> {
      assertThat(TfSessions.config().getGpuOptions().getVisibleDeviceList()).isEqualTo("0");
      Thread child = new Thread(() -> inChild.set(TfSessions.config()));
      child.start();
      child.join();
      // nested calls restore the outer config
      assertThat(TfSessions.withConfig(null, TfSessions::config)).isNull();
      assertThat(TfSessions.config()).isSameAs(GPU_0);
      // the CPU build accepts a GPU list (it has no GPU devices to map) and runs the graph
      return addInASession();
    });
    assertThat(sum).isEqualTo(5f);
    assertThat(inChild.get()).isSameAs(GPU_0);
    assertThat(TfSessions.config()).isNull();
  }

  @Test
  void theConfigIsRestoredWhenTheCallFails() {
    try {
      TfSessions.withConfig(GPU_0, () -> {
        throw new IllegalStateException("boom");
      });
    } catch (Exception e) {
      assertThat(e).hasMessage("boom");
    }
    assertThat(TfSessions.config()).isNull();
  }
}
