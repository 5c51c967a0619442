package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.task.SuperResolution;

/** A model whose outputs are NaN is refused with its name and folder, not scored into a NaN report. */
class NonFiniteOutputTest {
  @Test
  void nanOutputsAreAnErrorNamingTheModel(@TempDir Path tmp) throws Exception {
    Path dir = tmp.resolve("nan-model");
    ImageClosedFormModels.affine(dir, 8, 2, 1f, Float.NaN, 0f);
    SavedModelConfig config = SavedModelConfig.newBuilder().setPath(dir.toString()).setName("broken")
        .setSignature("restore").setInputY("measurement").setInputZ("latent").setOutput("image")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.NORMAL).setDim(8 * 8 * 3)).build();
    try (LoadedEstimator m = LoadedEstimator.load(config, new SuperResolution(8, 8, 2))) {
      assertThatThrownBy(() -> m.run(new float[2 * 4 * 4 * 3], new float[2 * 8 * 8 * 3], 2))
          .isInstanceOf(ConfigException.class).hasMessageContaining(dir.toString())
          .hasMessageContaining("'broken'").hasMessageContaining("for 2 of 2 inputs");
    }
    Path fine = tmp.resolve("fine-model");
    ImageClosedFormModels.affine(fine, 8, 2, 1f, 0.5f, 0f);
    try (LoadedEstimator m = LoadedEstimator.load(config.toBuilder().setPath(fine.toString()).build(),
        new SuperResolution(8, 8, 2))) {
      assertThat(m.run(new float[4 * 4 * 3], new float[8 * 8 * 3], 1).images()).containsOnly(0.5f);
    }
  }
}
