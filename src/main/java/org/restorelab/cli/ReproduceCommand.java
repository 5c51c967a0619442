package org.restorelab.cli;

import picocli.CommandLine.Command;

/** {@code restorelab reproduce}: reproductions of the paper's tables and figures. */
@Command(name = "reproduce", mixinStandardHelpOptions = true,
    description = "Reproduce the paper's tables and figures.",
    subcommands = {ReproduceToyCommand.class})
public final class ReproduceCommand extends ParentCommand {}
