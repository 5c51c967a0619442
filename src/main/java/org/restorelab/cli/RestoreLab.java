package org.restorelab.cli;

import java.io.PrintWriter;
import org.restorelab.config.ConfigException;
import org.restorelab.run.BuildInfo;
import org.restorelab.run.RunFailedException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/**
 * The {@code restorelab} command. It does nothing by itself; its subcommands run jobs.
 * Exit codes: 0 success, 2 usage or config error, 1 runtime failure.
 */
@Command(
    name = "restorelab",
    mixinStandardHelpOptions = true,
    versionProvider = RestoreLab.Version.class,
    description = "Stochastic vs deterministic image restoration: estimators, attacks and metrics.",
    subcommands = {
      AnalyticCommand.class,
      TrainCommand.class,
      ReproduceCommand.class,
      EvaluateCommand.class,
      BenchCommand.class,
      CheckGpuCommand.class,
      FeaturesCommand.class,
      DataCommand.class,
      ReexportCommand.class,
      CommandLine.HelpCommand.class
    })
public final class RestoreLab extends ParentCommand {
  /** Exit code of a bad command line, config or input. */
  public static final int USAGE = 2;
  /** Exit code of a failure while running. */
  public static final int FAILURE = 1;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    int code;
    try {
      code = commandLine().execute(args);
    } catch (Throwable t) { // an Error (e.g. OutOfMemoryError) outside any run folder
      System.err.println("restorelab: failed: " + RunFailedException.summary(t) + traceHint());
      if (showTraces()) {
        t.printStackTrace();
      }
      code = FAILURE;
    }
    System.exit(code);
  }

  /** The command line with RestoreLab's error handling, for main and tests. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new RestoreLab());
    cmd.setExecutionExceptionHandler(RestoreLab::handle);
    return cmd;
  }

  /**
   * One line for every error. A bad input (config, data, checkpoint, SavedModel) is exit 2. A
   * failure while running is exit 1 and names the run's {@code run.json}, which keeps the full
   * stack trace; a failure before any run folder exists prints its trace only with
   * {@code RESTORELAB_TRACE=1}.
   */
  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    try {
      for (Throwable t = ex; t != null; t = t.getCause()) {
        if (t instanceof ConfigException) {
          err.println("restorelab: error: " + t.getMessage());
          return USAGE;
        }
        if (t instanceof org.restorelab.data.image.ImageDataException) {
          err.println("restorelab: bad data: " + t.getMessage());
          return USAGE;
        }
      }
      if (ex instanceof RunFailedException failed) {
        err.println("restorelab: failed: " + failed.getMessage() + " (stack trace in " + failed.record() + ")");
        return FAILURE;
      }
      err.println("restorelab: failed: " + RunFailedException.summary(ex) + traceHint());
      if (showTraces()) {
        ex.printStackTrace(err);
      }
      return FAILURE;
    } finally {
      err.flush();
    }
  }

  private static boolean showTraces() {
    return "1".equals(System.getenv("RESTORELAB_TRACE"));
  }

  private static String traceHint() {
    return showTraces() ? "" : " (RESTORELAB_TRACE=1 prints the stack trace)";
  }

  /** Prints RestoreLab's version and its pinned libraries. */
  static final class Version implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "RestoreLab " + BuildInfo.version(),
        "TensorFlow Java " + BuildInfo.tensorflowJavaVersion() + " (" + BuildInfo.nativeClassifier() + ")",
        "protobuf-java " + BuildInfo.protobufVersion(),
        "Java " + System.getProperty("java.version")
      };
    }
  }
}
