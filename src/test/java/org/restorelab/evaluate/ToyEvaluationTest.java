package org.restorelab.evaluate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.AttackConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.config.SavedModelConfig;
import org.restorelab.config.ToyEvaluationConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.estimator.SineEstimator;

class ToyEvaluationTest {
  private static final double EPS = 1e-3;

  private static SavedModelConfig external(Path dir) {
    return SavedModelConfig.newBuilder().setPath(dir.toString()).setName("closed-form")
        .setSignature("predict").setInputY("yy").setInputZ("zz").setOutput("xx").build();
  }

  private static ToyEvaluationConfig config() {
    return ToyEvaluationConfig.newBuilder()
        .setPrecisionRecall(PrecisionRecallConfig.newBuilder().setK(5).setNumSamples(1000))
        .setSensitivityInputs(400).setExactInputs(50).setExactGrid(41)
        .setAttack(AttackConfig.newBuilder().setEpsilon(EPS).setSteps(4).setLr(5e-4).setSeeds(50))
        .setSupportSamples(500).setScatterSamples(50).build();
  }

  @Test
  void threeShardsMergedGiveTheNumbersOfTheWholeEvaluation(@TempDir Path dir) throws IOException {
    Points validation = new UnitDisk().sample(10000, new java.util.SplittableRandom(5));
    // a stochastic model (50 z draws per attacked input) and a deterministic one; 400 / 3 and 50 / 3 are uneven
    for (String name : new String[] {"StoErraticGAN", "RobustGAN"}) {
      SavedModelConfig m = SavedModelConfig.newBuilder().setPath((name.equals("RobustGAN") ? "savedmodels/toy/effective/" : "savedmodels/toy/paper-literal/") + name).setName(name)
          .build();
      try (LoadedEstimator model = LoadedEstimator.load(m)) {
        ToyEvaluation.Result whole = ToyEvaluation.evaluate(model, config(), validation, 11);
        java.util.List<Path> files = new java.util.ArrayList<>();
        for (int k = 0; k < 3; k++) {
          files.add(dir.resolve(name + "-shard-" + k + ".json"));
          ToyEvaluation.evaluateShard(model, config(), validation, 11, k, 3, files.get(k));
        }
        Path merged = dir.resolve(name + ".json");
        ToyEvaluation.mergeShards(files, config(), merged);
        ToyEvaluation.Result sharded = ToyEvaluation.evaluate(model, config(), validation, 11, merged);
        assertThat(sharded.precision()).as(name).isEqualTo(whole.precision());
        assertThat(sharded.recall()).as(name).isEqualTo(whole.recall());
        assertThat(sharded.sensitivity()).as(name).isEqualTo(whole.sensitivity());
        assertThat(sharded.sensitivityOnExactInputs()).as(name).isEqualTo(whole.sensitivityOnExactInputs());
        assertThat(sharded.exactSensitivity()).as(name).isEqualTo(whole.exactSensitivity());
        assertThat(sharded.support().x2()).as(name).containsExactly(whole.support().x2());
        // a merged file of another config is refused, naming it
        ToyEvaluationConfig other = config().toBuilder().setSensitivityInputs(300).build();
        assertThatThrownBy(() -> ToyEvaluation.evaluate(model, other, validation, 11, merged))
            .isInstanceOf(ConfigException.class).hasMessageContaining(merged.toString());
      }
    }
  }

  @Test
  void theHarnessMeasuresAClosedFormModelBuiltElsewhere(@TempDir Path dir) throws IOException {
    Path model = dir.resolve("robust");
    ClosedFormSavedModel.write(model, 1, "yy", "zz", "xx", "predict");
    Points validation = new UnitDisk().sample(10000, new java.util.SplittableRandom(3));
    try (LoadedEstimator m = LoadedEstimator.load(external(model))) {
      assertThat(m.stochastic()).isFalse();
      ToyEvaluation.Result r = ToyEvaluation.evaluate(m, config(), validation, 7);
      // independent: max over delta = +-eps of (g(y + delta) - g(y))^2 in float64, over the same y's
      SineEstimator g = new SineEstimator("X_hat_Robust", 1);
      double sum = 0;
      double sumExact = 0;
      for (int i = 0; i < 400; i++) {
        double y = validation.x1()[i];
        double best = Math.max(sq(g.estimate(y + EPS) - g.estimate(y)), sq(g.estimate(y - EPS) - g.estimate(y)));
        sum += best;
        if (i < 50) {
          sumExact += best;
        }
      }
      assertThat(r.sensitivity()).isCloseTo(1e3 * Math.sqrt(sum / 400), within(0.01 * 1e3 * Math.sqrt(sum / 400)));
      // deterministic: W2^2 is the squared difference, and the grid contains +-eps, so R = R~ on those inputs
      assertThat(r.exactSensitivity()).isCloseTo(1e3 * Math.sqrt(sumExact / 50), within(0.01 * 1e3 * Math.sqrt(sumExact / 50)));
      assertThat(r.exactSensitivity()).isCloseTo(r.sensitivityOnExactInputs(), within(0.01 * r.exactSensitivity()));
      assertThat(r.precision()).isGreaterThan(0.95);
      assertThat(r.recall()).isLessThan(0.2);
      assertThat(r.support().size()).isEqualTo(500);
    }
  }

