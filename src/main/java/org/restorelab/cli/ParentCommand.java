package org.restorelab.cli;

import picocli.CommandLine;

/** A command that only groups subcommands: run alone, it is a usage error (exit 2). */
abstract class ParentCommand implements Runnable {
  @CommandLine.Spec CommandLine.Model.CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(),
        "missing subcommand: one of " + String.join(", ", spec.subcommands().keySet()));
  }
}
