package org.restorelab.cli;

import com.google.gson.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.export.ImageEstimatorReExport;
import org.restorelab.run.JobOutput;
import org.restorelab.run.Provenance;
import org.restorelab.run.RunFolder;
import org.restorelab.savedmodel.ModelMetadata;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code restorelab reexport}: one of our U-Net SavedModels written again by today's export (any-size super-resolution). */
@Command(name = "reexport", mixinStandardHelpOptions = true,
    description = {
      "Write one of our U-Net image estimator SavedModels again with today's export, from its own weights and",
      "training config, into <out>/savedmodel: a super-resolution model exported before exports took any size",
      "gains the [-1, -1, -1, 3] signatures. The copy must give the original's x_hat at the trained size (max",
      "|difference| <= " + ReexportCommand.TOLERANCE + " on 8 random inputs), else the run fails."
    })
public final class ReexportCommand implements Callable<Integer> {
  /** Largest accepted |x_hat - x_hat'| at the trained size: the same graph, up to the order of float32 sums. */
  static final double TOLERANCE = ImageEstimatorReExport.TOLERANCE;

  @Option(names = "--model", required = true, paramLabel = "DIR", description = "The SavedModel to re-export.")
  Path model;

  @Mixin OutputOptions output;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    if (!Files.isRegularFile(model.resolve(ModelMetadata.FILE))) {
      throw new ConfigException("--model " + model + ": no " + ModelMetadata.FILE + " (not one of our SavedModels)");
    }
    ExperimentConfig config = ExperimentConfig.newBuilder().setName("reexport-" + model.getFileName()).build();
    RunFolder folder = output.runFolder(config.getName());
    return RunCommand.execute(spec, folder, config, "reexport", "--model " + model, f -> {
      Path target = f.file(SAVEDMODEL);
      ImageEstimatorReExport.Outcome o = ImageEstimatorReExport.reexport(model, target, Provenance.capture("reexport",
          spec.commandLine().getParseResult().originalArgs(), config.getName(), 0));
      if (!(o.maxAbsDifference() <= TOLERANCE)) {
        throw new IllegalStateException(String.format(Locale.ROOT, "the re-export of %s differs from it by %.3g at the"
            + " trained size (tolerance %.0e)", model, o.maxAbsDifference(), TOLERANCE));
      }
      JsonObject results = new JsonObject();
      results.addProperty("schema", "restorelab.reexport/1");
      results.addProperty("model", model.toString());
      results.addProperty("name", o.name());
      results.addProperty("task", o.task());
      results.addProperty("variables", o.variables());
      results.addProperty("check_inputs", o.inputs());
      results.addProperty("max_abs_difference", o.maxAbsDifference());
      results.addProperty("savedmodel", SAVEDMODEL);
      String report = String.format(Locale.ROOT, "# reexport %s\n\nMade by `%s`.\n\n`%s/`: %s (%s), %d variables copied"
          + " from `%s` into today's export. At the trained size its x_hat differs from the original's by at most"
          + " %.3g on %d random (y, z).\n", o.name(), Reproduce.commandLine(spec), SAVEDMODEL, o.name(), o.task(),
          o.variables(), model, o.maxAbsDifference(), o.inputs());
      return new JobOutput(results, report);
    });
  }

  static final String SAVEDMODEL = "savedmodel";
}
