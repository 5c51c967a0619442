package org.restorelab.job;

import java.io.PrintWriter;
import java.util.List;
import org.restorelab.run.RunFolder;

/**
 * What a job gets besides its config: where it writes, where it talks, when to stop, and the
 * command that started it (for provenance and reports).
 *
 * @param folder the run folder; {@link RunFolder#resumed()} says whether this session continues an earlier one
 * @param console progress lines for a person
 * @param stop raised to ask the job to stop early with its state kept (Ctrl-C)
 * @param command the command's name in provenance records, e.g. "train" or "evaluate images"
 * @param args the command's original arguments, for provenance records
 * @param commandLine the shell command line that reproduces the run, for reports
 */
public record JobContext(RunFolder folder, PrintWriter console, StopFlag stop, String command, List<String> args,
    String commandLine) {
  public JobContext {
    args = List.copyOf(args);
  }
}