  @Test
  void theErraticClosedFormIsFarMoreSensitiveAndHasHighRecall(@TempDir Path dir) throws IOException {
    ClosedFormSavedModel.write(dir.resolve("robust"), 1, "yy", "zz", "xx", "predict");
    ClosedFormSavedModel.write(dir.resolve("erratic"), 50, "yy", "zz", "xx", "predict");
    Points validation = new UnitDisk().sample(10000, new java.util.SplittableRandom(4));
    try (LoadedEstimator robust = LoadedEstimator.load(external(dir.resolve("robust")));
        LoadedEstimator erratic = LoadedEstimator.load(external(dir.resolve("erratic")))) {
      ToyEvaluation.Result r = ToyEvaluation.evaluate(robust, config(), validation, 1);
      ToyEvaluation.Result e = ToyEvaluation.evaluate(erratic, config(), validation, 1);
      assertThat(e.sensitivity()).isGreaterThan(20 * r.sensitivity());
      assertThat(e.recall()).isGreaterThan(0.9);
    }
  }

  @Test
  void theDistanceToThePosteriorMatchesClosedForms(@TempDir Path dir) throws IOException {
    Points validation = new UnitDisk().sample(10000, new java.util.SplittableRandom(6));
    ToyEvaluationConfig config = config().toBuilder().setPosteriorInputs(1000).setPosteriorZDraws(1000).build();
    double meanC2 = 0; // mean over the first 1,000 y's of c^2 = 1 - y^2 (y as the model sees it, in float)
    for (int i = 0; i < 1000; i++) {
      double y = (float) validation.x1()[i];
      meanC2 += (1 - y * y) / 1000;
    }
    // deterministic X_hat_Robust: one point in the chord, W2^2 = g(y)^2 + c^2 / 3, nothing of the chord reached
    ClosedFormSavedModel.write(dir.resolve("robust"), 1, "yy", "zz", "xx", "predict");
    try (LoadedEstimator m = LoadedEstimator.load(external(dir.resolve("robust")))) {
      ToyEvaluation.Result r = ToyEvaluation.evaluate(m, config, validation, 2);
      SineEstimator g = new SineEstimator("X_hat_Robust", 1);
      double w2 = 0;
      for (int i = 0; i < 1000; i++) {
        double y = (float) validation.x1()[i];
        w2 += (sq(g.estimate(y)) + (1 - y * y) / 3) / 1000;
      }
      assertThat(r.posteriorW2()).isCloseTo(Math.sqrt(w2), within(1e-5));
      assertThat(r.posteriorUncovered()).isEqualTo(1.0);
    }
    for (double a : new double[] {1.0, 0.75}) {
      Path p = dir.resolve("shrunk-" + a);
      ClosedFormSavedModel.writeShrunkPosteriorSampler(p, a);
      SavedModelConfig c = external(p).toBuilder().setName("shrunk")
          .setNoise(org.restorelab.config.NoiseConfig.newBuilder().setDim(1)
              .setDistribution(org.restorelab.config.NoiseConfig.Distribution.UNIFORM)).build();
      try (LoadedEstimator m = LoadedEstimator.load(c)) {
        assertThat(m.stochastic()).isTrue();
        ToyEvaluation.Result r = ToyEvaluation.evaluate(m, config, validation, 2);
        // the range of 1,000 uniform draws misses 2 / 1001 of the shrunk interval on average
        assertThat(r.posteriorUncovered()).as("a = " + a).isCloseTo(1 - a + a * 2.0 / 1001, within(0.001));
        // E W2^2 = (1 - a)^2 c^2 / 3 plus the sampling term a^2 (2c)^2 / (6 S) of S uniform draws
        double expected = Math.sqrt((1 - a) * (1 - a) * meanC2 / 3 + a * a * 2 * meanC2 / (3 * 1000.0));
        assertThat(r.posteriorW2()).as("a = " + a).isCloseTo(expected, within(0.03 * expected));
      }
    }
  }

  @Test
  void missingOrBrokenSavedModelsAreNamed(@TempDir Path dir) throws IOException {
    assertThatThrownBy(() -> LoadedEstimator.load(external(dir.resolve("absent"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("absent").hasMessageContaining("does not exist");
    Files.createDirectories(dir.resolve("empty"));
    assertThatThrownBy(() -> LoadedEstimator.load(external(dir.resolve("empty"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("empty").hasMessageContaining("no saved_model.pb");
    Files.createDirectories(dir.resolve("broken"));
    Files.write(dir.resolve("broken/saved_model.pb"), new byte[] {1, 2, 3, 4, 5});
    assertThatThrownBy(() -> LoadedEstimator.load(external(dir.resolve("broken"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("broken").hasMessageContaining("cannot be loaded");
    ClosedFormSavedModel.write(dir.resolve("ok"), 1, "yy", "zz", "xx", "predict");
    assertThatThrownBy(() -> LoadedEstimator.load(external(dir.resolve("ok")).toBuilder().setInputY("y").build()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no input named 'y'").hasMessageContaining("yy");
    assertThatThrownBy(() -> LoadedEstimator.load(external(dir.resolve("ok")).toBuilder().setSignature("serving_default").build()))
        .isInstanceOf(ConfigException.class).hasMessageContaining("no signature 'serving_default'");
  }

  private static double sq(double v) {
    return v * v;
  }
}
