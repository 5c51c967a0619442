package org.restorelab.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train} on a feature_extractor config: the run folder, its records and the export; bad data refused. */
class FeatureExtractorCliTest {
  static final String CONFIG = "configs/cpu/feature-extractor-faces.pbtxt";

  @Test
  void trainWritesResultsReportAndSavedModel(@TempDir Path dir) throws Exception {
    Path out = dir.resolve("run");
    CliTest.Run r = CliTest.run("train", "--config", CONFIG,
        "--set", "feature_extractor.steps=4", "--set", "feature_extractor.batch_size=4",
        "--set", "feature_extractor.validation_images=8", "--set", "feature_extractor.data.image_size=16",
        "--set", "feature_extractor.width=2", "--set", "feature_extractor.feature_dim=8",
        "--out", out.toString());
    assertThat(r.exit()).as(r.err()).isZero();
    JsonObject results = JsonParser.parseString(Files.readString(out.resolve("results.json"))).getAsJsonObject();
    assertThat(results.get("schema").getAsString()).isEqualTo("restorelab.train-feature-extractor/1");
    assertThat(results.get("step").getAsLong()).isEqualTo(4);
    assertThat(results.getAsJsonArray("held_out")).hasSize(10);
    assertThat(results.get("savedmodel").getAsString()).isEqualTo("savedmodel");
    String report = Files.readString(out.resolve("report.md"));
    assertThat(report).contains("./restorelab train --config " + CONFIG, "| background | 6 |", "chance",
        "`features` [n, 8]");
    assertThat(out.resolve("savedmodel/saved_model.pb")).exists();
    JsonObject meta = JsonParser.parseString(Files.readString(out.resolve("savedmodel/assets.extra/restorelab.json")))
        .getAsJsonObject();
    assertThat(meta.get("format").getAsString()).isEqualTo("restorelab.feature-extractor/1");
    assertThat(meta.get("name").getAsString()).isEqualTo("faces32-features");
    assertThat(meta.getAsJsonObject("provenance").get("command").getAsString()).isEqualTo("train");
  }

  @Test
  void nonFacesDataIsAConfigErrorNamingTheField(@TempDir Path dir) {
    Path out = dir.resolve("run");
    CliTest.Run r = CliTest.run("train", "--config", CONFIG, "--set", "feature_extractor.data.textures.train_size=100",
        "--out", out.toString());
    assertThat(r.exit()).isEqualTo(2);
    assertThat(r.err()).contains("feature_extractor.data", "textures");
    assertThat(out).doesNotExist();
  }
}
