package org.restorelab.cli;

import java.nio.file.Path;
import org.restorelab.run.RunFolder;
import picocli.CommandLine.Option;

/** {@code --out} and {@code --overwrite}: where a command writes its run folder. */
public final class OutputOptions {
  @Option(names = {"-o", "--out"}, paramLabel = "DIR",
      description = "Output folder. Default: a new numbered folder under runs/.")
  Path out;

  @Option(names = "--overwrite", description = "Replace the output folder if it already holds a run.")
  boolean overwrite;

  /** The folder of the run to continue with {@code --resume}: {@code --out}, which must hold a run. */
  RunFolder resumeFolder() {
    if (out == null) {
      throw new org.restorelab.config.ConfigException("--resume needs --out DIR, the folder of the run to continue");
    }
    return RunFolder.existing(out);
  }

  /** {@code --out}, or a new numbered folder {@code runs/NNNNN-name}. */
  RunFolder runFolder(String name) {
    return out == null ? RunFolder.next(Path.of("runs"), name) : RunFolder.at(out, overwrite);
  }
}
