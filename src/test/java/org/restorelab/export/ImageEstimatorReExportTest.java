package org.restorelab.export;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.protobuf.TextFormat;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConditionalFlowConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.savedmodel.ModelMetadata;
import org.restorelab.train.Checkpoint;

/**
 * Re-exporting our committed U-Net SavedModels: the copy holds every variable and gives the
 * original's x_hat bit for bit at the trained size; a super-resolution copy takes any size; a
 * flow is copied with the scale bound that reproduces it.
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
  void theCommittedFlowIsCopiedWithItsScaleBoundAndTakesAnySize() throws Exception {
    Path original = Path.of("savedmodels/cpu/sr4-SRFlow");
    ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(original, dir.resolve("copy"), provenance());
    assertThat(o.maxAbsDifference()).isEqualTo(0.0);
    JsonObject meta = ModelMetadata.read(dir.resolve("copy"));
    assertThat(meta.get("kind").getAsString()).isEqualTo("conditional-flow");
    assertThat(meta.getAsJsonObject("sizes").get("any_size").getAsBoolean()).isTrue();
    assertThat(trainingConfig(dir.resolve("copy")).getFlow().getScaleEps())
        .isEqualTo(trainingConfig(original).getFlow().getScaleEps());
  }

  /**
   * A flow whose training_config has no scale_eps: exported before the bound (eps 0) or with the
   * default eps 1e-4 left unwritten. Made here with the committed flow's architecture and perturbed
   * initial weights (the committed weights, trained with eps 0.05, leave float32 with eps 0) with
   * each eps, the bound then erased from the metadata: the copy finds the eps that reproduces the
   * original.
   */
  @Test
  void aFlowWithoutAWrittenBoundIsCopiedWithTheEpsThatReproducesIt() throws Exception {
    Path committed = Path.of("savedmodels/cpu/sr4-SRFlow");
    ConditionalFlowConfig config = trainingConfig(committed);
    Map<String, Checkpoint.Tensor> weights = FlowTestWeights.perturbedInitial(config, 0.01, 7);
    assertThat(weights.keySet()).isEqualTo(ImageEstimatorReExport.weights(committed).keySet());
    for (double eps : new double[] {0, 1e-4}) {
      Path unwritten = dir.resolve("unwritten-" + eps);
      ConditionalFlowExport.export(config.toBuilder().setFlow(config.getFlow().toBuilder().setScaleEps(eps)).build(),
          weights, unwritten, provenance(), null);
      JsonObject meta = ModelMetadata.read(unwritten);
      ConditionalFlowConfig.Builder erased = trainingConfig(unwritten).toBuilder();
      erased.getFlowBuilder().clearScaleEps().clearScaleOffset();
      meta.addProperty("training_config", TextFormat.printer().printToString(erased.build()));
      ModelMetadata.write(unwritten, meta);
      assertThat(trainingConfig(unwritten).getFlow().hasScaleEps()).isFalse();

      ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(unwritten, dir.resolve("copy-" + eps),
          provenance());
      assertThat(o.maxAbsDifference()).as("eps %s", eps).isEqualTo(0.0);
      assertThat(trainingConfig(dir.resolve("copy-" + eps)).getFlow().getScaleEps()).isEqualTo(eps);
    }
  }

  private static ConditionalFlowConfig trainingConfig(Path model) throws TextFormat.ParseException {
    return TextFormat.parse(ModelMetadata.read(model).get("training_config").getAsString(), ConditionalFlowConfig.class);
  }

  @Test
  void aToyModelIsRefusedNamingItsMetadataFile() {
    assertThatThrownBy(() -> ImageEstimatorReExport.reexport(Path.of("savedmodels/toy/paper-literal/ErraticGAN"),
        dir.resolve("x"), provenance())).isInstanceOf(ConfigException.class)
        .hasMessageContaining("savedmodels/toy/paper-literal/ErraticGAN/assets.extra/restorelab.json")
        .hasMessageContaining("only our image estimators");
  }
}
