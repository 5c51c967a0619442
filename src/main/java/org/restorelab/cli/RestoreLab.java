package org.restorelab.cli;

import java.io.PrintWriter;
import org.restorelab.config.ConfigException;
import org.restorelab.run.BuildInfo;
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
      CommandLine.HelpCommand.class
    })
public final class RestoreLab extends ParentCommand {
  /** Exit code of a bad command line, config or input. */
  public static final int USAGE = 2;
  /** Exit code of a failure while running. */
  public static final int FAILURE = 1;

  public static void main(String[] args) {
    System.setProperty("java.awt.headless", "true");
    System.exit(commandLine().execute(args));
  }

  /** The command line with RestoreLab's error handling, for main and tests. */
  public static CommandLine commandLine() {
    CommandLine cmd = new CommandLine(new RestoreLab());
    cmd.setExecutionExceptionHandler(RestoreLab::handle);
    return cmd;
  }

  private static int handle(Exception ex, CommandLine cmd, CommandLine.ParseResult parsed) {
    PrintWriter err = cmd.getErr();
    if (ex instanceof ConfigException) {
      err.println("restorelab: error: " + ex.getMessage());
      err.flush();
      return USAGE;
    }
    for (Throwable t = ex; t != null; t = t.getCause()) {
      if (t instanceof org.restorelab.data.image.ImageDataException) {
        err.println("restorelab: bad data: " + t.getMessage());
        err.flush();
        return USAGE;
      }
    }
    err.println("restorelab: failed: " + ex);
    ex.printStackTrace(err);
    err.flush();
    return FAILURE;
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
