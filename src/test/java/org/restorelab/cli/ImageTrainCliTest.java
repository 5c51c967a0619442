package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.train.Checkpoint;

/** `train` on an image GAN config through the CLI: data line, results, export, resume record. */
class ImageTrainCliTest {
  private static JsonObject json(Path p) throws IOException {
    return JsonParser.parseString(Files.readString(p)).getAsJsonObject();
  }

  @Test
  void trainsExportsAndResumesAnImageGan(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    CliTest.Run first = CliTest.run("train", "--config", "configs/cpu/inpainting-StoErraticGAN.pbtxt",
        "--set", "image_gan.steps=2", "--set", "image_gan.batch_size=4",
        "--set", "image_gan.data.faces.train_size=40", "--set", "image_gan.data.faces.validation_size=8",
        "--out", out.toString());
    assertThat(first.exit()).as(first.err()).isZero();
    assertThat(first.out()).contains("data: 40 training and 8 validation images (faces)");
    JsonObject results = json(out.resolve("results.json"));
    assertThat(results.get("schema").getAsString()).isEqualTo("restorelab.train/1");
    assertThat(results.get("estimator").getAsString()).isEqualTo("StoErraticGAN");
    assertThat(results.get("task").getAsString()).isEqualTo("inpainting");
    assertThat(results.get("step").getAsLong()).isEqualTo(2);
    assertThat(results.get("steps").getAsLong()).isEqualTo(2);
    assertThat(results.get("seconds_per_iteration").getAsDouble()).isPositive();
    assertThat(results.get("savedmodel").getAsString()).isEqualTo("savedmodel");
    assertThat(out.resolve("savedmodel/saved_model.pb")).exists();
    assertThat(json(out.resolve("run.json")).get("config_source").getAsString())
        .isEqualTo("configs/cpu/inpainting-StoErraticGAN.pbtxt");

    CliTest.Run again = CliTest.run("train", "--out", out.toString(), "--resume", "--set", "image_gan.steps=3");
    assertThat(again.exit()).as(again.err()).isZero();
    assertThat(Checkpoint.read(out.resolve(Checkpoint.FILE)).step()).isEqualTo(3);
    assertThat(json(out.resolve("results.json")).get("step").getAsLong()).isEqualTo(3);
    JsonObject record = json(out.resolve("run.json"));
    assertThat(record.get("config_source").getAsString()).isEqualTo("resumed from this folder's config.pbtxt");
    JsonObject earlier = record.getAsJsonArray("earlier_sessions").get(0).getAsJsonObject();
    assertThat(earlier.get("config_source").getAsString()).isEqualTo("configs/cpu/inpainting-StoErraticGAN.pbtxt");
    assertThat(earlier.get("status").getAsString()).isEqualTo("finished");
  }

  @Test
  void aFlatCriticStopFailsTheRunWithOneLineKeepsItsCheckpointAndRecordsTheReason(@TempDir Path dir) throws IOException {
    Path out = dir.resolve("run");
    CliTest.Run run = CliTest.run("train", "--config", "configs/cpu/inpainting-StoErraticGAN.pbtxt",
        "--set", "image_gan.steps=6", "--set", "image_gan.batch_size=2", "--set", "image_gan.estimator.width=2",
        "--set", "image_gan.critic.width=2", "--set", "image_gan.data.faces.train_size=20",
        "--set", "image_gan.data.faces.validation_size=8", "--set", "image_gan.flat_critic.tolerance=10",
        "--set", "image_gan.flat_critic.steps=3", "--set", "image_gan.flat_critic.stop=true", "--out", out.toString());
    // the divergence stop's way: exit 1, one line naming the step and the loss, the reason in run.json
    assertThat(run.exit()).as(run.err()).isEqualTo(1);
    assertThat(run.err().lines().filter(l -> l.startsWith("restorelab:")).toList()).singleElement().asString()
        .startsWith("restorelab: failed: EarlyStopException: critic flat at step 3: loss_critic = ")
        .contains("(stack trace in " + out.resolve("run.json") + ")");
    assertThat(Checkpoint.read(out.resolve(Checkpoint.FILE)).step()).isEqualTo(3);
    JsonObject record = json(out.resolve("run.json"));
    assertThat(record.get("status").getAsString()).isEqualTo("failed");
    assertThat(record.get("error").getAsString()).startsWith("EarlyStopException: critic flat at step 3");
    assertThat(out.resolve("savedmodel")).doesNotExist();
  }
}
