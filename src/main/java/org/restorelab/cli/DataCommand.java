package org.restorelab.cli;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.config.BenchmarkFolderConfig;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.data.image.BenchmarkFolder;
import org.restorelab.run.JobOutput;
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
    static final String IMAGES = "images";

    @Mixin ExperimentOptions options;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      ExperimentConfig config = options.resolve(DEFAULT_CONFIG);
      if (config.getJobCase() != ExperimentConfig.JobCase.BENCHMARK_FOLDER) {
        throw new ConfigException(options.configSource(DEFAULT_CONFIG) + ": data benchmark-folder needs a"
            + " benchmark_folder job, the config has " + config.getJobCase().name().toLowerCase(Locale.ROOT));
      }
      BenchmarkFolderConfig c = config.getBenchmarkFolder();
      BenchmarkFolder.sizes(c, "benchmark_folder"); // a bad size is exit 2 before any folder exists
      return RunCommand.execute(spec, options.runFolder(config.getName()), config, "data benchmark-folder",
          options.configSource(DEFAULT_CONFIG), f -> {
            List<BenchmarkFolder.Written> files = BenchmarkFolder.write(c, config.getSeed(), f.file(IMAGES),
                "benchmark_folder");
            JsonObject results = new JsonObject();
            results.addProperty("schema", "restorelab.benchmark-folder/1");
            results.addProperty("folder", IMAGES);
            JsonArray list = new JsonArray();
            StringBuilder table = new StringBuilder("| file | kind | height | width |\n|---|---|---|---|\n");
            for (BenchmarkFolder.Written w : files) {
              JsonObject o = new JsonObject();
              o.addProperty("file", w.file());
              o.addProperty("kind", w.kind());
              o.addProperty("height", w.height());
              o.addProperty("width", w.width());
              list.add(o);
              table.append(String.format(Locale.ROOT, "| `%s` | %s | %d | %d |%n", w.file(), w.kind(), w.height(),
                  w.width()));
            }
            results.add("images", list);
            return new JobOutput(results, "# " + config.getName() + "\n\nMade by `" + Reproduce.commandLine(spec)
                + "` (config: `config.pbtxt`, seed " + config.getSeed() + "): " + files.size() + " images in `"
                + IMAGES + "/`, validation-split procedural images drawn square at max(h, w) and centre-cropped.\n\n"
                + table);
          });
    }
  }
}
