package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import java.awt.image.BufferedImage;
import javax.imageio.ImageIO;
import org.restorelab.config.ImageDataConfig;
import org.restorelab.config.ImageFolderDataConfig;
import org.restorelab.data.image.ImageSet;
import org.restorelab.data.image.ImageSets;
import org.restorelab.data.image.Split;
import org.restorelab.evaluate.ImageClosedFormModels;

/**
 * {@code evaluate ifgsm} end to end on closed-form models: Figure 8, its table, and the 6.02 dB of a
 * gain of 2; a new user's image folder (grayscale PNG, RGBA PNG, JPEG, sizes not multiples of the
 * scale); a model of another origin named wrongly.
 */
class EvaluateIfgsmCliTest {

  private static String model(Path dir, String name) {
    return "  model { path: \"" + dir + "\" name: \"" + name + "\" signature: \"restore\" input_y: \"measurement\""
        + " input_z: \"latent\" output: \"image\" noise { distribution: ZERO dim: 3072 } }\n";
  }

  @Test
  void figure8OfTwoUpsamplers(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("once"), 32, 4, 1f, 0f, 0f);
    ImageClosedFormModels.affine(tmp.resolve("twice"), 32, 4, 2f, 0f, 0f);
    Path config = tmp.resolve("ifgsm.pbtxt");
    Files.writeString(config, "name: \"ifgsm\"\nifgsm_evaluation {\n"
        + "  data { faces { train_size: 16 validation_size: 8 } image_size: 32 }\n"
        + "  task { super_resolution { scale: 4 } }\n" + model(tmp.resolve("once"), "Once") + model(tmp.resolve("twice"), "Twice")
        + "  ifgsm { alpha_255: [2, 8] steps: 10 output_psnr { channel: Y shave: 4 peak: 255 }"
        + " input_psnr { channel: Y shave: 0 peak: 255 } }\n  inputs: 4 batch_size: 2 low_resolution: MATLAB_BICUBIC\n}\n");
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    assertThat(out.resolve("figure8.png")).isNotEmptyFile();
    assertThat(Files.readString(out.resolve("report.md"))).contains("Once output PSNR", "Twice input PSNR", "figure8.png");
    JsonArray models = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("models");
    JsonObject once = models.get(0).getAsJsonObject();
    JsonObject twice = models.get(1).getAsJsonObject();
    for (int a = 0; a < 2; a++) {
      // the same sign dynamics (gradient x 4): the same delta, outputs twice as far apart
      double in1 = once.getAsJsonArray("input_psnr_db").get(a).getAsDouble();
      double in2 = twice.getAsJsonArray("input_psnr_db").get(a).getAsDouble();
      double out1 = once.getAsJsonArray("output_psnr_db").get(a).getAsDouble();
      double out2 = twice.getAsJsonArray("output_psnr_db").get(a).getAsDouble();
      assertThat(in2).isCloseTo(in1, within(1e-9));
      assertThat(out1 - out2).isCloseTo(20 * Math.log10(2), within(1e-4));
    }
  }

  private static int gray(int x, int y) {
    return (3 * x + 5 * y) % 256;
  }

  private static int rgb(int x, int y) {
    return (x * 5 << 16) | (y * 5 << 8) | 99;
  }

  /** a_gray.png 37x45 (h x w), b_rgba.png 45x37 with alpha 40..220, c_rgb.jpg 37x45. */
  private static void newUsersFolder(Path folder) throws IOException {
    Files.createDirectories(folder);
    BufferedImage g = new BufferedImage(45, 37, BufferedImage.TYPE_BYTE_GRAY);
    for (int y = 0; y < 37; y++) {
      for (int x = 0; x < 45; x++) {
        g.getRaster().setSample(x, y, 0, gray(x, y));
      }
    }
    ImageIO.write(g, "png", folder.resolve("a_gray.png").toFile());
    BufferedImage rgba = new BufferedImage(37, 45, BufferedImage.TYPE_INT_ARGB);
    for (int y = 0; y < 45; y++) {
      for (int x = 0; x < 37; x++) {
        rgba.setRGB(x, y, (40 + 5 * x) << 24 | rgb(x, y));
      }
    }
    ImageIO.write(rgba, "png", folder.resolve("b_rgba.png").toFile());
    BufferedImage jpeg = new BufferedImage(45, 37, BufferedImage.TYPE_INT_RGB);
    for (int y = 0; y < 37; y++) {
      for (int x = 0; x < 45; x++) {
        jpeg.setRGB(x, y, rgb(x, y));
      }
    }
    ImageIO.write(jpeg, "jpg", folder.resolve("c_rgb.jpg").toFile());
  }

  private static String folderConfig(Path folder, Path model, String policy) {
    return "name: \"ifgsm-folder\"\nifgsm_evaluation {\n"
        + "  data { folder { path: \"" + folder + "\" size_policy: " + policy + " } image_size: 32 }\n"
        + "  task { super_resolution { scale: 4 } }\n" + model(model, "Once")
        + "  ifgsm { alpha_255: [4] steps: 5 }\n  inputs: 3 batch_size: 2\n}\n";
  }

  @Test
  void aFolderOfGrayscaleRgbaAndJpegImagesOfOddSizesIsConvertedCroppedAndReported(@TempDir Path tmp) throws IOException {
    Path folder = tmp.resolve("my images");
    newUsersFolder(folder);
    ImageClosedFormModels.affine(tmp.resolve("once"), 32, 4, 1f, 0f, 0f);
    Path config = tmp.resolve("ifgsm.pbtxt");
    Files.writeString(config, folderConfig(folder, tmp.resolve("once"), "CENTER_CROP"));
    Path out = tmp.resolve("run");
    CliTest.Run r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", out.toString());
    assertThat(r.exit()).as(r.out() + r.err()).isZero();
    JsonObject images = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonObject("images");
    assertThat(images.get("source").getAsString()).isEqualTo("folder");
    assertThat(images.get("count").getAsInt()).isEqualTo(3);
    assertThat(images.get("grayscale_to_rgb").toString()).isEqualTo("[\"a_gray.png\"]");
    assertThat(images.get("alpha_dropped").toString()).isEqualTo("[\"b_rgba.png\"]");
    assertThat(Files.readString(out.resolve("report.md"))).contains(
        "3 validation images of folder, 32x32 (centre crop of each file); grayscale replicated to RGB: 1 (a_gray.png);"
            + " alpha channel dropped: 1 (b_rgba.png)");
    JsonObject once = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject()
        .getAsJsonArray("models").get(0).getAsJsonObject();
    assertThat(once.getAsJsonArray("output_psnr_db").get(0).getAsDouble()).isFinite();

    // the pixels the evaluation read: the centre 32x32 (top rint((h - 32) / 2), left rint((w - 32) / 2))
    ImageSet set = ImageSets.open(ImageDataConfig.newBuilder().setImageSize(32)
        .setFolder(ImageFolderDataConfig.newBuilder().setPath(folder.toString())).build(), Split.VALIDATION, 0);
    float[] px = new float[3 * 32 * 32 * 3];
    for (int i = 0; i < 3; i++) {
      set.read(i, px, i * 32 * 32 * 3);
    }
    BufferedImage decodedJpeg = ImageIO.read(folder.resolve("c_rgb.jpg").toFile());
    for (int y = 0; y < 32; y++) {
      for (int x = 0; x < 32; x++) {
        int o = (y * 32 + x) * 3;
        // grayscale 37x45: top 2 (rint 2.5), left 6 (rint 6.5); three equal channels
        for (int c = 0; c < 3; c++) {
          assertThat(px[o + c]).isEqualTo(gray(x + 6, y + 2) / 255f);
        }
        // RGBA 45x37: top 6, left 2; the stored RGB whatever the alpha (not composited)
        int want = rgb(x + 2, y + 6);
        int b = 32 * 32 * 3 + o;
        assertThat(px[b]).isEqualTo(((want >> 16) & 0xff) / 255f);
        assertThat(px[b + 1]).isEqualTo(((want >> 8) & 0xff) / 255f);
        assertThat(px[b + 2]).isEqualTo((want & 0xff) / 255f);
        // JPEG 37x45: top 2, left 6, as an independent decode of the file gives
        int j = decodedJpeg.getRGB(x + 6, y + 2);
        int k = 2 * 32 * 32 * 3 + o;
        assertThat(px[k]).isEqualTo(((j >> 16) & 0xff) / 255f);
        assertThat(px[k + 1]).isEqualTo(((j >> 8) & 0xff) / 255f);
        assertThat(px[k + 2]).isEqualTo((j & 0xff) / 255f);
      }
    }
  }

  @Test
  void aFolderTheModelsCannotReadIsAClearError(@TempDir Path tmp) throws IOException {
    ImageClosedFormModels.affine(tmp.resolve("once"), 32, 4, 1f, 0f, 0f);
    Path folder = tmp.resolve("images");
    newUsersFolder(folder);
    Path config = tmp.resolve("multiple.pbtxt");
    Files.writeString(config, folderConfig(folder, tmp.resolve("once"), "CROP_TO_MULTIPLE"));
    CliTest.Run r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", tmp.resolve("r1").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("ifgsm_evaluation.data.folder.multiple_of = 1", "multiple of the scale 4");
    // with multiple_of 4 the run goes on: this fixed-size model gets the 32x32 centre crops, and says so
    Files.writeString(config, folderConfig(folder, tmp.resolve("once"), "CROP_TO_MULTIPLE multiple_of: 4"));
    r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", tmp.resolve("r0").toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject images = JsonParser.parseString(Files.readString(tmp.resolve("r0/results.json"))).getAsJsonObject()
        .getAsJsonObject("images");
    assertThat(images.get("centre_cropped_models").toString()).isEqualTo("[\"Once\"]");
    assertThat(images.get("own_sizes").toString()).isEqualTo("[]");
    assertThat(Files.readString(tmp.resolve("r0/report.md"))).contains("at their own sizes",
        "fixed-size models on 32x32 centre crops: Once", "(modcrop of each file)");
    // an image smaller than image_size is named
    BufferedImage small = new BufferedImage(45, 20, BufferedImage.TYPE_INT_RGB);
    ImageIO.write(small, "png", folder.resolve("b_small.png").toFile());
    Files.writeString(config, folderConfig(folder, tmp.resolve("once"), "CENTER_CROP"));
    r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", tmp.resolve("r2").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains(folder.resolve("b_small.png").toString(), "20x45, smaller than the image size 32x32");
  }

  @Test
  void aModelOfAnotherOriginWithAWrongTensorNameIsAUsageErrorNamingFolderAndTensor(@TempDir Path tmp) throws IOException {
    Path model = tmp.resolve("external");
    ImageClosedFormModels.namedUpsampler(model, 32, 4, new ImageClosedFormModels.Names("predict", "lr_image", "", "sr_image"));
    Path config = tmp.resolve("ifgsm.pbtxt");
    Files.writeString(config, "name: \"ifgsm\"\nifgsm_evaluation {\n"
        + "  data { faces { train_size: 8 validation_size: 4 } image_size: 32 }\n"
        + "  task { super_resolution { scale: 4 } }\n"
        + "  model { path: \"" + model + "\" signature: \"predict\" input_y: \"lr_image\" input_z: \"\" output: \"sr\" }\n"
        + "  ifgsm { alpha_255: [4] steps: 5 }\n  inputs: 2 batch_size: 2\n}\n");
    CliTest.Run r = CliTest.run("evaluate", "ifgsm", "--config", config.toString(), "--out", tmp.resolve("run").toString());
    assertThat(r.exit()).as(r.err()).isEqualTo(2);
    assertThat(r.err()).contains("SavedModel " + model + ", signature predict: no output named 'sr' (it has: sr_image)");
  }
}
