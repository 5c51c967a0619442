package org.restorelab.cli;

import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code restorelab data}: data sets the project draws itself. */
@Command(name = "data", mixinStandardHelpOptions = true, description = "Data sets the project draws itself.",
    subcommands = {DataCommand.BenchmarkFolderCommand.class})
public final class DataCommand extends ParentCommand {

  /** {@code restorelab data benchmark-folder}: procedural images of mixed sizes, as Set5/Set14/BSD100 are. */
  @Command(name = "benchmark-folder", mixinStandardHelpOptions = true,
      description = {
        "Draw a folder of procedural faces and textures at several sizes into <out>/images (PNG), a stand-in",
        "for Set5, Set14 and BSD100 at their own sizes. Default config: the embedded configs/"
            + BenchmarkFolderCommand.DEFAULT_CONFIG + "."
      })
  static final class BenchmarkFolderCommand implements Callable<Integer> {
    static final String DEFAULT_CONFIG = "cpu/benchmark-mixed-sizes.pbtxt";

    @Mixin ExperimentOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
      if (config.getJobCase() != ExperimentConfig.JobCase.BENCHMARK_FOLDER) {
        throw new ConfigException(options.configSource(DEFAULT_CONFIG) + ": data benchmark-folder needs a"
            + " benchmark_folder job, the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
      }
      Job job = Jobs.create(config); // a bad size is exit 2 before any folder exists
      return RunCommand.execute(spec, options.runFolder(config.getName()), job, "data benchmark-folder",
          options.configSource(DEFAULT_CONFIG));
    }
  }
}
