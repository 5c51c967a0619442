package org.restorelab.cli;

import java.nio.file.Path;
import java.util.concurrent.Callable;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.export.InceptionGraphImport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code restorelab features}: feature networks for FID and precision/recall. */
@Command(name = "features", mixinStandardHelpOptions = true,
    description = "Feature networks for FID and precision/recall.",
    subcommands = {FeaturesCommand.ImportInception.class})
public final class FeaturesCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    spec.commandLine().usage(spec.commandLine().getOut());
    return 0;
  }

  /** {@code restorelab features import-inception}: TTUR's reference FID graph as our feature SavedModel. */
  @Command(name = "import-inception", mixinStandardHelpOptions = true,
      description = {
        "Wrap the reference FID network (Heusel et al. 2017, TTUR; pytorch-fid ports the same weights) from your",
        "own classify_image_graph_def.pb (in inception-2015-12-05.tgz) as a feature SavedModel in",
        "<out>/savedmodel: images [n, h, w, 3] in [0, 1] -> features [n, 2048] (pool_3). The graph's own",
        "resize to 299x299 and normalisation run as in TTUR: give the evaluation config",
        "features { path: \"<out>/savedmodel\" input_size: <the data's image size> } so FIDs compare with",
        "the paper's."
      })
  static final class ImportInception implements Callable<Integer> {
    @Option(names = "--graph", required = true, paramLabel = "FILE",
        description = "The frozen GraphDef classify_image_graph_def.pb.")
    Path graph;

    @Mixin OutputOptions output;

    @Spec CommandSpec spec;

    @Override
    public Integer call() throws Exception {
      InceptionGraphImport.read(graph); // a bad file is exit 2 before any folder exists
      ExperimentConfig config = ExperimentConfig.newBuilder().setName("import-inception").build();
      RunFolder folder = output.runFolder(config.getName());
      return RunCommand.execute(spec, folder, config, "features import-inception", "--graph " + graph, f -> {
        Path target = f.file(SAVEDMODEL);
        InceptionGraphImport.run(graph, target, Provenance.capture("features import-inception",
            spec.commandLine().getParseResult().originalArgs(), config.getName(), 0));
        com.google.gson.JsonObject results = new com.google.gson.JsonObject();
        results.addProperty("schema", "restorelab.import-inception/1");
        results.addProperty("graph", graph.toString());
        results.addProperty("savedmodel", SAVEDMODEL);
        results.addProperty("feature_dim", 2048);
        return new JobOutput(results, "# import-inception\n\nMade by `" + Reproduce.commandLine(spec) + "`.\n\n"
            + "- `" + SAVEDMODEL + "/`: TTUR's reference InceptionV3 (" + graph.getFileName() + ") as a feature"
            + " SavedModel, `images` [n, h, w, 3] in [0, 1] -> `features` [n, 2048] (pool_3).\n"
            + "- Use it with `features { path: \"" + f.dir().resolve(SAVEDMODEL) + "\" input_size: S }`, S the data's"
            + " image size, so that the resize to 299x299 is the graph's own, as in TTUR.\n");
      });
    }

    static final String SAVEDMODEL = "savedmodel";
  }
}
