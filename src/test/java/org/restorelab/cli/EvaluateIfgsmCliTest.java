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
import org.restorelab.evaluate.ImageClosedFormModels;

/** {@code evaluate ifgsm} end to end on closed-form models: Figure 8, its table, and the 6.02 dB of a gain of 2. */
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
}
