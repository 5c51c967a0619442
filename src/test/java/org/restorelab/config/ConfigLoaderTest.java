package org.restorelab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  private static final String SMALL = """
      name: "small"
      seed: 7
      analytic {
        handcrafted {
          estimator { name: "A" alpha: 1 }
          estimator { name: "B" alpha: 50 }
          precision_recall { k: 5 }
        }
        zigzag { frequency: [1, 2] num_samples: 10 }
      }
      """;

  @Test
  void everyShippedConfigLoads() throws IOException {
    try (Stream<Path> files = Files.walk(Path.of("configs"))) {
      List<Path> configs = files.filter(p -> p.toString().endsWith(".pbtxt")).toList();
      assertThat(configs).isNotEmpty();
      for (Path p : configs) {
        assertThat(ConfigLoader.load(p).getName()).as(p.toString()).isNotEmpty();
      }
    }
  }

  @Test
  void theEmbeddedDefaultIsTheShippedFile() {
    assertThat(ConfigLoader.loadEmbedded("toy/analytic.pbtxt"))
        .isEqualTo(ConfigLoader.load(Path.of("configs/toy/analytic.pbtxt")));
  }

  @Test
  void schemaDefaultsApplyToUnsetFields() {
    ExperimentConfig c = ConfigLoader.parse(SMALL, "inline");
    assertThat(c.getAnalytic().getHandcrafted().getRepetitions()).isEqualTo(20);
    assertThat(c.getAnalytic().getHandcrafted().getSupportSamples()).isEqualTo(10000);
    assertThat(c.getAnalytic().getHandcrafted().getPrecisionRecall().getNumSamples()).isEqualTo(1000);
    assertThat(c.getAnalytic().getHandcrafted().getPrecisionRecall().getBackend()).isEqualTo(DistanceBackend.AUTO);
    assertThat(c.getAnalytic().getZigzag().getRepetitions()).isEqualTo(5);
  }

  @Test
  void aTypoNamesTheFileLineColumnAndField(@TempDir Path dir) throws IOException {
    Path file = dir.resolve("typo.pbtxt");
    Files.writeString(file, "name: \"x\"\nanalytic {\n  zigzag { frequncy: 1 }\n}\n");
    assertThatThrownBy(() -> ConfigLoader.load(file))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining(file.toString())
        .hasMessageContaining("line 3")
        .hasMessageContaining("column")
        .hasMessageContaining("frequncy");
  }

  @Test
  void aMissingFileIsNamed() {
    assertThatThrownBy(() -> ConfigLoader.load(Path.of("no/such/config.pbtxt")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config file not found: no/such/config.pbtxt");
  }

  @Test
  void overridesSetScalarsNestedFieldsEnumsAndStrings() {
    ExperimentConfig c = ConfigLoader.applyOverrides(ConfigLoader.parse(SMALL, "inline"), List.of(
        "seed=42",
        "name=renamed run",
        "analytic.zigzag.num_samples=33",
        "analytic.handcrafted.precision_recall.backend=TENSORFLOW",
        "analytic.ellipse.alpha=7.5"));
    assertThat(c.getSeed()).isEqualTo(42);
    assertThat(c.getName()).isEqualTo("renamed run");
    assertThat(c.getAnalytic().getZigzag().getNumSamples()).isEqualTo(33);
    assertThat(c.getAnalytic().getHandcrafted().getPrecisionRecall().getBackend())
        .isEqualTo(DistanceBackend.TENSORFLOW);
    assertThat(c.getAnalytic().getEllipse().getAlpha()).isEqualTo(7.5);
    assertThat(c.getAnalytic().getEllipse().getOuterA()).isEqualTo(1.0); // untouched default
  }

  @Test
  void overridesReplaceRepeatedFieldsAndAddressElements() {
    ExperimentConfig c = ConfigLoader.applyOverrides(ConfigLoader.parse(SMALL, "inline"), List.of(
        "analytic.zigzag.frequency=4,8,16",
        "analytic.handcrafted.estimator[1].alpha=20",
        "analytic.handcrafted.estimator[0].name=\"Robust\""));
    assertThat(c.getAnalytic().getZigzag().getFrequencyList()).containsExactly(4, 8, 16);
    assertThat(c.getAnalytic().getHandcrafted().getEstimator(1).getAlpha()).isEqualTo(20);
    assertThat(c.getAnalytic().getHandcrafted().getEstimator(0).getName()).isEqualTo("Robust");
    assertThat(c.getAnalytic().getHandcrafted().getEstimator(1).getName()).isEqualTo("B");
  }

  @Test
  void badOverridesSayWhatIsWrong() {
    ExperimentConfig base = ConfigLoader.parse(SMALL, "inline");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("analytic.zigzag.nsamples=3")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("unknown field 'nsamples' in ZigzagConfig")
        .hasMessageContaining("num_samples");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("analytic.zigzag.num_samples=many")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("not a valid int32 for field num_samples");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("seed")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("expected path.to.field=value");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("analytic.handcrafted.estimator[5].alpha=1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("index 5 out of range, estimator has 2 element(s)");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("seed.x=1")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("has no sub-fields");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(base, List.of("analytic.handcrafted.precision_recall.backend=GPU")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("backend");
  }
}
