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
    validateRobustness(c.getRobustness(), path + ".robustness");
    if (c.getNoise().getDistribution() == NoiseConfig.Distribution.ZERO && c.getName().startsWith("Sto")) {
      throw new ConfigException(path + ": a variant named " + c.getName() + " should be stochastic, its noise is ZERO");
    }
  }

  /** Checks lambda_R, apply_every and, for a robust variant, the attack (shared by toy and image GANs). */
  public static void validateRobustness(org.restorelab.config.RobustnessConfig r, String path) {
    if (r.getLambdaR() < 0) {
      throw new ConfigException(path + ".lambda_r must be >= 0, got " + r.getLambdaR());
    }
    positive(path + ".apply_every", r.getApplyEvery());
    if (r.getLambdaR() > 0) {
      positive(path + ".attack.steps", r.getAttack().getSteps());
      positive(path + ".attack.seeds", r.getAttack().getSeeds());
      if (!(r.getAttack().getEpsilon() > 0)) {
        throw new ConfigException(path + ".attack.epsilon must be > 0");
      }
    }
  }

  /** A config field that must be at least 1, named in the error. */
  static void positive(String field, long value) {
    if (value < 1) {
      throw new ConfigException(field + " must be >= 1, got " + value);
    }
  }
}
