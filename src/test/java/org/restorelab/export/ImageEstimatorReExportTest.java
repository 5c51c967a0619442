package org.restorelab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.savedmodel.ModelMetadata;

/**
 * Re-exporting our committed U-Net SavedModels: the copy holds every variable and gives the
 * original's x_hat bit for bit at the trained size; a super-resolution copy takes any size; a
 * flow is refused naming the file.
 */
class ImageEstimatorReExportTest {
  @TempDir Path dir;

  private static JsonObject provenance() {
    JsonObject p = new JsonObject();
    p.addProperty("command", "test");
    return p;
  }

  @Test
  void aFixedSizeInpaintingModelIsCopiedBitForBit() throws Exception {
    Path original = Path.of("savedmodels/cpu/inpainting-StoRobustGAN");
    ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(original, dir.resolve("copy"), provenance());
    assertThat(o.maxAbsDifference()).isEqualTo(0.0);
    assertThat(o.variables()).isEqualTo(ImageEstimatorReExport.weights(original).size()).isGreaterThan(50);
    JsonObject meta = ModelMetadata.read(dir.resolve("copy"));
    assertThat(meta.get("name").getAsString()).isEqualTo("StoRobustGAN");
    assertThat(meta.getAsJsonObject("sizes").get("any_size").getAsBoolean()).isFalse(); // inpainting's mask is fixed by its rows
    assertThat(meta.getAsJsonObject("provenance").getAsJsonObject("reexported_from").get("path").getAsString())
        .isEqualTo(original.toString());
  }

  @Test
  void aSuperResolutionModelTakesAnySizeAndKeepsItsWeights() throws Exception {
    Path original = Path.of("savedmodels/cpu/sr4-StoErraticGAN");
    ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(original, dir.resolve("copy"), provenance());
    assertThat(o.maxAbsDifference()).isEqualTo(0.0);
    assertThat(ModelMetadata.read(dir.resolve("copy")).getAsJsonObject("sizes").get("any_size").getAsBoolean()).isTrue();
    var a = ImageEstimatorReExport.weights(original);
    var b = ImageEstimatorReExport.weights(dir.resolve("copy"));
    assertThat(b.keySet()).isEqualTo(a.keySet());
    a.forEach((name, t) -> assertThat(b.get(name).values()).as(name).containsExactly(t.values()));
  }

  @Test
  void aFlowExportedBeforeTheScaleBoundKeepsItsScalesAndTakesAnySize() throws Exception {
    // the committed flow is itself such a copy: copying it again changes nothing
    Path original = Path.of("savedmodels/cpu/sr4-SRFlow");
    ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(original, dir.resolve("copy"), provenance());
    assertThat(o.maxAbsDifference()).isEqualTo(0.0);
    JsonObject meta = ModelMetadata.read(dir.resolve("copy"));
    assertThat(meta.get("kind").getAsString()).isEqualTo("conditional-flow");
    assertThat(meta.getAsJsonObject("sizes").get("any_size").getAsBoolean()).isTrue();
    assertThat(meta.get("training_config").getAsString()).contains("scale_eps: 0.0");
  }

  @Test
  void aToyModelIsRefusedNamingItsMetadataFile() {
    assertThatThrownBy(() -> ImageEstimatorReExport.reexport(Path.of("savedmodels/toy/effective/ErraticGAN"),
        dir.resolve("x"), provenance())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("savedmodels/toy/effective/ErraticGAN/assets.extra/restorelab.json")
        .hasMessageContaining("only our image estimators");
  }
}
