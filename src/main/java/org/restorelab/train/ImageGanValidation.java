package org.restorelab.train;

import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.ImageGanConfig;
import org.restorelab.config.NoiseConfig;
import org.restorelab.data.image.ImageSets;
import org.restorelab.task.Tasks;

/** Checks the ranges (the schema's, {@link ConfigValidator}) and shapes of an image GAN config before any graph is built, naming the field. */
public final class ImageGanValidation {
  private ImageGanValidation() {}

  public static void validate(ImageGanConfig c, String path) {
    ConfigValidator.requireInRange(c, path);
    int side = c.getData().getImageSize();
    if (c.getData().getSourceCase() == org.restorelab.config.ImageDataConfig.SourceCase.SOURCE_NOT_SET) {
      throw new ConfigException(path + ".data: choose a source (celeba, imagenet64, folder, faces or textures)");
    }
    ImageSets.validate(c.getData(), path + ".data");
    if (side % 32 != 0) {
      throw new ConfigException(path + ".data.image_size = " + side
          + " must be divisible by 32 (the U-Net halves it 4 times, the Table 4 critic 5 times)");
    }
    Tasks.create(c.getTask(), side, path + ".task");
    if (c.getNoise().getDistribution() == NoiseConfig.Distribution.UNIFORM) {
      throw new ConfigException(path + ".noise.distribution: the image estimators draw Z_i ~ N(0, I) (Figure 7);"
          + " use NORMAL or ZERO");
    }
    boolean stochastic = c.getNoise().getDistribution() != NoiseConfig.Distribution.ZERO;
    boolean paperName = java.util.List.of("ErraticGAN", "RobustGAN", "StoErraticGAN", "StoRobustGAN").contains(c.getName());
    if (paperName && c.getName().startsWith("Sto") != stochastic) {
      throw new ConfigException(path + ": a variant named " + c.getName() + " should be "
          + (stochastic ? "deterministic" : "stochastic") + ", its noise is " + c.getNoise().getDistribution());
    }
    if (paperName && c.getName().contains("Robust") != (c.getRobustness().getLambdaR() > 0)) {
      throw new ConfigException(path + ": a variant named " + c.getName() + " needs robustness.lambda_r "
          + (c.getName().contains("Robust") ? "> 0" : "= 0") + ", it is " + c.getRobustness().getLambdaR());
    }
    if (c.getObjective() == ImageGanConfig.Objective.L1) {
      validateL1(c, path, paperName);
    }
  }

  /** objective L1 trains a deterministic estimator alone: no noise, no critic (nor its flat watch), no R1, no L_R. */
  private static void validateL1(ImageGanConfig c, String path, boolean paperName) {
    String why = ": objective L1 trains the estimator alone on mean |G(y) - x|";
    if (c.getNoise().getDistribution() != NoiseConfig.Distribution.ZERO) {
      throw new ConfigException(path + ".noise.distribution must be ZERO with objective L1 (a deterministic"
          + " estimator), got " + c.getNoise().getDistribution());
    }
    if (c.hasRobustness()) {
      throw new ConfigException(path + ".robustness" + why + " (no L_R); remove the field");
    }
    if (c.hasCritic()) {
      throw new ConfigException(path + ".critic" + why + " (no critic); remove the field");
    }
    if (c.hasCriticOptimizer()) {
      throw new ConfigException(path + ".critic_optimizer" + why + " (no critic); remove the field");
    }
    if (c.hasR1Gamma()) {
      throw new ConfigException(path + ".r1_gamma" + why + " (no critic, no R1); remove the field");
    }
    if (c.hasR1Every()) {
      throw new ConfigException(path + ".r1_every" + why + " (no critic, no R1); remove the field");
    }
    if (c.hasFlatCritic()) {
      throw new ConfigException(path + ".flat_critic" + why + " (no critic); remove the field");
    }
    if (paperName) {
      throw new ConfigException(path + ".name: " + c.getName() + " names a GAN variant of the paper; an objective L1"
          + " estimator needs another name (e.g. L1UNet)");
    }
  }

}
