package org.restorelab.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that reproduces a run, for reports. */
public final class Reproduce {
  private Reproduce() {}

  /** {@code ./restorelab} followed by the original arguments, shell-quoted where needed. */
  static String commandLine(CommandSpec spec) {
    return commandLine("./restorelab", spec);
  }

  /**
   * {@code program} followed by the original arguments of {@code spec}'s command line (the
   * subcommands' names included), shell-quoted where needed.
   */
  public static String commandLine(String program, CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    StringBuilder sb = new StringBuilder(program);
    for (String a : args) {
      sb.append(' ').append(a.matches("[A-Za-z0-9_./=:,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
