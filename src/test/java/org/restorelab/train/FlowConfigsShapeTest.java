package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.data.image.BatchLoader;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.op.Op;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * Every conditional-flow config under configs/ (the CelebA one and the CPU one) validates, builds
 * its training graph at the configured shapes, initializes its ActNorms and takes one
 * maximum-likelihood step on random images, with a finite loss near the 8 bits per dimension of
 * an untrained flow. To keep the suite short the step uses a batch of 2 and one step of flow per
 * level: every step of a level has the same shapes, so neither changes a shape (the full K is
 * built and inverted in ConditionalFlowTest for the CPU architecture).
 */
class FlowConfigsShapeTest {

  static Stream<Path> configs() throws IOException {
    List<Path> all = new java.util.ArrayList<>();
    for (String dir : List.of("configs/celeba", "configs/imagenet", "configs/cpu")) {
      try (Stream<Path> files = Files.list(Path.of(dir))) {
        files.filter(p -> p.toString().endsWith(".pbtxt")).sorted()
            .filter(p -> ConfigLoader.load(p).getJobCase() == ExperimentConfig.JobCase.CONDITIONAL_FLOW).forEach(all::add);
      }
    }
    return all.stream();
  }

  @org.junit.jupiter.api.Test
  void thereIsAPaperScaleAndACpuScaleFlow() throws IOException {
    assertThat(configs().map(Path::toString).toList()).contains("configs/celeba/sr4-SRFlow.pbtxt",
        "configs/cpu/sr4-SRFlow.pbtxt");
    ConditionalFlowConfig celeba = ConfigLoader.load(Path.of("configs/celeba/sr4-SRFlow.pbtxt")).getConditionalFlow();
    assertThat(celeba.getFlow().getStepsPerLevel()).isEqualTo(16);
    assertThat(celeba.getTemperature()).isEqualTo(0.9);
  }

  @ParameterizedTest
  @MethodSource("configs")
  void buildsAndTakesOneStepAtTheConfiguredShapes(Path file) throws Exception {
    ConditionalFlowConfig full = ConfigLoader.load(file).getConditionalFlow();
    ConditionalFlowTrainer.validate(full, file.toString());
    ConditionalFlowConfig c = full.toBuilder().setFlow(full.getFlow().toBuilder().setStepsPerLevel(1)).build();
    int side = c.getData().getImageSize();
    float[] images = BatchLoader.readAll(new RandomImages(2, side, 1), new int[] {0, 1});
    try (ConditionalFlowGraph g = new ConditionalFlowGraph(c, ConditionalFlowTrainer.task(c, "conditional_flow"), 0);
        Session s = new Session(g.graph);
        TFloat32 x = TFloat32.tensorOf(org.tensorflow.ndarray.Shape.of(2, side, side, 3),
            org.tensorflow.ndarray.buffer.DataBuffers.of(images, true, false));
        TInt64 seed = TInt64.vectorOf(1, 2)) {
      g.variables.initialize(s);
      Session.Runner init = s.runner().feed(g.images, x).feed(g.seed, seed);
      for (Op a : g.initialization) {
        init.addTarget(a);
      }
      init.run().close();
      List<AutoCloseable> toClose = new java.util.ArrayList<>();
      Session.Runner r = s.runner().feed(g.images, x).feed(g.seed, seed).addTarget(g.step).fetch(g.bitsPerDim);
      g.adam.feed(r, 0, toClose);
      try (Result res = r.run()) {
        assertThat((double) ((TFloat32) res.get(0)).getFloat()).as(file.toString()).isBetween(2.0, 14.0);
      } finally {
        TrainingLoop.closeAll(toClose);
      }
      assertThat(g.flow().latentSize()).isEqualTo((long) side * side * 3);
    }
  }
}
