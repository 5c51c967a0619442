package org.restorelab.train;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.OptionalLong;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.config.FeatureExtractorConfig;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.config.ToyReproductionConfig;
import org.restorelab.config.ToyVariantConfig;
import org.restorelab.graph.GraphMemory;
import org.restorelab.run.BuildInfo;

/**
 * Refuses a training config whose batch cannot fit in memory, before any work.
 *
 * <p>Jobs checked: toy_gan, every variant of a toy_reproduction, feature_extractor. Not (yet)
 * image_gan and conditional_flow: measured on the shipped configs, this bound is far above their
 * real peak (paper-scale StoRobustGAN at batch 32: 322 GiB for ImageNet x4, 239 GiB for CelebA
 * inpainting, because the unrolled attack's 5 steps x 10 z draws are all counted as alive at
 * once), so it would refuse configs that run, and building the U-Net graph twice took ~70 s on our
 * CPU. A tighter estimate (a liveness walk over the graph's topological order) is needed there.
 *
 * <p>The estimate: the job's training graph (every path a step can run: the estimator step with
 * and without L_R, the critic step with R1; the classifier's step) is
 * built at a batch of 1 and of 2, and {@link GraphMemory#floatBytes} sums the bytes of every
 * floating-point tensor its ops output at that batch: M(1) and M(2). Every tensor's size is
 * affine in the batch, so M(B) = fixed + B x perExample with perExample = M(2) - M(1) and fixed =
 * 2 M(1) - M(2) (weights, Adam slots, and whatever does not depend on the batch). No tensor of the
 * requested batch is ever allocated. The sum treats every tensor as alive at once, an upper bound
 * of what a step holds (see GraphMemory for what it leaves out).
 *
 * <p>The memory it is compared with: the host's physical memory, MemTotal of /proc/meminfo (or
 * the JVM's total physical memory size where there is no /proc). Not MemAvailable: that depends
 * on whatever else runs at the moment (two other developers share our machines), and an upper
 * bound compared with a moment's free memory would refuse runs that fit; a step larger than the
 * whole memory cannot run anywhere on this host. MemAvailable is named in the message for
 * information. On the GPU build of the native library the tensors live in the device's memory,
 * which this check does not query: there the check is not applied (TensorFlow's GPU allocator
 * reports its own out-of-memory error), rather than refusing on the wrong memory.
 */
public final class StepMemory {
  private StepMemory() {}

  /** M(B) = fixed + B x perExample, in bytes. */
  public record Estimate(double fixedBytes, double perExampleBytes) {
    public double at(long batch) {
      return fixedBytes + batch * perExampleBytes;
    }

    /** The largest batch whose estimate is within {@code limit} bytes (0 if none). */
    public long largestBatch(double limit) {
      return perExampleBytes <= 0 ? Long.MAX_VALUE : (long) Math.max(0, Math.floor((limit - fixedBytes) / perExampleBytes));
    }

    /** From the bytes at batches 1 and 2 ({@code bytes[0]}, {@code bytes[1]}). */
    static Estimate of(long[] bytes) {
      return new Estimate(2.0 * bytes[0] - bytes[1], bytes[1] - bytes[0]);
    }
  }

  /**
   * Checks the batch of a training job (toy_gan, each variant of a toy_reproduction,
   * feature_extractor); other jobs pass. A refusal names the field, the estimate
   * and the memory.
   */
  public static void check(ExperimentConfig config) {
    OptionalLong limit = physicalMemory();
    if (limit.isEmpty() || BuildInfo.nativeClassifier().endsWith("-gpu")) {
      return;
    }
    switch (config.getJobCase()) {
      case TOY_GAN -> refuseAbove(toy(config.getToyGan()), config.getToyGan().getBatchSize(), "toy_gan.batch_size",
          limit.getAsLong());
      case TOY_REPRODUCTION -> {
        ToyReproductionConfig r = config.getToyReproduction();
        for (ToyVariantConfig v : r.getVariantList()) {
          refuseAbove(toy(ToyVariants.resolve(r, v)), r.getBase().getBatchSize(),
              "toy_reproduction.base.batch_size (variant " + v.getName() + ")", limit.getAsLong());
        }
      }
      case FEATURE_EXTRACTOR -> refuseAbove(featureExtractor(config.getFeatureExtractor()),
          config.getFeatureExtractor().getBatchSize(), "feature_extractor.batch_size", limit.getAsLong());
      case IMAGE_GAN -> refuseAtLeast(imageGanLowerBound(config.getImageGan()), config.getImageGan().getBatchSize(),
          "image_gan.batch_size", "the batch's images, its estimates and the U-Net's first full-resolution"
              + " activation, which exist at once", limit.getAsLong());
      case CONDITIONAL_FLOW -> refuseAtLeast(flowLowerBound(config.getConditionalFlow()),
          config.getConditionalFlow().getBatchSize(), "conditional_flow.batch_size",
          "the batch's images and their latents, which exist at once", limit.getAsLong());
      default -> { }
    }
  }

