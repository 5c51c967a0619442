package org.restorelab.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.protobuf.DynamicMessage;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * The generic range check ({@link ConfigValidator}) and the schema it reads: every numeric field of
 * every message reachable from ExperimentConfig declares a range, and every schema default lies in
 * it.
 */
class ConfigValidatorTest {

  /** Every message type reachable from ExperimentConfig (nested, repeated, oneof cases). */
  static Set<Descriptor> reachable() {
    Set<Descriptor> seen = new LinkedHashSet<>();
    Deque<Descriptor> todo = new ArrayDeque<>(List.of(ExperimentConfig.getDescriptor()));
    while (!todo.isEmpty()) {
      Descriptor d = todo.pop();
      if (seen.add(d)) {
        d.getFields().stream().filter(f -> f.getJavaType() == FieldDescriptor.JavaType.MESSAGE)
            .forEach(f -> todo.push(f.getMessageType()));
      }
    }
    return seen;
  }

  @Test
  void everyNumericFieldOfEveryReachableMessageDeclaresARange() {
    List<String> missing = new ArrayList<>();
    int numeric = 0;
    for (Descriptor d : reachable()) {
      for (FieldDescriptor f : d.getFields()) {
        if (ConfigValidator.isNumeric(f)) {
          numeric++;
          if (ConfigValidator.range(f) == null) {
            missing.add(f.getFullName());
          }
        }
      }
    }
    assertThat(missing).as("numeric fields without [(range) = \"...\"] in src/main/proto").isEmpty();
    assertThat(numeric).as("numeric fields found").isGreaterThan(100);
    assertThat(reachable()).contains(PsnrConfig.getDescriptor(), ToyVariantConfig.getDescriptor(),
        FeatureExtractorModelConfig.getDescriptor(), ConditionalFlowArchitecture.getDescriptor());
  }

  @Test
  void everySchemaDefaultLiesInItsRange() {
    for (Descriptor d : reachable()) {
      assertThat(ConfigValidator.check(DynamicMessage.getDefaultInstance(d), d.getName()))
          .as(d.getFullName()).isEmpty();
    }
  }

  @Test
  void rangesParseWithOpenAndClosedBounds() {
    ConfigValidator.Range r = ConfigValidator.Range.parse("(0, 1]");
    assertThat(r.contains(0)).isFalse();
    assertThat(r.contains(1e-300)).isTrue();
    assertThat(r.contains(1)).isTrue();
    assertThat(r.contains(1.0000001)).isFalse();
    ConfigValidator.Range any = ConfigValidator.Range.parse("(-inf, inf)");
    assertThat(any.contains(-1e300)).isTrue();
    assertThat(any.contains(Double.POSITIVE_INFINITY)).isFalse();
    assertThat(ConfigValidator.Range.parse("[1, inf]").contains(Double.POSITIVE_INFINITY)).as("inf is never included")
        .isFalse();
    assertThatThrownBy(() -> ConfigValidator.Range.parse("1..5")).hasMessageContaining("bad range");
    assertThatThrownBy(() -> ConfigValidator.Range.parse("[5, 1]")).hasMessageContaining("lower bound");
  }

  @Test
  void aNonFiniteValueIsNamedByItsFullPath() {
    ExperimentConfig c = ExperimentConfig.newBuilder().setToyGan(ToyGanConfig.newBuilder()
        .setCriticOptimizer(OptimizerConfig.newBuilder().setLr(Double.NaN))).build();
    assertThat(ConfigValidator.check(c, "").orElseThrow().message())
        .isEqualTo("toy_gan.critic_optimizer.lr = NaN: expected a finite number");
    ExperimentConfig inf = ExperimentConfig.newBuilder().setImageEvaluation(ImageEvaluationConfig.newBuilder()
        .setFeatures(FeatureExtractorModelConfig.newBuilder().setInputHigh(Float.POSITIVE_INFINITY))).build();
    assertThat(ConfigValidator.check(inf, "").orElseThrow().message())
        .isEqualTo("image_evaluation.features.input_high = Infinity: expected a finite number");
  }

  @Test
  void repeatedScalarsAndRepeatedMessagesAreIndexed() {
    ExperimentConfig zig = ExperimentConfig.newBuilder().setAnalytic(AnalyticConfig.newBuilder()
        .setZigzag(ZigzagConfig.newBuilder().addFrequency(1).addFrequency(0))).build();
    assertThat(ConfigValidator.check(zig, "").orElseThrow().message())
        .isEqualTo("analytic.zigzag.frequency[1] = 0: expected an integer in [1, inf)");
    ExperimentConfig variant = ExperimentConfig.newBuilder().setToyReproduction(ToyReproductionConfig.newBuilder()
        .addVariant(ToyVariantConfig.newBuilder().setName("A"))
        .addVariant(ToyVariantConfig.newBuilder().setName("B").setLambdaR(-1))).build();
    assertThat(ConfigValidator.check(variant, "").orElseThrow().path()).isEqualTo("toy_reproduction.variant[1].lambda_r");
  }

