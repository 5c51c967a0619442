package org.restorelab.cli;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.run.RunExecutor;
import org.restorelab.run.RunFolder;

/**
 * What {@code --resume} allows. The folder's own {@code config.pbtxt} is the only config of a
 * resumed run: {@code -c}, {@code --seed} and the like are refused, and so is every {@code --set}
 * except the few a command declares legitimate (more training steps). Such an override is
 * recorded in the session's {@code run.json} ({@code resume_overrides}) and applied on top of the
 * saved config, after those of the earlier sessions; {@code config.pbtxt} itself is never
 * rewritten. A finished run resumed with nothing changed is a no-op that says so.
 */
final class ResumeRules {
  /** The resumed run's config, and whether there is anything left to do. */
  record Resumed(ExperimentConfig config, boolean nothingToDo) {}

  private ResumeRules() {}

  /** Refuses {@code -c}, {@code --seed} and {@code --overwrite} when given with {@code --resume}. */
  static void refuseNewSettings(ExperimentOptions options) {
    refuse(options.config != null, "-c/--config");
    refuse(options.seed != null, "--seed");
    refuse(options.output.overwrite, "--overwrite");
  }

  /** Refuses {@code option} when it was given with {@code --resume}. */
  static void refuse(boolean given, String option) {
    if (given) {
      throw new ConfigException(option + " cannot be used with --resume: a resumed run keeps the config, seed and"
          + " settings saved in its folder (start a new run with --out elsewhere to change them)");
    }
  }

  /**
   * Opens {@code folder}'s saved config with the earlier sessions' resume overrides, then
   * {@code overrides}, each of which must set one of {@code allowed} (field paths); records the new
   * ones in the folder for {@code run.json}. Nothing is left to do when the run finished and the
   * resulting config equals the one it finished with. On an error the folder is released.
   */
  static Resumed open(RunFolder folder, List<String> overrides, Set<String> allowed) throws IOException {
    try {
      for (String o : overrides) {
        String path = o.contains("=") ? o.substring(0, o.indexOf('=')).trim() : o;
        if (!allowed.contains(path)) {
          throw new ConfigException("--set " + o + " cannot be used with --resume: a resumed run keeps the config in "
              + folder.file(RunFolder.CONFIG) + (allowed.isEmpty() ? "" : "; only " + String.join(", ", allowed.stream()
                  .sorted().toList()) + " may change (more steps)"));
        }
      }
      if (!Files.exists(folder.file(RunFolder.CONFIG))) {
        throw new ConfigException("cannot resume: " + folder.dir() + " has no " + RunFolder.CONFIG);
      }
      JsonObject run = folder.readRun();
      ExperimentConfig before = ConfigLoader.applyOverrides(ConfigLoader.load(folder.file(RunFolder.CONFIG)),
          earlierOverrides(run));
      ExperimentConfig after = ConfigLoader.applyOverrides(before, overrides);
      folder.setResumeOverrides(overrides);
      return new Resumed(after, finished(run) && after.equals(before));
    } catch (IOException | RuntimeException e) {
      folder.close();
      throw e;
    }
  }

  /** Whether a run record says its run finished. */
  static boolean finished(JsonObject run) {
    return run.has("status") && run.get("status").isJsonPrimitive() && run.get("status").getAsString().equals("finished");
  }

  /** Says that a finished run has nothing to do, and releases its folder. */
  static int nothingToDo(RunFolder folder, PrintWriter out) {
    out.println("nothing to do: the run in " + folder.dir() + " has finished (" + RunFolder.RUN
        + " status \"finished\"); its results are in " + folder.file(RunFolder.RESULTS));
    out.flush();
    folder.close();
    return 0;
  }

  /** Every resume override the folder's sessions applied, oldest first. */
  private static List<String> earlierOverrides(JsonObject run) {
    List<String> list = new ArrayList<>();
    if (run.has("earlier_sessions") && run.get("earlier_sessions").isJsonArray()) {
      for (JsonElement session : run.getAsJsonArray("earlier_sessions")) {
        if (session.isJsonObject()) {
          list.addAll(overridesOf(session.getAsJsonObject()));
        }
      }
    }
    list.addAll(overridesOf(run));
    return list;
  }

  private static List<String> overridesOf(JsonObject session) {
    List<String> list = new ArrayList<>();
    if (session.has(RunExecutor.RESUME_OVERRIDES) && session.get(RunExecutor.RESUME_OVERRIDES).isJsonArray()) {
      session.getAsJsonArray(RunExecutor.RESUME_OVERRIDES).forEach(e -> list.add(e.getAsString()));
    }
    return list;
  }
}
