package org.restorelab.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Option;

/** Options shared by every command that runs an experiment config. */
public final class ExperimentOptions {
  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "Experiment config (Protobuf text). Default: the command's embedded config.")
  Path config;

  @Option(names = "--set", paramLabel = "PATH=VALUE",
      description = "Override a config field, e.g. --set analytic.zigzag.num_samples=500 (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "Override the master seed.")
  Long seed;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  /** The config file (or the embedded default), with overrides and the seed applied. */
  ExperimentConfig resolve(String embeddedDefault) {
    ExperimentConfig base = config == null
        ? ConfigLoader.loadEmbedded(embeddedDefault) : ConfigLoader.load(config);
    ExperimentConfig resolved = ConfigLoader.applyOverrides(base, overrides);
    if (seed != null) {
      resolved = resolved.toBuilder().setSeed(seed).build();
    }
    return resolved;
  }

  /** The run's output folder: {@code --out}, or a new numbered folder under {@code runs/}. */
  RunFolder runFolder(String experimentName) {
    return output.runFolder(experimentName);
  }

  /** Where the config came from, for the run record. */
  String configSource(String embeddedDefault) {
    return config == null ? "embedded:configs/" + embeddedDefault : config.toString();
  }
}
