package org.restorelab.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.cli.CliTest;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.evaluate.ImageClosedFormModels;
import org.restorelab.evaluate.LoadedEstimator;
import org.tensorflow.ndarray.Shape;

/**
 * What a user meets with SavedModels that do not fit, through the CLI: each is exit code 2 with
 * one line naming the folder and what was expected (toy outputs that are not finite, toy tensors
 * of the wrong shape, a graph whose variables were not copied), and evaluate images' data
 * limits (real_samples above the data, skip_bad_files).
 */
class LoadedModelInputsTest {

  private static String toyConfig(Path model, String name) {
    return """
        name: "toy-check"
        toy_evaluation {
          model { path: "%s" name: "%s" }
          validation_size: 400
          evaluation {
            precision_recall { k: 5 num_samples: 100 }
            sensitivity_inputs: 50 exact_inputs: 10 exact_grid: 5 exact_z_draws: 16
            support_samples: 50 scatter_samples: 10
            attack { seeds: 2 }
          }
        }
        """.formatted(model, name);
  }

  private static CliTest.Run evaluateToy(Path tmp, Path model, String name) throws IOException {
    Path config = tmp.resolve("toy-" + name + ".pbtxt");
    Files.writeString(config, toyConfig(model, name));
    return CliTest.run("evaluate", "toy", "--config", config.toString(), "--out", tmp.resolve("run-" + name).toString());
  }

  /** The one error line the CLI printed (and that it is the only line). */
  private static String errorLine(CliTest.Run r) {
    assertThat(r.exit()).as(r.out() + r.err()).isEqualTo(2);
    List<String> lines = r.err().lines().filter(l -> !l.isBlank()).toList();
    assertThat(lines).as(r.err()).hasSize(1);
    return lines.get(0);
  }

  @Test
  void toyOutputsThatAreNotFiniteStopTheEvaluationNamingModelAndFolder(@TempDir Path tmp) throws IOException {
    Path inf = tmp.resolve("inf-model");
    ExternalModels.toy(inf, (tf, yz) -> tf.concat(List.of(yz[0],
        tf.math.add(tf.math.mul(yz[0], tf.constant(0f)), tf.constant(Float.POSITIVE_INFINITY))), tf.constant(1)));
    // every output row has +Inf: the precision/recall run (100 rows) stops first
    assertThat(errorLine(evaluateToy(tmp, inf, "Inf"))).isEqualTo("restorelab: error: SavedModel " + inf
        + " (model 'Inf') output NaN or infinity for 100 of 100 inputs of a batch; a model whose outputs are not"
        + " finite cannot be scored");
    Path nan = tmp.resolve("nan-model");
    // sqrt(y - 2) is NaN for every y of the unit disk
    ExternalModels.toy(nan, (tf, yz) -> tf.concat(List.of(yz[0],
        tf.math.sqrt(tf.math.sub(yz[0], tf.constant(2f)))), tf.constant(1)));
    assertThat(errorLine(evaluateToy(tmp, nan, "NaN"))).isEqualTo("restorelab: error: SavedModel " + nan
        + " (model 'NaN') output NaN or infinity for 100 of 100 inputs of a batch; a model whose outputs are not"
        + " finite cannot be scored");
  }

  @Test
  void toyTensorsOfTheWrongShapeAreNamedWithTheirShapeAndWhatWasExpected(@TempDir Path tmp) throws IOException {
    Path flat = tmp.resolve("one-d");
    ExternalModels.toy(flat, (tf, yz) -> tf.reshape(yz[0], tf.constant(new long[] {-1})));
    assertThat(errorLine(evaluateToy(tmp, flat, "OneD"))).isEqualTo("restorelab: error: SavedModel " + flat
        + ": output 'x_hat' has shape [-1]; a toy model outputs x_hat [n, k] with k > measurement_columns = 1");
    Path column = tmp.resolve("one-column");
    ExternalModels.toy(column, (tf, yz) -> tf.math.add(yz[0], tf.math.mul(yz[1], tf.constant(0f))));
    assertThat(errorLine(evaluateToy(tmp, column, "OneColumn"))).isEqualTo("restorelab: error: SavedModel " + column
        + ": output 'x_hat' has shape [-1, 1]; a toy model outputs x_hat [n, k] with k > measurement_columns = 1");
    Path image = tmp.resolve("image-model");
    ImageClosedFormModels.namedUpsampler(image, 32, 4, ImageClosedFormModels.Names.DEFAULT);
    assertThat(errorLine(evaluateToy(tmp, image, "Image"))).isEqualTo("restorelab: error: SavedModel " + image
        + ": input 'y' has shape [-1, 8, 8, 3]; a toy model takes y [n, d]");
  }

