package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;

/**
 * The committed conditional flow samples finite images in [0, 1] from validation inputs at every
 * temperature from 0 to 1 (its training run checked all 5,000 validation images before clipping:
 * results.json finite_check); y is the x4 box average of the 32x32 faces, as in training.
 */
class CommittedFlowFiniteTest {
  static final Path MODEL = Path.of("savedmodels/cpu/sr4-SRFlow");
  static final int INPUTS = 128;

  @Test
  void everySampleIsFiniteAtTemperaturesZeroToOne() {
    ImageSet faces = ImageSets.open(ImageDataConfig.newBuilder().setImageSize(32)
        .setFaces(ProceduralFacesConfig.newBuilder().setTrainSize(0).setValidationSize(INPUTS)).build(),
        Split.VALIDATION, 0);
    float[] hr = BatchLoader.readAll(faces, java.util.stream.IntStream.range(0, INPUTS).toArray());
    float[] y = boxAverage(hr, INPUTS, 32, 4);
    try (SavedModelBundle model = SavedModelBundle.load(MODEL.toString(), SavedModelBundle.DEFAULT_TAG);
        TFloat32 ty = TFloat32.tensorOf(Shape.of(INPUTS, 8, 8, 3), DataBuffers.of(y, true, false))) {
      for (double t : List.of(0.0, 0.25, 0.5, 0.75, 1.0)) {
        try (TFloat32 temperature = TFloat32.scalarOf((float) t);
            TInt64 seed = TInt64.vectorOf(7, (long) (t * 100));
            Result r = model.function("sample").session().runner().feed("y", ty).feed("seed", seed)
                .feed("temperature", temperature).fetch("x_hat_sample").run()) {
          TFloat32 x = (TFloat32) r.get(0);
          float[] v = new float[(int) x.shape().size()];
          x.asRawTensor().data().asFloats().read(v);
          assertThat(v).hasSize(INPUTS * 32 * 32 * 3);
          for (float f : v) {
            assertThat(f).as("temperature %s", t).isBetween(0f, 1f);
          }
        }
      }
    }
  }

  private static float[] boxAverage(float[] hr, int n, int side, int s) {
    int low = side / s;
    float[] out = new float[n * low * low * 3];
    for (int i = 0; i < n; i++) {
      for (int y = 0; y < low; y++) {
        for (int x = 0; x < low; x++) {
          for (int c = 0; c < 3; c++) {
            double sum = 0;
            for (int dy = 0; dy < s; dy++) {
              for (int dx = 0; dx < s; dx++) {
                sum += hr[((i * side + y * s + dy) * side + x * s + dx) * 3 + c];
              }
            }
            out[((i * low + y) * low + x) * 3 + c] = (float) (sum / (s * s));
          }
        }
      }
    }
    return out;
  }
}
