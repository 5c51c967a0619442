package org.restorelab.cli;

import picocli.CommandLine.Command;

/** {@code restorelab bench}: speed benchmarks; a parent of one subcommand per target. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Speed benchmarks, reported as ratios to the matmul throughput measured in the same run.",
    subcommands = {BenchMetricsCommand.class, BenchToyCommand.class, BenchImageCommand.class})
public final class BenchCommand extends ParentCommand {}
