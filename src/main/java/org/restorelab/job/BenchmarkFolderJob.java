package org.restorelab.job;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Locale;
import org.restorelab.config.BenchmarkFolderConfig;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.data.image.BenchmarkFolder;
import org.restorelab.run.JobOutput;

/** A {@code benchmark_folder} job: procedural images of mixed sizes, as Set5/Set14/BSD100 are, in PNG. */
public final class BenchmarkFolderJob implements Job {
  /** Version of the layout of this job's results.json. */
  public static final String RESULTS_SCHEMA = "restorelab.benchmark-folder/1";
  /** The subfolder of the run folder that holds the images. */
  public static final String IMAGES = "images";

  private final ExperimentConfig config;

  /** The job of an experiment with a {@code benchmark_folder} job; a bad size is refused here. */
  public BenchmarkFolderJob(ExperimentConfig config) {
    BenchmarkFolder.sizes(config.getBenchmarkFolder(), "benchmark_folder");
    this.config = config;
  }

  @Override
  public ExperimentConfig config() {
    return config;
  }

  /** Drawing checks no stop flag: Ctrl-C ends it at once. */
  @Override
  public boolean stoppable() {
    return false;
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    BenchmarkFolderConfig c = config.getBenchmarkFolder();
    List<BenchmarkFolder.Written> files = BenchmarkFolder.write(c, config.getSeed(), context.folder().file(IMAGES),
        "benchmark_folder");
    JsonObject results = new JsonObject();
    results.addProperty("schema", RESULTS_SCHEMA);
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
    return new JobOutput(results, "# " + config.getName() + "\n\nMade by `" + context.commandLine()
        + "` (config: `config.pbtxt`, seed " + config.getSeed() + "): " + files.size() + " images in `"
        + IMAGES + "/`, validation-split procedural images drawn square at max(h, w) and centre-cropped.\n\n"
        + table);
  }
}
