package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.evaluate.ImageClosedFormModels;

/** {@code evaluate images} end to end: a suite over two tasks, its reports, and its errors. */
class EvaluateImagesCliTest {

  private static String evaluation(String task, String model, Path features, double eps) {
    return """
          evaluation {
            data { faces { train_size: 64 validation_size: 48 } image_size: 32 }
            task { %s }
            model { path: "%s" name: "Identity" signature: "restore" input_y: "measurement" input_z: "latent"
                    output: "image" noise { distribution: ZERO dim: 3072 } }
            features { path: "%s" input: "images" output: "features" }
            real_samples: 64 generated_samples: 48 per_input_inputs: 8 std_samples: 2 batch_size: 8
            precision_recall { k: 3 }
            attack { epsilon: %s steps: 5 lr: 1 seeds: 2 }
            grid_inputs: 2
          }
        """.formatted(task, model, features, eps);
  }

  @Test
  void aSuiteWritesTable1PerTaskFigure4AndAGrid(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.affine(tmp.resolve("inpaint"), 32, 1, 1f, 0f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("sr4"), 32, 4, 1f, 0f, 0f);
    Path config = tmp.resolve("suite.pbtxt");
    Files.writeString(config, "name: \"suite\"\nimage_evaluation_suite {\n"
        + evaluation("inpainting { masked_fraction: 0.75 }", tmp.resolve("inpaint").toString(), features, 1.25)
        + evaluation("super_resolution { scale: 4 }", tmp.resolve("sr4").toString(), features, 0.2765) + "}\n");
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("## inpainting (Table 1 layout)", "## sr4 (Table 1 layout)", "FID ↓", "Robustness ↑ (dB)",
        "figure4.png", "inpainting/figure1.png");
    assertThat(out.resolve("figure4.png")).isNotEmptyFile();
    assertThat(out.resolve("sr4/figure1.png")).isNotEmptyFile();
    assertThat(Files.readAllLines(out.resolve("inpainting/table1.csv"))).hasSize(2);
    JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    JsonObject sr = results.getAsJsonArray("evaluations").get(1).getAsJsonObject();
    assertThat(sr.get("task").getAsString()).isEqualTo("sr4");
    double aiPsnr = sr.getAsJsonArray("models").get(0).getAsJsonObject().get("ai_psnr_db").getAsDouble();
    assertThat(aiPsnr).isBetween(33.99, 34.01);
    // the validation images themselves are close to the real set: a low FID and a high precision
    JsonObject reference = sr.getAsJsonObject("validation_reference");
    assertThat(reference.get("samples").getAsInt()).isEqualTo(48);
    assertThat(reference.get("precision").getAsDouble()).isGreaterThan(0.5);
    assertThat(report).contains("- Reference: the 48 validation images themselves");
    // finished work is not lost: resuming a finished run recomputes nothing and gives the same numbers
    CliTest.Run again = CliTest.run("evaluate", "images", "--out", out.toString(), "--resume");
    assertThat(again.exit()).as(again.out() + again.err()).isZero();
    JsonObject results2 = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertThat(withoutTimes(results2)).isEqualTo(withoutTimes(results));
  }

  private static String withoutTimes(JsonObject results) {
    return results.get("evaluations").toString().replaceAll("\"seconds\":[0-9.eE-]+", "");
  }

  @Test
  void aMissingModelFolderIsNamedBeforeAnyWork(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    Path config = tmp.resolve("one.pbtxt");
    Files.writeString(config, "name: \"one\"\nimage_evaluation_suite {\n"
        + evaluation("inpainting { }", tmp.resolve("no-such-model").toString(), features, 1.25) + "}\n");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("SavedModel folder " + tmp.resolve("no-such-model") + " does not exist");
    assertThat(tmp.resolve("run")).doesNotExist();
  }

  @Test
  void aFeatureModelWithFourDimensionalOutputIsRefusedBeforeAnyWork(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features-4d");
    ImageClosedFormModels.poolingFeatures(features, 32, false);
    ImageClosedFormModels.affine(tmp.resolve("inpaint"), 32, 1, 1f, 0f, 0f);
    Path config = tmp.resolve("one.pbtxt");
    Files.writeString(config, "name: \"one\"\nimage_evaluation_suite {\n"
        + evaluation("inpainting { }", tmp.resolve("inpaint").toString(), features, 1.25) + "}\n");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("feature SavedModel " + features, "has shape [-1, 8, 8, 3]", "features must be 2-D");
    assertThat(tmp.resolve("run")).doesNotExist();
  }
}
