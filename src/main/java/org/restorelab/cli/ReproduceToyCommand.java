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
import org.restorelab.config.ToyVariantConfig;
import org.restorelab.job.AnalyticJob;
import org.restorelab.job.JobContext;
import org.restorelab.job.StopFlag;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFolder;
import org.restorelab.report.ToyReproduction;
import org.restorelab.train.ToyVariants;
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
    List<ExperimentConfig> resolved;
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
        resolved = savedConfigs(folder);
        checkOnly(resolved);
        if (folder.recordedStatus().equals("finished") && only.isEmpty() && complete(folder, resolved)) {
          return ResumeRules.nothingToDo(folder, log);
        }
      } catch (IOException | RuntimeException e) {
        folder.close();
        throw e;
      }
    } else {
      resolved = resolve();
      checkOnly(resolved);
      folder = output.runFolder(quick ? "toy-reproduction-quick" : "toy-reproduction");
      for (ExperimentConfig c : resolved) {
        AtomicFiles.writeString(folder.file("configs").resolve(c.getName() + ".pbtxt"),
            TextFormat.printer().printToString(c));
      }
      AtomicFiles.writeString(folder.file(ANALYTIC_CONFIG), TextFormat.printer().printToString(analyticConfig()));
    }
    ToyReproduction reproduction = new ToyReproduction();
    try (StopOnInterrupt stop = new StopOnInterrupt(reproduction::requestStop)) {
      return RunCommand.execute(spec, folder, resolved.get(0), "reproduce toy",
          configs.isEmpty() ? "embedded" : configs.toString(), f -> run(reproduction, resolved, f, log));
    }
  }

  private JobOutput run(ToyReproduction reproduction, List<ExperimentConfig> resolved, RunFolder folder,
      PrintWriter log) throws Exception {
    log.println("analytic part ...");
    log.flush();
    ExperimentConfig analytic = Files.exists(folder.file(ANALYTIC_CONFIG))
        ? ConfigLoader.load(folder.file(ANALYTIC_CONFIG)) : analyticConfig();
    RunFolder analyticFolder = RunFolder.at(folder.file("analytic"), true);
    ExperimentConfig a = analytic;
    RunExecutor.execute(analyticFolder, a, "analytic", List.of(), "embedded:configs/" + ANALYTIC,
        f -> new AnalyticJob(a).run(new JobContext(f, log, new StopFlag(), "analytic", List.of(), "./restorelab analytic")));
    List<ToyReproduction.ConfigResult> results = new ArrayList<>();
    for (ExperimentConfig c : resolved) {
      Path savedModels = savedModelDir(folder, c);
      ToyReproduction.ConfigResult r = reproduction.run(c, folder.dir(), savedModels, only, log);
      if (r == null) {
        return new JobOutput(new com.google.gson.JsonObject(), "# interrupted\n\nResume with `--resume`.\n", "interrupted");
      }
      results.add(r);
    }
    ToyReproduction.writeTables(folder.dir(), results);
    return ToyReproduction.output(results, Reproduce.commandLine(spec), "analytic/report.md");
  }

  /**
   * Whether every variant of every config is trained and exported in the folder: a finished
   * {@code --only} part is not the whole reproduction, so resuming it goes on with the rest.
   */
  private static boolean complete(RunFolder folder, List<ExperimentConfig> resolved) throws IOException {
    for (ExperimentConfig c : resolved) {
      if (!ToyReproduction.complete(c, folder.dir(), savedModelDir(folder, c))) {
        return false;
      }
    }
    return true;
  }

  /** The analytic part's config: the embedded one, with --seed. */
  private ExperimentConfig analyticConfig() {
    ExperimentConfig analytic = ConfigLoader.loadEmbedded(ANALYTIC);
    return seed == null ? analytic : analytic.toBuilder().setSeed(seed).build();
  }

  private void checkOnly(List<ExperimentConfig> resolved) {
    for (String o : only) {
      if (resolved.stream().noneMatch(c -> c.getToyReproduction().getVariantList().stream()
          .anyMatch(v -> v.getName().equals(o)))) {
        throw new ConfigException("--only " + o + ": no such variant in the configs");
      }
    }
  }

  /**
   * Where a config's SavedModels go: its {@code savedmodel_dir}, inside the run folder (a run
   * never writes outside its own folder; the committed savedmodels/ change only by a copy made
   * by hand). An absolute path, or one that leaves the folder, is refused.
   */
  static Path savedModelDir(RunFolder folder, ExperimentConfig c) {
    return folder.dir().resolve(savedModelPath(c));
  }

  /** {@code savedmodel_dir} as a normalised relative path, or an error naming the field. */
  static Path savedModelPath(ExperimentConfig c) {
    String dir = c.getToyReproduction().getSavedmodelDir();
    Path relative = Path.of(dir).normalize();
    if (dir.isEmpty() || relative.isAbsolute() || relative.startsWith("..")) {
      throw new ConfigException(c.getName() + ": toy_reproduction.savedmodel_dir = \"" + dir + "\": expected a"
          + " relative path inside the run folder, such as savedmodels/toy/effective");
    }
    return relative;
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
      savedModelPath(c);
      for (ToyVariantConfig v : c.getToyReproduction().getVariantList()) {
        ToyVariants.validate(ToyVariants.resolve(c.getToyReproduction(), v), "toy_reproduction.variant[" + v.getName() + "]");
      }
      org.restorelab.train.StepMemory.check(c);
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
