package org.restorelab.train;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ConfigException;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.data.image.BatchLoader;
import org.restorelab.data.image.ProceduralFaces;
import org.restorelab.data.image.Split;
import org.restorelab.export.FeatureExtractorExport;
import org.restorelab.train.FeatureExtractorTrainer.FactorAccuracy;
import org.tensorflow.Result;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * The feature extractor end to end on 16x16 faces: a short training run learns the easy factors,
 * a resumed run matches an uninterrupted one, the export gives the training graph's features,
 * and a config without faces is refused with the field named.
 */
class FeatureExtractorTrainerTest {
  @TempDir static Path shared;
  @TempDir Path dir;

  static final long SEED = 5;
  static FeatureExtractorTrainer.Outcome trained;

  /** 16x16 faces, width 8, 32 features, Adam at 2e-3. */
  static FeatureExtractorConfig small(int steps, int validationImages) {
    FeatureExtractorConfig.Builder b = FeatureExtractorConfig.newBuilder().setName("test-features").setWidth(8)
        .setFeatureDim(32).setSteps(steps).setBatchSize(16).setValidationImages(validationImages)
        .setCheckpointEvery(1000).setLogEvery(50);
    b.getDataBuilder().setImageSize(16).setPrefetchBatches(2).getFacesBuilder().setTrainSize(5000)
        .setValidationSize(1000);
    b.getOptimizerBuilder().setLr(2e-3).setBeta1(0.9).setBeta2(0.999);
    return b.build();
  }

  private static PrintWriter quiet() {
    return new PrintWriter(new StringWriter());
  }

  @BeforeAll
  static void trainShortly() throws Exception {
    FeatureExtractorConfig config = small(300, 400);
    FeatureExtractorTrainer.validate(config, "feature_extractor");
    trained = new FeatureExtractorTrainer(config, SEED, shared.resolve("run")).train(
        FeatureExtractorTrainer.faces(config, Split.TRAIN, SEED),
        FeatureExtractorTrainer.faces(config, Split.VALIDATION, SEED), false, quiet());
  }

  private static double accuracy(String factor) {
    return trained.heldOut().stream().filter(a -> a.factor().equals(factor)).findFirst().orElseThrow().accuracy();
  }

  @Test
  void aShortRunBeatsChanceClearlyOnTheEasyFactors() {
    assertThat(trained.finished()).isTrue();
    assertThat(trained.heldOut()).extracting(FactorAccuracy::factor)
        .containsExactlyElementsOf(ProceduralFaces.factorNames());
    // the easy factors are large flat colour regions: background and hair colour (6 values, chance
    // 17%), skin tone and shirt (5 values, chance 20%; at 16x16 the shirt is the bottom 2-3 rows)
    String all = trained.heldOut().toString();
    assertThat(accuracy("background")).as(all).isGreaterThan(0.7);
    assertThat(accuracy("skin_tone")).as(all).isGreaterThan(0.7);
    assertThat(accuracy("hair_color")).as(all).isGreaterThan(0.45);
    assertThat(accuracy("shirt")).as(all).isGreaterThan(0.45);
    double mean = trained.heldOut().stream().mapToDouble(FactorAccuracy::accuracy).average().orElseThrow();
    double chance = trained.heldOut().stream().mapToDouble(FactorAccuracy::chance).average().orElseThrow();
    assertThat(chance).isCloseTo((1 / 5.0 + 1 / 6.0 + 1 / 4.0 + 1 / 4.0 + 1 / 3.0 + 1 / 5.0 + 1 / 3.0 + 1 / 6.0
        + 1 / 3.0 + 1 / 5.0) / 10, org.assertj.core.data.Offset.offset(1e-12));
    assertThat(mean).as(all).isGreaterThan(chance + 0.2);
    // the weights handed back are the classifier's, not Adam's slots
    assertThat(trained.weights().keySet()).allMatch(n -> n.startsWith("classifier_") && !n.contains("_adam_"))
        .contains("classifier_features_w", "classifier_head9_b");
  }

  @Test
  void aResumedRunReachesTheSameWeightsBitForBit() throws Exception {
    FeatureExtractorConfig config = small(6, 20);
    ProceduralFaces train = FeatureExtractorTrainer.faces(config, Split.TRAIN, SEED);
    ProceduralFaces validation = FeatureExtractorTrainer.faces(config, Split.VALIDATION, SEED);
    FeatureExtractorTrainer.Outcome whole = new FeatureExtractorTrainer(config, SEED, dir.resolve("whole"))
        .train(train, validation, false, quiet());
    FeatureExtractorTrainer first = new FeatureExtractorTrainer(config, SEED, dir.resolve("split"));
    first.stopAfter(4);
    FeatureExtractorTrainer.Outcome half = first.train(train, validation, false, quiet());
    assertThat(half.finished()).isFalse();
    assertThat(half.heldOut()).isEmpty();
    FeatureExtractorTrainer.Outcome resumed = new FeatureExtractorTrainer(config, SEED, dir.resolve("split"))
        .train(train, validation, true, quiet());
    assertThat(resumed.step()).isEqualTo(6);
    for (Map.Entry<String, Checkpoint.Tensor> e : whole.weights().entrySet()) {
      assertThat(resumed.weights().get(e.getKey()).values()).as(e.getKey()).containsExactly(e.getValue().values());
    }
  }

