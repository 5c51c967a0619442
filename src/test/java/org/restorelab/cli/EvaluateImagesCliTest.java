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
    return evaluation("faces { train_size: 64 validation_size: 48 }", task, model, features, eps, "");
  }

  private static String evaluation(String data, String task, String model, Path features, double eps, String extra) {
    return """
          evaluation {
            data { %s image_size: 32 }
            task { %s }
            model { path: "%s" name: "Identity" signature: "restore" input_y: "measurement" input_z: "latent"
                    output: "image" noise { distribution: ZERO dim: 3072 } }
            features { path: "%s" input: "images" output: "features" }
            real_samples: 64 generated_samples: 48 per_input_inputs: 8 std_samples: 2 batch_size: 8
            precision_recall { k: 3 }
            attack { epsilon: %s steps: 5 lr: 1 seeds: 2 }
            grid_inputs: 2
            %s
          }
        """.formatted(data, task, model, features, eps, extra);
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

  /** An sr4 evaluation of an any-size and a fixed-size model on {@code folder} at own sizes (multiple_of given). */
  private static String ownSizes(Path folder, int multipleOf, Path any, Path fixed, Path features) {
    return """
        name: "own"
        image_evaluation {
          data { folder { path: "%s" size_policy: CROP_TO_MULTIPLE multiple_of: %d } image_size: 32 }
          task { super_resolution { scale: 4 } }
          model { path: "%s" name: "Any" }
          model { path: "%s" name: "Fixed" signature: "restore" input_y: "measurement" input_z: "latent"
                  output: "image" noise { distribution: ZERO dim: 3072 } }
          features { path: "%s" input: "images" output: "features" }
          real_samples: 2 generated_samples: 2 per_input_inputs: 8 std_samples: 2 batch_size: 2
          precision_recall { k: 1 }
          attack { epsilon: 0.5 steps: 2 lr: 1 seeds: 2 }
          grid_inputs: 2
        }
        """.formatted(folder, multipleOf, any, fixed, features);
  }

  @Test
  void aFolderAtOwnSizesSaysWhichModelRanHowAndABadMultipleExitsTwo(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.anySizeBlur(tmp.resolve("any"), 4);
    ImageClosedFormModels.affine(tmp.resolve("fixed"), 32, 4, 1f, 0f, 0f);
    Path set = tmp.resolve("set");
    Files.createDirectories(set);
    int[][] sizes = {{61, 83}, {40, 44}};
    for (int i = 0; i < 2; i++) {
      java.awt.image.BufferedImage img = new java.awt.image.BufferedImage(sizes[i][1], sizes[i][0],
          java.awt.image.BufferedImage.TYPE_INT_RGB);
      for (int y = 0; y < sizes[i][0]; y++) {
        for (int x = 0; x < sizes[i][1]; x++) {
          img.setRGB(x, y, ((x * 7 + y * 3 + i * 50) % 256) << 8 | (y * 5) % 256);
        }
      }
      javax.imageio.ImageIO.write(img, "png", set.resolve("img" + i + ".png").toFile());
    }
    Path bad = tmp.resolve("bad.pbtxt");
    Files.writeString(bad, ownSizes(set, 6, tmp.resolve("any"), tmp.resolve("fixed"), features));
    CliTest.Run refused = CliTest.run("evaluate", "images", "--config", bad.toString(), "--out",
        tmp.resolve("bad-run").toString());
    assertThat(refused.exit()).isEqualTo(2);
    assertThat(refused.err()).contains("image_evaluation.data.folder.multiple_of = 6", "multiple of the scale 4");
    assertThat(tmp.resolve("bad-run")).doesNotExist();

    Path config = tmp.resolve("own.pbtxt");
    Files.writeString(config, ownSizes(set, 4, tmp.resolve("any"), tmp.resolve("fixed"), features));
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonObject evaluation = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("evaluations").get(0).getAsJsonObject();
    JsonObject images = evaluation.getAsJsonObject("images");
    assertThat(images.get("own_sizes").toString()).isEqualTo("[\"60x80\",\"40x44\"]");
    assertThat(images.get("own_size_models").toString()).isEqualTo("[\"Any\"]");
    assertThat(images.get("centre_cropped_models").toString()).isEqualTo("[\"Fixed\"]");
    assertThat(images.get("distribution_metrics").getAsString()).contains("centre crops");
    JsonObject metrics = evaluation.getAsJsonObject("metrics");
    assertThat(metrics.keySet()).containsExactly("fid", "precision_recall_k1");
    int generated = evaluation.getAsJsonArray("models").get(0).getAsJsonObject().get("generated_samples").getAsInt();
    for (String protocol : metrics.keySet()) {
      assertThat(metrics.getAsJsonObject(protocol).get("real_samples").getAsInt())
          .isEqualTo(evaluation.get("real_samples").getAsInt());
      assertThat(metrics.getAsJsonObject(protocol).get("generated_samples").getAsInt()).isEqualTo(generated);
    }
    JsonObject psnr = evaluation.getAsJsonObject("psnr");
    assertThat(psnr.get("channel").getAsString()).isEqualTo("Y");
    assertThat(psnr.get("shave").getAsInt()).isEqualTo(4);
    JsonObject anyModel = evaluation.getAsJsonArray("models").get(0).getAsJsonObject();
    JsonObject fixedModel = evaluation.getAsJsonArray("models").get(1).getAsJsonObject();
    assertThat(anyModel.get("per_input_sizes").getAsString()).isEqualTo("own");
    assertThat(fixedModel.get("per_input_sizes").getAsString()).isEqualTo("centre_crop");
    assertThat(anyModel.get("per_input_inputs").getAsInt()).isEqualTo(2);
    assertThat(anyModel.get("psnr_db").getAsDouble()).isBetween(5.0, 60.0);
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("Images at their own sizes", "the any-size models Any", "sizes 60x80, 40x44",
        "32x32 centre crops for every metric: Fixed", "FID, precision/recall, the validation reference and the grid on"
        + " the image_size centre crops", "PSNR against the ground truth");
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

  /** The committed factor classifier (images -> features and logits). */
  private static final String CLASSIFIER = "savedmodels/cpu/faces-features";

  private static String posterior(String classifier) {
    return "posterior { inputs: 8 samples: 8 classifier { path: \"" + classifier + "\" } }";
  }

  @Test
  void aDeterministicModelScoresTheClosedFormsOfACollapsedEstimatorBesideTheExactSampler(@TempDir Path tmp)
      throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.affine(tmp.resolve("inpaint"), 32, 1, 1f, 0f, 0f);
    Path config = tmp.resolve("posterior.pbtxt");
    Files.writeString(config, "name: \"posterior\"\nimage_evaluation_suite {\n"
        + evaluation("faces { train_size: 64 validation_size: 48 }", "inpainting { masked_fraction: 0.75 }",
            tmp.resolve("inpaint").toString(), features, 1.25, posterior(CLASSIFIER)) + "}\n");
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonObject evaluation = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("evaluations").get(0).getAsJsonObject();
    JsonObject identity = evaluation.getAsJsonArray("models").get(0).getAsJsonObject();
    JsonObject p = identity.getAsJsonObject("posterior");
    // one output per input: each factor's samples sit on one of its K values, TV = 1 - 1/K; one
    // mode of the 8 samples against E[distinct] = K (1 - (1 - 1/K)^8), K = 1440; all inputs collapsed
    int[] card = {5, 6, 4, 4, 3};
    String[] names = {"hair_style", "hair_color", "eye_color", "glasses", "brows"};
    for (int f = 0; f < 5; f++) {
      assertThat(p.getAsJsonObject("factor_tv").get(names[f]).getAsDouble()).isCloseTo(1 - 1.0 / card[f],
          org.assertj.core.api.Assertions.within(1e-12));
    }
    assertThat(p.get("mode_coverage").getAsDouble()).isCloseTo(1 / (1440 * (1 - Math.pow(1 - 1 / 1440.0, 8))),
        org.assertj.core.api.Assertions.within(1e-12));
    assertThat(p.get("collapse_rate").getAsDouble()).isEqualTo(1.0);
    // the exact sampler: a reference column, consistent by construction, robustness not defined
    JsonObject exact = evaluation.getAsJsonArray("models").get(1).getAsJsonObject();
    assertThat(exact.get("name").getAsString()).isEqualTo("posterior sampler (exact)");
    assertThat(exact.get("reference").getAsBoolean()).isTrue();
    assertThat(exact.get("robustness_db").isJsonNull()).isTrue();
    assertThat(exact.get("robustness_db_reason").getAsString()).contains("not defined");
    assertThat(exact.get("consistency_db").getAsDouble()).isEqualTo(100.0);
    assertThat(exact.get("pixel_std").getAsDouble()).isGreaterThan(0.01);
    assertThat(exact.getAsJsonObject("posterior").get("collapse_rate").getAsDouble()).isZero();
    JsonObject summary = evaluation.getAsJsonObject("posterior");
    assertThat(summary.get("modes").getAsInt()).isEqualTo(1440);
    assertThat(summary.getAsJsonArray("hidden_factors").get(4).getAsJsonObject()
        .get("classifier_held_out_accuracy").getAsDouble()).isEqualTo(0.7738);
    assertThat(summary.getAsJsonObject("floor").get("collapse_rate").getAsDouble()).isZero();
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("| posterior sampler (exact) (reference) |", "not defined (reads the factors)",
        "Mode coverage ↑", "TV brows ↓ (K = 3, classifier 77.4%)", "floor (exact sampler, M = 8, N = 8)",
        "posterior-factors.png");
    assertThat(out.resolve("posterior-factors.png")).isNotEmptyFile();
    java.util.List<String> csv = Files.readAllLines(out.resolve("table1.csv"));
    assertThat(csv).hasSize(3);
    assertThat(csv.get(0)).contains(",mode_coverage,mode_coverage_floor,collapse_rate,collapse_rate_floor");
    assertThat(csv.get(2)).startsWith("posterior sampler (exact),true,");
  }

  @Test
  void thePosteriorBlockOnAnImageFolderIsRefusedBeforeAnyWork(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true);
    ImageClosedFormModels.affine(tmp.resolve("inpaint"), 32, 1, 1f, 0f, 0f);
    Files.createDirectories(tmp.resolve("photos"));
    Path config = tmp.resolve("folder.pbtxt");
    Files.writeString(config, "name: \"folder\"\nimage_evaluation_suite {\n"
        + evaluation("folder { path: \"" + tmp.resolve("photos") + "\" }", "inpainting { masked_fraction: 0.75 }",
            tmp.resolve("inpaint").toString(), features, 1.25, posterior(CLASSIFIER)) + "}\n");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("image_evaluation.posterior: data set 'folder " + tmp.resolve("photos")
        + "' has no known posterior");
    assertThat(tmp.resolve("run")).doesNotExist();
  }

  @Test
  void aClassifierWithoutLogitsIsRefusedBeforeAnyWork(@TempDir Path tmp) throws IOException {
    Path features = tmp.resolve("features");
    ImageClosedFormModels.poolingFeatures(features, 32, true); // outputs "features" only
    ImageClosedFormModels.affine(tmp.resolve("inpaint"), 32, 1, 1f, 0f, 0f);
    Path config = tmp.resolve("nologits.pbtxt");
    Files.writeString(config, "name: \"nologits\"\nimage_evaluation_suite {\n"
        + evaluation("faces { train_size: 64 validation_size: 48 }", "inpainting { masked_fraction: 0.75 }",
            tmp.resolve("inpaint").toString(), features, 1.25, posterior(features.toString())) + "}\n");
    CliTest.Run r = CliTest.run("evaluate", "images", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("image_evaluation.posterior.classifier: SavedModel " + features,
        "no output named 'logits' (it has: features)");
    assertThat(tmp.resolve("run")).doesNotExist();
  }
}
