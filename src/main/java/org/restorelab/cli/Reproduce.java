package org.restorelab.cli;

import java.util.List;
import picocli.CommandLine.Model.CommandSpec;

/** The command line that reproduces a run, for reports. */
final class Reproduce {
  private Reproduce() {}

  /** {@code ./restorelab} followed by the original arguments, shell-quoted where needed. */
  static String commandLine(CommandSpec spec) {
    List<String> args = spec.commandLine().getParseResult().originalArgs();
    StringBuilder sb = new StringBuilder("./restorelab");
    for (String a : args) {
      sb.append(' ').append(a.matches("[A-Za-z0-9_./=:,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
    }
    return sb.toString();
  }
}
