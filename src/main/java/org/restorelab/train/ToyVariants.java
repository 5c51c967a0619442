package org.restorelab.train;

import org.restorelab.config.ConfigException;
import org.restorelab.config.NoiseConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.config.ToyReproductionConfig;
import org.restorelab.config.ToyVariantConfig;

/** The toy GAN config of one variant of a reproduction config: base settings + the variant's own. */
public final class ToyVariants {
  private ToyVariants() {}

  public static ToyGanConfig resolve(ToyReproductionConfig reproduction, String name) {
    for (ToyVariantConfig v : reproduction.getVariantList()) {
      if (v.getName().equals(name)) {
        return resolve(reproduction, v);
      }
    }
    throw new ConfigException("toy_reproduction.variant: no variant named '" + name + "' (variants: "
        + String.join(", ", reproduction.getVariantList().stream().map(ToyVariantConfig::getName).toList()) + ")");
  }

  public static ToyGanConfig resolve(ToyReproductionConfig reproduction, ToyVariantConfig v) {
    ToyGanConfig.Builder b = reproduction.getBase().toBuilder().setName(v.getName());
    b.getNoiseBuilder().setDistribution(v.getNoise());
    b.getRobustnessBuilder().setLambdaR(v.getLambdaR());
    return b.build();
  }

  /** Checks the ranges of a toy GAN config, naming the field. */
  public static void validate(ToyGanConfig c, String path) {
    positive(path + ".steps", c.getSteps());
    positive(path + ".batch_size", c.getBatchSize());
    positive(path + ".checkpoint_every", c.getCheckpointEvery());
    positive(path + ".log_every", c.getLogEvery());
    positive(path + ".data.train_size", c.getData().getTrainSize());
    positive(path + ".noise.dim", c.getNoise().getDim());
    if (c.getRobustness().getLambdaR() < 0) {
      throw new ConfigException(path + ".robustness.lambda_r must be >= 0, got " + c.getRobustness().getLambdaR());
    }
    positive(path + ".robustness.apply_every", c.getRobustness().getApplyEvery());
    if (c.getRobustness().getLambdaR() > 0) {
      positive(path + ".robustness.attack.steps", c.getRobustness().getAttack().getSteps());
      positive(path + ".robustness.attack.seeds", c.getRobustness().getAttack().getSeeds());
      if (!(c.getRobustness().getAttack().getEpsilon() > 0)) {
        throw new ConfigException(path + ".robustness.attack.epsilon must be > 0");
      }
    }
    if (c.getNoise().getDistribution() == NoiseConfig.Distribution.ZERO && c.getName().startsWith("Sto")) {
      throw new ConfigException(path + ": a variant named " + c.getName() + " should be stochastic, its noise is ZERO");
    }
  }

  private static void positive(String field, long value) {
    if (value < 1) {
      throw new ConfigException(field + " must be >= 1, got " + value);
    }
  }
}
