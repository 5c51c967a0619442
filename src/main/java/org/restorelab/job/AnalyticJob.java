package org.restorelab.job;

import com.google.gson.JsonObject;
import java.io.PrintWriter;
import java.nio.file.Path;
import org.restorelab.analytic.EllipseRingStudy;
import org.restorelab.analytic.HandcraftedDiskStudy;
import org.restorelab.analytic.Section;
import org.restorelab.analytic.ZigzagStudy;
import org.restorelab.config.AnalyticConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigValidator;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.render.FigureFormats;
import org.restorelab.run.JobOutput;

/**
 * The toy problem's analytic results, without training: Figure 3's hand-crafted panels
 * (sections 4, 4.1), Figure 5 (Appendix B.1) and W2 against f (Appendix C).
 */
public final class AnalyticJob implements Job {
  /** Version of the layout of this job's results.json (documented in the README). */
  public static final String RESULTS_SCHEMA = "restorelab.analytic/1";

  private final ExperimentConfig config;

  /** The job of an experiment with an {@code analytic} job, validated. */
  public AnalyticJob(ExperimentConfig config) {
    validate(config.getAnalytic());
    this.config = config;
  }

  @Override
  public ExperimentConfig config() {
    return config;
  }

  /** The studies check no stop flag: Ctrl-C ends them at once. */
  @Override
  public boolean stoppable() {
    return false;
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    return run(config, context.folder().dir(), context.commandLine(), context.console());
  }

  /** Checks every field before any work starts. */
  static void validate(AnalyticConfig config) {
    // ranges and cross-field rules (k < num_samples) of the schema, then each study's own
    ConfigValidator.problem(ExperimentConfig.newBuilder().setAnalytic(config).build())
        .ifPresent(p -> {
          throw new ConfigException(p.message());
        });
    if (config.hasHandcrafted()) {
      HandcraftedDiskStudy.validate(config.getHandcrafted());
    }
    if (config.hasEllipse()) {
      EllipseRingStudy.validate(config.getEllipse());
    }
    if (config.hasZigzag()) {
      ZigzagStudy.validate(config.getZigzag());
    }
    if (!config.hasHandcrafted() && !config.hasEllipse() && !config.hasZigzag()) {
      throw new ConfigException(
          "analytic: nothing to do, set at least one of handcrafted, ellipse, zigzag");
    }
  }

  /** Runs every configured study, writing figures into {@code dir}. */
  private static JobOutput run(ExperimentConfig experiment, Path dir, String reproduce, PrintWriter log)
      throws Exception {
    AnalyticConfig config = experiment.getAnalytic();
    long seed = experiment.getSeed();
    FigureFormats formats = FigureFormats.of(experiment.getFigureFormatsList());
    JsonObject results = new JsonObject();
    results.addProperty("schema", RESULTS_SCHEMA);
    results.addProperty("experiment", experiment.getName());
    results.addProperty("seed", Long.toUnsignedString(seed));
    JsonObject seconds = new JsonObject();
    StringBuilder md = new StringBuilder();
    md.append("# ").append(experiment.getName()).append(": the toy problem's analytic results\n\n")
        .append("Made by `").append(reproduce).append("` with seed ").append(Long.toUnsignedString(seed))
        .append("; the resolved config is `config.pbtxt` and the provenance (commit, versions, host, times) ")
        .append("is `run.json`, both beside this file. Numbers are in `results.json`.\n\n");
    if (config.hasHandcrafted()) {
      long t = System.nanoTime();
      log.println("  Figure 3, hand-crafted estimators ...");
      log.flush();
      append(results, md, "handcrafted", HandcraftedDiskStudy.run(config.getHandcrafted(), seed, dir, formats));
      seconds.addProperty("handcrafted", (System.nanoTime() - t) / 1e9);
    }
    if (config.hasEllipse()) {
      long t = System.nanoTime();
      log.println("  Appendix B, elliptic ring ...");
      log.flush();
      append(results, md, "ellipse", EllipseRingStudy.run(config.getEllipse(), seed, dir, formats));
      seconds.addProperty("ellipse", (System.nanoTime() - t) / 1e9);
    }
    if (config.hasZigzag()) {
      long t = System.nanoTime();
      log.println("  Appendix C, W2 against f (exact optimal transport) ...");
      log.flush();
      append(results, md, "zigzag", ZigzagStudy.run(config.getZigzag(), seed, dir, formats));
      seconds.addProperty("zigzag", (System.nanoTime() - t) / 1e9);
    }
    results.add("seconds", seconds);
    return new JobOutput(results, md.toString());
  }

  private static void append(JsonObject results, StringBuilder md, String key, Section section) {
    results.add(key, section.results());
    md.append(section.markdown()).append('\n');
  }
}