  @Test
  void defaultsOfASetMessageAreCheckedAndUnsetOneofCasesAreNot() {
    // milestones of an optimizer: set, 0 is out of [1, inf)
    ExperimentConfig c = ExperimentConfig.newBuilder().setImageGan(ImageGanConfig.newBuilder()
        .setEstimatorOptimizer(OptimizerConfig.newBuilder().addMilestones(0))).build();
    assertThat(ConfigValidator.check(c, "").orElseThrow().message())
        .isEqualTo("image_gan.estimator_optimizer.milestones[0] = 0: expected an integer in [1, inf)");
    assertThat(ConfigValidator.check(ExperimentConfig.getDefaultInstance(), "")).isEmpty();
  }

  @Test
  void theLoaderRefusesBadValuesNamingTheFileOrTheOverride() {
    assertThatThrownBy(() -> ConfigLoader.parse("toy_gan { batch_size: 0 }", "x.pbtxt"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("config error in x.pbtxt: toy_gan.batch_size = 0: expected an integer in [1, inf)");
    ExperimentConfig ok = ConfigLoader.parse("toy_gan { batch_size: 4 }", "x.pbtxt");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(ok, List.of("toy_gan.estimator_optimizer.lr=nan")))
        .isInstanceOf(ConfigException.class)
        .hasMessage("--set toy_gan.estimator_optimizer.lr=nan: toy_gan.estimator_optimizer.lr = NaN:"
            + " expected a finite number");
    assertThatThrownBy(() -> ConfigLoader.applyOverrides(ok, List.of("toy_gan.estimator_optimizer={lr: -1}")))
        .hasMessageStartingWith("--set toy_gan.estimator_optimizer={lr: -1}: toy_gan.estimator_optimizer.lr = -1:");
  }

  @Test
  void crossFieldRulesNameBothFields() {
    assertThatThrownBy(() -> ConfigLoader.parse(
        "analytic { handcrafted { precision_recall { k: 10 num_samples: 10 } } }", "a.pbtxt"))
        .hasMessage("config error in a.pbtxt: analytic.handcrafted.precision_recall.k = 10: expected at most"
            + " num_samples - 1 (analytic.handcrafted.precision_recall.num_samples = 10)");
    assertThatThrownBy(() -> ConfigLoader.parse(
        "toy_evaluation { validation_size: 500 evaluation { sensitivity_inputs: 600 precision_recall { num_samples: 100 } } }",
        "t.pbtxt"))
        .hasMessage("config error in t.pbtxt: toy_evaluation.evaluation.sensitivity_inputs = 600: expected at most"
            + " toy_evaluation.validation_size = 500");
    assertThatThrownBy(() -> ConfigLoader.parse(
        "toy_reproduction { evaluation { sensitivity_inputs: 50 exact_inputs: 60 } }", "r.pbtxt"))
        .hasMessageContaining("toy_reproduction.evaluation.exact_inputs = 60: expected at most"
            + " toy_reproduction.evaluation.sensitivity_inputs = 50");
    assertThatThrownBy(() -> ConfigLoader.parse(
        "toy_evaluation { validation_size: 500 evaluation { posterior_inputs: 600 sensitivity_inputs: 100 exact_inputs: 10"
            + " precision_recall { num_samples: 100 } } }", "p.pbtxt"))
        .hasMessage("config error in p.pbtxt: toy_evaluation.evaluation.posterior_inputs = 600: expected at most"
            + " toy_evaluation.validation_size = 500");
    assertThatThrownBy(() -> ConfigLoader.parse(
        "image_evaluation { real_samples: 3 generated_samples: 8 precision_recall { k: 3 } }", "i.pbtxt"))
        .hasMessageContaining("image_evaluation.precision_recall.k = 3: expected at most real_samples - 1"
            + " (image_evaluation.real_samples = 3)");
    assertThatThrownBy(() -> ConfigLoader.parse(
        "image_gan { data { faces { validation_size: 4 } } sample_inputs: 6 }", "g.pbtxt"))
        .hasMessageContaining("image_gan.sample_inputs = 6: expected at most image_gan.data.faces.validation_size = 4");
  }
}
