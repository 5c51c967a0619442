package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.IfgsmConfig;
import org.restorelab.config.IfgsmEvaluationConfig;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.PsnrConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.SuperResolutionConfig;
import org.restorelab.config.TaskConfig;

/**
 * {@code evaluate ifgsm} on a SavedModel of another origin: the same nonlinear upsampler exported
 * once with our names (serving_default: y, z -> x_hat) and once with its own (predict:
 * lr_image -> sr_image, no z) gives exactly the same Figure 8 numbers when the config maps the
 * names, and a wrong name is an error naming the folder and the missing signature or tensor.
 */
class IfgsmExternalModelTest {
  @TempDir static Path tmp;
  static Path ours;
  static Path theirs;
  static final ImageClosedFormModels.Names EXTERNAL = new ImageClosedFormModels.Names("predict", "lr_image", "", "sr_image");

  @BeforeAll
  static void models() throws IOException {
    ours = tmp.resolve("default-names");
    theirs = tmp.resolve("external-names");
    ImageClosedFormModels.namedUpsampler(ours, 32, 4, ImageClosedFormModels.Names.DEFAULT);
    ImageClosedFormModels.namedUpsampler(theirs, 32, 4, EXTERNAL);
  }

  /** Our model with the config's defaults (only the noise of a model without restorelab.json). */
  private static SavedModelConfig defaults() {
    return SavedModelConfig.newBuilder().setPath(ours.toString()).setName("DefaultNames")
        .setNoise(NoiseConfig.newBuilder().setDistribution(NoiseConfig.Distribution.ZERO).setDim(32 * 32 * 3)).build();
  }

  private static SavedModelConfig external() {
    return SavedModelConfig.newBuilder().setPath(theirs.toString()).setName("ExternalNames").setSignature("predict")
        .setInputY("lr_image").setInputZ("").setOutput("sr_image").build();
  }

  private static IfgsmEvaluationConfig config(SavedModelConfig... models) {
    PsnrConfig out = PsnrConfig.newBuilder().setChannel(PsnrConfig.Channel.Y).setShave(4).setPeak(255).build();
    PsnrConfig in = out.toBuilder().setShave(0).build();
    return IfgsmEvaluationConfig.newBuilder()
        .setData(ImageDataConfig.newBuilder().setImageSize(32).setFaces(
            org.restorelab.config.ProceduralFacesConfig.newBuilder().setTrainSize(8).setValidationSize(6)))
        .setTask(TaskConfig.newBuilder().setSuperResolution(SuperResolutionConfig.newBuilder().setScale(4)))
        .addAllModel(List.of(models))
        .setIfgsm(IfgsmConfig.newBuilder().addAlpha255(2).addAlpha255(8).setSteps(10).setOutputPsnr(out).setInputPsnr(in))
        .setInputs(5).setBatchSize(2).build();
  }

  private static List<IfgsmEvaluation.Curve> run(IfgsmEvaluationConfig c) {
    return IfgsmEvaluation.run(c, 17, () -> false, new PrintWriter(new StringWriter())).curves();
  }

  @Test
  void mappedNamesGiveExactlyTheNumbersOfTheDefaultNames() {
    List<IfgsmEvaluation.Curve> curves = run(config(defaults(), external()));
    IfgsmEvaluation.Curve a = curves.get(0);
    IfgsmEvaluation.Curve b = curves.get(1);
    assertThat(a.name()).isEqualTo("DefaultNames");
    assertThat(b.name()).isEqualTo("ExternalNames");
    assertThat(a.stochastic()).isFalse();
    assertThat(b.stochastic()).isFalse();
    assertThat(b.outputPsnr()).containsExactly(a.outputPsnr());
    assertThat(b.inputPsnr()).containsExactly(a.inputPsnr());
    // the attack did something, more with the larger budget
    assertThat(a.outputPsnr()[0]).isBetween(20.0, 90.0);
    assertThat(a.outputPsnr()[1]).isLessThan(a.outputPsnr()[0]);
    assertThat(a.inputPsnr()[1]).isLessThan(a.inputPsnr()[0]);
  }

  private static void assertRefused(UnaryOperator<SavedModelConfig.Builder> edit, String... expected) {
    SavedModelConfig wrong = edit.apply(external().toBuilder()).build();
    assertThatThrownBy(() -> run(config(wrong))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("SavedModel " + theirs).hasMessageContainingAll(expected);
  }

  @Test
  void aWrongNameIsAnErrorNamingTheFolderAndTheMissingTensor() {
    assertRefused(b -> b.setOutput("sr_img"), "signature predict: no output named 'sr_img'", "(it has: sr_image)");
    assertRefused(b -> b.setInputY("lr"), "signature predict: no input named 'lr'", "(it has: lr_image)");
    assertRefused(b -> b.setSignature("serving_default"), "has no signature 'serving_default'", "(it has: predict)");
    // the default input_z "z" on a model without z says how to declare none
    assertRefused(SavedModelConfig.Builder::clearInputZ, "no input named 'z'", "model.input_z: \"\"");
  }
}
