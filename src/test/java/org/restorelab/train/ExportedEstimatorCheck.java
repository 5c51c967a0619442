package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.assertj.core.data.Offset;
import org.restorelab.config.ImageGanConfig;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/** Shared check of the image estimator export against the training graph it came from. */
final class ExportedEstimatorCheck {
  private ExportedEstimatorCheck() {}

  /**
   * Asserts that the SavedModel's serving_default(y, z = 0) equals the training graph's
   * inference-mode sample output (to 1e-5) on {@code n} images, with the graph's variables
   * restored from {@code checkpoint}; returns the measurements y it fed.
   */
  static float[] servingDefaultMatchesTrainingGraph(ImageGanConfig config, long graphSeed, Path checkpoint,
      Path exported, float[] images, int n) throws Exception {
    int side = config.getData().getImageSize();
    float[] expected;
    float[] measurement;
    Shape measurementShape;
    try (GanGraph g = GanGraph.images(config, graphSeed); Session s = new Session(g.graph)) {
      g.variables.assign(s, Checkpoint.read(checkpoint).variables(), "checkpoint");
      try (TFloat32 x = TFloat32.tensorOf(Shape.of(n, side, side, 3), DataBuffers.of(images, true, false));
          TInt64 seed = TInt64.vectorOf(1, 2);
          Result r = s.runner().feed(g.sampleBatch, x).feed(g.seed, seed).fetch(g.sampleOutput)
              .fetch(g.sampleMeasurement).run()) {
        expected = GanTrainer.floats((TFloat32) r.get(0));
        measurement = GanTrainer.floats((TFloat32) r.get(1));
        measurementShape = r.get(1).shape();
      }
    }
    int dz = 0;
    for (int i = 0; i < 4; i++) {
      dz += (side >> i) * (side >> i) * config.getEstimator().getNoiseChannels();
    }
    try (SavedModelBundle model = SavedModelBundle.load(exported.toString(), "serve");
        TFloat32 y = TFloat32.tensorOf(measurementShape, DataBuffers.of(measurement, true, false));
        TFloat32 z = TFloat32.tensorOf(Shape.of(n, dz), DataBuffers.of(new float[n * dz], true, false));
        Result r = model.session().runner().feed("y", y).feed("z", z).fetch("x_hat").run()) {
      assertThat(GanTrainer.floats((TFloat32) r.get(0))).containsExactly(expected, Offset.offset(1e-5f));
    }
    return measurement;
  }
}
