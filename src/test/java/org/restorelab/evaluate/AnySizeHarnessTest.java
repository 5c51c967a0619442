package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Path;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.task.SuperResolution;

/**
 * One any-size SavedModel (a fully convolutional closed form) loaded by the harness at two sizes:
 * on a 32x32 crop it gives what it gives on the full 64x64 image's same region, away from the
 * crop's borders, and the closed form there; at the border the zero padding shows.
 */
class AnySizeHarnessTest {
  @Test
  void aCropGivesTheFullImagesOutputAwayFromItsBorders(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.anySizeBlur(tmp.resolve("blur"), 4);
    SavedModelConfig config = SavedModelConfig.newBuilder().setPath(tmp.resolve("blur").toString()).build();
    SplittableRandom r = new SplittableRandom(4);
    float[] full = new float[16 * 16 * 3];
    for (int i = 0; i < full.length; i++) {
      full[i] = (float) r.nextDouble();
    }
    float[] crop = new float[8 * 8 * 3]; // low-resolution rows and columns 4..11: output 16..47
    for (int i = 0; i < 8; i++) {
      System.arraycopy(full, ((i + 4) * 16 + 4) * 3, crop, i * 8 * 3, 8 * 3);
    }
    float[] outFull;
    float[] outCrop;
    try (LoadedEstimator m = LoadedEstimator.load(config, new SuperResolution(64, 64, 4))) {
      assertThat(m.noiseDim()).isEqualTo(64 * 64);
      outFull = m.run(full, new float[m.noiseDim()], 1).images();
    }
    try (LoadedEstimator m = LoadedEstimator.load(config, new SuperResolution(32, 32, 4))) {
      assertThat(m.noiseDim()).isEqualTo(32 * 32);
      outCrop = m.run(crop, new float[m.noiseDim()], 1).images();
    }
    for (int i = 1; i < 31; i++) {
      for (int j = 1; j < 31; j++) {
        for (int c = 0; c < 3; c++) {
          assertThat(outCrop[(i * 32 + j) * 3 + c]).isEqualTo(outFull[((i + 16) * 64 + j + 16) * 3 + c]);
        }
      }
    }
    // the closed form at output pixel (5, 6) of the crop: the mean of NN_up over its 3x3 neighbourhood
    double sum = 0;
    for (int di = -1; di <= 1; di++) {
      for (int dj = -1; dj <= 1; dj++) {
        sum += crop[(((5 + di) / 4) * 8 + (6 + dj) / 4) * 3 + 1];
      }
    }
    assertThat(outCrop[(5 * 32 + 6) * 3 + 1]).isCloseTo((float) (1 / (1 + Math.exp(-4 * (sum / 9 - 0.5)))),
        within(1e-6f));
    // at the crop's corner the zero padding of the blur differs from the full image's neighbours
    assertThat(outCrop[0]).isNotEqualTo(outFull[(16 * 64 + 16) * 3]);
  }
}
