package org.restorelab.cli;

import picocli.CommandLine.Command;

/** {@code restorelab evaluate}: evaluates SavedModels, ours or anyone's. */
@Command(name = "evaluate", mixinStandardHelpOptions = true,
    description = "Evaluate SavedModels with a (y, z) -> x_hat signature.",
    subcommands = {EvaluateToyCommand.class, EvaluateImagesCommand.class, EvaluateIfgsmCommand.class})
public final class EvaluateCommand extends ParentCommand {}
