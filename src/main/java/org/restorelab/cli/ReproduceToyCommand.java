package org.restorelab.cli;

import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.ToyReproductionJob;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab reproduce toy}: trains ErraticGAN, RobustGAN, StoErraticGAN and
 * StoRobustGAN under each toy_reproduction config (by default the paper-literal and the
 * effective one), exports and evaluates them with the hand-crafted estimators, and writes
 * Table 3, precision/recall and Figure 3 side by side, plus the analytic part.
 */
@Command(name = "toy", mixinStandardHelpOptions = true,
    description = {
      "Train, export and evaluate the toy GAN estimators; write Table 3, precision/recall and Figure 3",
      "(configs side by side) and the analytic part. Default configs: the embedded",
      "configs/" + ReproduceToyCommand.LITERAL + " and configs/" + ReproduceToyCommand.EFFECTIVE + ".",
      "The paper-scale run takes hours on a 2-core CPU; --quick runs in minutes."
    })
public final class ReproduceToyCommand implements Callable<Integer> {
  static final String LITERAL = "toy/reproduce-paper-literal.pbtxt";
  static final String EFFECTIVE = "toy/reproduce-effective.pbtxt";
  static final String QUICK = "toy/quick.pbtxt";
  static final String ANALYTIC = "toy/analytic.pbtxt";
  /** The analytic part's resolved config, saved in the run folder so that a resumed run uses its seed. */
  static final String ANALYTIC_CONFIG = "analytic.pbtxt";

  @Option(names = {"-c", "--config"}, paramLabel = "FILE",
      description = "A toy_reproduction config (repeatable). Default: the paper-literal and effective configs.")
  List<Path> configs = new ArrayList<>();

  @Option(names = "--set", paramLabel = "PATH=VALUE", description = "Override a field in every config (repeatable).")
  List<String> overrides = new ArrayList<>();

  @Option(names = "--seed", paramLabel = "N", description = "Override the master seed of every config.")
  Long seed;

  @Option(names = "--seeds", split = ",", paramLabel = "SEED",
      description = "Train and evaluate every variant once per seed (comma-separated); sets toy_reproduction.seeds"
          + " of every config. Tables show mean +- std over seeds.")
  List<Long> seeds = new ArrayList<>();

  @Option(names = "--only", split = ",", paramLabel = "VARIANT",
      description = "Train and evaluate only these variants (comma-separated), e.g. to split a long reproduction.")
  List<String> only = new ArrayList<>();

  @Option(names = "--quick", description = "Merge the quick profile (configs/" + QUICK + ") onto every config.")
  boolean quick;

  @picocli.CommandLine.Mixin OutputOptions output = new OutputOptions();

  @Option(names = "--resume", description = "Continue the interrupted run in --out (with its saved configs).")
  boolean resume;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    PrintWriter log = spec.commandLine().getOut();
    ToyReproductionJob job;
    RunFolder folder;
    if (resume) {
      ResumeRules.refuse(!configs.isEmpty(), "-c/--config");
      ResumeRules.refuse(!overrides.isEmpty(), "--set");
      ResumeRules.refuse(seed != null, "--seed");
      ResumeRules.refuse(quick, "--quick");
      ResumeRules.refuse(!seeds.isEmpty(), "--seeds");
      ResumeRules.refuse(output.overwrite, "--overwrite");
      folder = output.resumeFolder();
      try {
        List<ExperimentConfig> saved = savedConfigs(folder);
        ExperimentConfig analytic = Files.exists(folder.file(ANALYTIC_CONFIG))
            ? ConfigLoader.load(folder.file(ANALYTIC_CONFIG)) : analyticConfig();
        job = new ToyReproductionJob(saved, only, analyticPart(analytic));
        if (folder.recordedStatus().equals("finished") && only.isEmpty() && job.complete(folder)) {
          return ResumeRules.nothingToDo(folder, log);
        }
      } catch (IOException | RuntimeException e) {
        folder.close();
        throw e;
      }
    } else {
      List<ExperimentConfig> resolved = resolve();
      ExperimentConfig analytic = analyticConfig();
      job = new ToyReproductionJob(resolved, only, analyticPart(analytic));
      job.preflight();
      folder = output.runFolder(quick ? "toy-reproduction-quick" : "toy-reproduction");
      for (ExperimentConfig c : resolved) {
        AtomicFiles.writeString(folder.file("configs").resolve(c.getName() + ".pbtxt"),
            TextFormat.printer().printToString(c));
      }
      AtomicFiles.writeString(folder.file(ANALYTIC_CONFIG), TextFormat.printer().printToString(analytic));
    }
    return RunCommand.execute(spec, folder, job, "reproduce toy", configs.isEmpty() ? "embedded" : configs.toString());
  }

  /** The analytic part, which the run record says comes from the embedded config. */
  private static ToyReproductionJob.AnalyticPart analyticPart(ExperimentConfig analytic) {
    return new ToyReproductionJob.AnalyticPart(analytic, "embedded:configs/" + ANALYTIC);
  }

  /** The analytic part's config: the embedded one, with --seed. */
  private ExperimentConfig analyticConfig() {
    ExperimentConfig analytic = ConfigLoader.loadEmbedded(ANALYTIC);
    return seed == null ? analytic : analytic.toBuilder().setSeed(seed).build();
  }

  private List<ExperimentConfig> resolve() {
    List<ExperimentConfig> list = new ArrayList<>();
    if (configs.isEmpty()) {
      list.add(ConfigLoader.loadEmbedded(LITERAL));
      list.add(ConfigLoader.loadEmbedded(EFFECTIVE));
    } else {
      for (Path p : configs) {
        list.add(ConfigLoader.load(p));
      }
    }
    ExperimentConfig quickProfile = quick ? ConfigLoader.loadEmbedded(QUICK) : null;
    List<ExperimentConfig> out = new ArrayList<>();
    for (ExperimentConfig c : list) {
      if (c.getJobCase() != ExperimentConfig.JobCase.TOY_REPRODUCTION) {
        throw new ConfigException("reproduce toy needs toy_reproduction configs; " + c.getName() + " has a "
            + c.getJobCase().name().toLowerCase() + " job");
      }
      if (quickProfile != null) {
        ExperimentConfig.Builder b = c.toBuilder().setName(c.getName() + "-quick");
        b.getToyReproductionBuilder().mergeFrom(quickProfile.getToyReproduction());
        c = b.build();
      }
      c = ConfigLoader.applyOverrides(c, overrides);
      if (seed != null) {
        c = c.toBuilder().setSeed(seed).build();
      }
      if (!seeds.isEmpty()) {
        ExperimentConfig.Builder b = c.toBuilder();
        b.getToyReproductionBuilder().clearSeeds().addAllSeeds(seeds);
        c = b.build();
      }
      out.add(c);
    }
    return out;
  }

  private static List<ExperimentConfig> savedConfigs(RunFolder folder) throws IOException {
    Path dir = folder.file("configs");
    if (!Files.isDirectory(dir)) {
      throw new ConfigException("cannot resume: " + folder.dir() + " has no configs/ folder");
    }
    try (Stream<Path> files = Files.list(dir)) {
      List<Path> sorted = files.filter(p -> p.toString().endsWith(".pbtxt")).sorted().toList();
      List<ExperimentConfig> list = new ArrayList<>();
      ExperimentConfig first = ConfigLoader.load(folder.file(RunFolder.CONFIG));
      list.add(first);
      for (Path p : sorted) {
        ExperimentConfig c = ConfigLoader.load(p);
        if (!c.getName().equals(first.getName())) {
          list.add(c);
        }
      }
      return list;
    }
  }
}