  static void refuseAbove(Estimate e, long batch, String field, long limit) {
    double need = e.at(batch);
    if (need > limit) {
      throw new ConfigException(String.format(Locale.ROOT, "%s = %d: a training step needs up to %s (%s + %s per"
          + " example: the float tensors of the step's graph), more than this machine's %s of physical memory"
          + " (MemTotal; MemAvailable now %s); the largest batch that fits is %d", field, batch, bytes(need),
          bytes(e.fixedBytes()), bytes(e.perExampleBytes()), bytes(limit), available().stream()
              .mapToObj(StepMemory::bytes).findFirst().orElse("unknown"), e.largestBatch(limit)));
    }
  }

  /**
   * A lower bound of an image GAN step's memory, per example: the batch's images (y upsampled to
   * the signal's size, and x), the estimates x_hat, and the U-Net's first DoubleConv output at full
   * resolution ({@code width} channels), float32. The image graphs are too large to measure here
   * quickly (a paper-scale graph takes about a minute to build at batch 1), and the sum of all
   * their tensors, which bounds the toy steps from above, is far above their real peak (it counts
   * the unrolled attack's every step as alive); so for image steps only a bound that is certainly
   * needed is checked: a batch refused by it cannot run on this host.
   */
  static Estimate imageGanLowerBound(org.restorelab.config.ImageGanConfig c) {
    double pixels = (double) c.getData().getImageSize() * c.getData().getImageSize();
    return new Estimate(0, 4 * pixels * (3 + 3 + 3 + c.getEstimator().getWidth()));
  }

  /** A lower bound of a flow step's memory, per example: the images, y, and their latents (float32). */
  static Estimate flowLowerBound(org.restorelab.config.ConditionalFlowConfig c) {
    double pixels = (double) c.getData().getImageSize() * c.getData().getImageSize();
    return new Estimate(0, 4 * pixels * (3 + 3 + 3));
  }

  static void refuseAtLeast(Estimate e, long batch, String field, String what, long limit) {
    double need = e.at(batch);
    if (need > limit) {
      throw new ConfigException(String.format(Locale.ROOT, "%s = %d: a training step needs at least %s (%s per"
          + " example: %s), more than this machine's %s of physical memory; the largest batch this bound allows is %d",
          field, batch, bytes(need), bytes(e.perExampleBytes()), what, bytes(limit), e.largestBatch(limit)));
    }
  }

  /** The toy GAN step's memory (the graph's batch is fed, so one graph is measured at 1 and 2). */
  public static Estimate toy(ToyGanConfig c) {
    try (GanGraph g = GanGraph.toy(c, 0)) {
      return Estimate.of(GraphMemory.floatBytes(g.graph, new long[] {1, 2}, g.variables::initialize));
    }
  }

  public static Estimate featureExtractor(FeatureExtractorConfig c) {
    try (FeatureExtractorGraph g = new FeatureExtractorGraph(c, 0)) {
      return Estimate.of(GraphMemory.floatBytes(g.graph, new long[] {1, 2}, g.variables::initialize));
    }
  }

  /** MemTotal of /proc/meminfo, else the JVM's view of the physical memory. */
  static OptionalLong physicalMemory() {
    OptionalLong total = meminfo("MemTotal:");
    if (total.isPresent()) {
      return total;
    }
    if (java.lang.management.ManagementFactory.getOperatingSystemMXBean()
        instanceof com.sun.management.OperatingSystemMXBean os) {
      return OptionalLong.of(os.getTotalMemorySize());
    }
    return OptionalLong.empty();
  }

  static OptionalLong available() {
    return meminfo("MemAvailable:");
  }

  private static OptionalLong meminfo(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/meminfo"))) {
        if (line.startsWith(key)) {
          return OptionalLong.of(1024 * Long.parseLong(line.substring(key.length()).trim().split("\\s+")[0]));
        }
      }
    } catch (IOException | RuntimeException e) {
      return OptionalLong.empty();
    }
    return OptionalLong.empty();
  }

  static String bytes(double b) {
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    int u = 0;
    while (b >= 1024 && u < units.length - 1) {
      b /= 1024;
      u++;
    }
    return String.format(Locale.ROOT, u == 0 ? "%.0f %s" : "%.1f %s", b, units[u]);
  }
}