  @Test
  void aGraphWithVariablesButNoVariablesIndexIsRefusedAtLoad(@TempDir Path tmp) throws IOException {
    Path model = tmp.resolve("with-variable");
    ExternalModels.toyWithVariable(model);
    // intact: x_hat = (y, 0.5 y), the variable's value
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(model.toString()).build())) {
      assertThat(m.outputs(new float[] {0.4f, -0.8f}, new float[2], 2)).containsExactly(0.4f, 0.2f, -0.8f, -0.4f);
    }
    String expected = "restorelab: error: SavedModel folder " + model + " has no variables/variables.index but its"
        + " graph has variables (e.g. VariableV2 'gain'): the weights are missing; copy the whole SavedModel folder,"
        + " variables/ included";
    // the variables folder emptied
    try (var files = Files.list(model.resolve("variables"))) {
      for (Path f : files.toList()) {
        Files.delete(f);
      }
    }
    assertThat(errorLine(evaluateToy(tmp, model, "Emptied"))).isEqualTo(expected);
    // and removed
    Files.delete(model.resolve("variables"));
    assertThat(errorLine(evaluateToy(tmp, model, "Removed"))).isEqualTo(expected);
    // a graph without variables needs no variables/ folder (the hand-crafted toy estimators)
    Path plain = tmp.resolve("no-variables");
    ExternalModels.toy(plain, (tf, yz) -> tf.concat(List.of(yz[0], tf.math.mul(yz[0], tf.constant(0.5f))), tf.constant(1)));
    assertThat(plain.resolve("variables/variables.index")).doesNotExist();
    try (LoadedEstimator m = LoadedEstimator.load(SavedModelConfig.newBuilder().setPath(plain.toString()).build())) {
      assertThat(m.outputs(new float[] {0.4f}, new float[1], 1)).containsExactly(0.4f, 0.2f);
    }
  }

  private static String imagesConfig(String data, Path model, Path features, int realSamples) {
    return """
        name: "images-check"
        image_evaluation {
          data { %s image_size: 32 }
          task { super_resolution { scale: 4 } }
          model { path: "%s" name: "Identity" signature: "restore" input_y: "measurement" input_z: "latent"
                  output: "image" noise { distribution: ZERO dim: 3072 } }
          features { path: "%s" input: "images" output: "features" }
          real_samples: %d generated_samples: 8 per_input_inputs: 4 std_samples: 2 batch_size: 4
          precision_recall { k: 3 }
          attack { epsilon: 0.2765 steps: 5 lr: 1 seeds: 2 }
          grid_inputs: 2
        }
        """.formatted(data, model, features, realSamples);
  }

  @Test
  void realSamplesAboveTheTrainingDataIsRefusedNamingTheField(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.affine(tmp.resolve("sr4"), 32, 4, 1f, 0f, 0f);
    Path config = tmp.resolve("real.pbtxt");
    Files.writeString(config, imagesConfig("faces { train_size: 64 validation_size: 16 }", tmp.resolve("sr4"), features, 100));
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(errorLine(r)).isEqualTo("restorelab: error: image_evaluation.real_samples = 100 but the training data"
        + " (faces) has 64 images; lower real_samples or give more data");
    assertThat(tmp.resolve("run")).doesNotExist();
  }

  @Test
  void skipBadFilesReplacesAndListsBadImagesInEvaluateImages(@TempDir Path tmp) throws IOException {
    Path folder = tmp.resolve("images");
    Files.createDirectories(folder);
    for (int i = 0; i < 10; i++) {
      BufferedImage img = new BufferedImage(32, 32, BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < 32; y++) {
        for (int x = 0; x < 32; x++) {
          img.setRGB(x, y, ((7 * x + 11 * i) % 256) << 16 | ((5 * y + 3 * i) % 256) << 8 | (x * y + i) % 256);
        }
      }
      ImageIO.write(img, "png", folder.resolve("img" + i + ".png").toFile());
    }
    Path bad = folder.resolve("img3_truncated.png");
    Files.write(bad, new byte[] {(byte) 0x89, 'P', 'N', 'G', 1, 2, 3});
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.affine(tmp.resolve("sr4"), 32, 4, 1f, 0f, 0f);
    Path config = tmp.resolve("folder.pbtxt");
    String data = "folder { path: \"" + folder + "\" }";
    Files.writeString(config, imagesConfig(data, tmp.resolve("sr4"), features, 11));
    CliTest.Run stop = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("r1").toString());
    assertThat(stop.exit()).as(stop.err()).isEqualTo(2);
    assertThat(stop.err()).contains(bad.toString());
    Files.writeString(config, imagesConfig(data + " skip_bad_files: true", tmp.resolve("sr4"), features, 11));
    Path out = tmp.resolve("r2");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(r.out()).contains("skipped 1 bad file(s) (data.skip_bad_files), each replaced by another image: " + bad);
    JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("evaluations").get(0).getAsJsonObject();
    JsonArray skipped = results.getAsJsonArray("skipped_files");
    assertThat(skipped).hasSize(1);
    assertThat(skipped.get(0).getAsJsonObject().get("source").getAsString()).isEqualTo(bad.toString());
    assertThat(results.get("real_samples").getAsInt()).isEqualTo(11);
    assertThat(Files.readString(out.resolve("report.md"))).contains("- Bad files skipped (data.skip_bad_files), each"
        + " replaced by another image of its split: 1 (" + bad + ").");
    // the evaluation ran on the images: the identity upsampler's attack ends on the sphere, 10 log10(192 / eps^2)
    double aiPsnr = results.getAsJsonArray("models").get(0).getAsJsonObject().get("ai_psnr_db").getAsDouble();
    assertThat(aiPsnr).isCloseTo(10 * Math.log10(192 / (0.2765 * 0.2765)), within(0.02));
  }
}
