package org.restorelab.cli;

import java.io.PrintWriter;
import java.util.Locale;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.JobContext;
import org.restorelab.job.StopFlag;
import org.restorelab.run.JobOutput;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Model.CommandSpec;

/** How every command runs its job in a run folder, reports where, and maps the outcome to an exit code. */
final class RunCommand {
  /** Exit code of a run stopped by Ctrl-C with its state saved (128 + SIGINT). */
  static final int INTERRUPTED = 130;

  private RunCommand() {}

  /**
   * Runs {@code job} in {@code folder} with the command's console and arguments; Ctrl-C raises its
   * stop flag when the job honours one. 0 when it finished, {@link #INTERRUPTED} when it stopped early.
   */
  static int execute(CommandSpec spec, RunFolder folder, Job job, String command, String configSource)
      throws Exception {
    StopFlag stop = new StopFlag();
    JobContext context = new JobContext(folder, spec.commandLine().getOut(), stop, command,
        spec.commandLine().getParseResult().originalArgs(), Reproduce.commandLine(spec));
    if (!job.stoppable()) {
      return execute(spec, folder, job.config(), command, configSource, f -> job.run(context));
    }
    try (StopOnInterrupt hook = new StopOnInterrupt(stop::request)) {
      return execute(spec, folder, job.config(), command, configSource, f -> job.run(context));
    }
  }

  /** Runs {@code job} in {@code folder}; 0 when it finished, {@link #INTERRUPTED} when it stopped early. */
  static int execute(CommandSpec spec, RunFolder folder, ExperimentConfig config, String command,
      String configSource, RunExecutor.Job job) throws Exception {
    PrintWriter out = spec.commandLine().getOut();
    out.println("restorelab " + command + ": writing " + folder.dir());
    out.flush();
    long start = System.nanoTime();
    JobOutput output = RunExecutor.execute(folder, config, command,
        spec.commandLine().getParseResult().originalArgs(), configSource, job);
    if (!output.status().equals("finished")) {
      out.println("interrupted; continue with: ./restorelab " + command + " --out " + folder.dir() + " --resume");
      out.flush();
      return INTERRUPTED;
    }
    out.printf(Locale.ROOT, "done in %.1f s: %s%n", (System.nanoTime() - start) / 1e9, folder.file(RunFolder.REPORT));
    out.flush();
    return 0;
  }
}