  @Test
  void theExportGivesTheTrainingGraphsFeatures() throws Exception {
    FeatureExtractorConfig config = small(300, 400);
    Path exported = dir.resolve("model");
    FeatureExtractorExport.export(config, trained.weights(), trained.heldOut(), exported, new JsonObject());
    ProceduralFaces validation = FeatureExtractorTrainer.faces(config, Split.VALIDATION, SEED);
    int n = 5;
    float[] images = BatchLoader.readAll(validation, IntStream.range(0, n).toArray());
    float[] expectedFeatures;
    float[] expectedLogits;
    try (FeatureExtractorGraph g = new FeatureExtractorGraph(config, SEED); Session s = new Session(g.graph);
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, 16, 16, 3), DataBuffers.of(images, true, false))) {
      g.variables.assign(s, Checkpoint.read(shared.resolve("run").resolve(Checkpoint.FILE)).variables(), "checkpoint");
      try (Result r = s.runner().feed(g.images, x).fetch(g.features).fetch(g.logits).run()) {
        expectedFeatures = GanTrainer.floats((TFloat32) r.get(0));
        expectedLogits = GanTrainer.floats((TFloat32) r.get(1));
      }
    }
    assertThat(expectedFeatures).hasSize(n * 32);
    assertThat(IntStream.range(0, expectedFeatures.length).filter(i -> expectedFeatures[i] > 0).count()).isPositive();
    try (SavedModelBundle model = SavedModelBundle.load(exported.toString(), "serve");
        TFloat32 x = TFloat32.tensorOf(Shape.of(n, 16, 16, 3), DataBuffers.of(images, true, false))) {
      var signature = model.function("serving_default").signature();
      assertThat(signature.inputNames()).containsExactly("images");
      assertThat(signature.outputNames()).containsExactlyInAnyOrder("features", "logits");
      try (var out = model.function("serving_default").call(Map.of("images", x))) {
        TFloat32 features = (TFloat32) out.get("features").orElseThrow();
        TFloat32 logits = (TFloat32) out.get("logits").orElseThrow();
        assertThat(features.shape()).isEqualTo(Shape.of(n, 32));
        assertThat(logits.shape()).isEqualTo(Shape.of(n, 44));
        assertThat(GanTrainer.floats(features)).containsExactly(expectedFeatures,
            org.assertj.core.data.Offset.offset(1e-5f));
        assertThat(GanTrainer.floats(logits)).containsExactly(expectedLogits,
            org.assertj.core.data.Offset.offset(1e-5f));
      }
    }
    JsonObject meta = JsonParser.parseString(Files.readString(exported.resolve("assets.extra/restorelab.json")))
        .getAsJsonObject();
    assertThat(meta.get("format").getAsString()).isEqualTo("restorelab.feature-extractor/1");
    assertThat(meta.get("name").getAsString()).isEqualTo("test-features");
    assertThat(meta.get("input_size").getAsInt()).isEqualTo(16);
    assertThat(meta.get("feature_dim").getAsInt()).isEqualTo(32);
    assertThat(meta.getAsJsonArray("factors")).hasSize(10);
    assertThat(meta.getAsJsonArray("factors").get(7).getAsJsonObject().get("held_out_accuracy").getAsDouble())
        .isEqualTo(accuracy("background"));
  }

  @Test
  void aConfigWithoutFacesIsRefusedNamingTheField() {
    FeatureExtractorConfig.Builder textures = small(10, 10).toBuilder();
    textures.getDataBuilder().getTexturesBuilder().setTrainSize(100);
    assertThatThrownBy(() -> FeatureExtractorTrainer.validate(textures.build(), "feature_extractor"))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("feature_extractor.data")
        .hasMessageContaining("textures");
    FeatureExtractorConfig.Builder none = small(10, 10).toBuilder();
    none.getDataBuilder().clearFaces();
    assertThatThrownBy(() -> FeatureExtractorTrainer.validate(none.build(), "feature_extractor"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feature_extractor.data: ");
    FeatureExtractorConfig.Builder odd = small(10, 10).toBuilder();
    odd.getDataBuilder().setImageSize(20);
    assertThatThrownBy(() -> FeatureExtractorTrainer.validate(odd.build(), "feature_extractor"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feature_extractor.data.image_size = 20");
    assertThatThrownBy(() -> FeatureExtractorTrainer.validate(small(10, 2000).toBuilder().build(), "feature_extractor"))
        .isInstanceOf(ConfigException.class).hasMessageContaining("feature_extractor.validation_images = 2000");
  }
}
