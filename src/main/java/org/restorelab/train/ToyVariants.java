package org.restorelab.train;

import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
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

  /** Checks a toy GAN config (the schema's ranges, then the variant's name), naming the field. */
  public static void validate(ToyGanConfig c, String path) {
    ConfigValidator.requireInRange(c, path);
    if (c.getNoise().getDistribution() == NoiseConfig.Distribution.ZERO && c.getName().startsWith("Sto")) {
      throw new ConfigException(path + ": a variant named " + c.getName() + " should be stochastic, its noise is ZERO");
    }
  }

}
