package org.restorelab.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;

/**
 * The output folder of one run. It holds the resolved config ({@code config.pbtxt}), the run
 * record ({@code run.json}), the numbers ({@code results.json}), the report ({@code report.md})
 * and figures. Every file is written atomically, and a folder that already holds a run is never
 * reused unless the caller asks to overwrite it.
 */
public final class RunFolder {
  public static final String CONFIG = "config.pbtxt";
  public static final String RUN = "run.json";
  public static final String RESULTS = "results.json";
  public static final String REPORT = "report.md";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping()
      .serializeSpecialFloatingPointValues().create();
  private static final Pattern NUMBERED = Pattern.compile("(\\d{5})-.*");

  private final Path dir;
  private final boolean resumed;

  private RunFolder(Path dir, boolean resumed) {
    this.dir = dir;
    this.resumed = resumed;
  }

  /**
   * Opens {@code dir} for a new run. If it already holds a run ({@code run.json}) it is refused,
   * unless {@code overwrite}, in which case its old content is removed first.
   */
  public static RunFolder at(Path dir, boolean overwrite) {
    if (Files.exists(dir.resolve(RUN))) {
      if (!overwrite) {
        throw new ConfigException("output folder " + dir + " already holds a run (" + RUN
            + "); pass --overwrite to replace it, or leave out --out to write a new numbered folder");
      }
      try {
        Folders.deleteContents(dir);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot clear output folder " + dir, e);
      }
    } else if (Files.isRegularFile(dir)) {
      throw new ConfigException("output path " + dir + " is a file, expected a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output folder " + dir, e);
    }
    return new RunFolder(dir, false);
  }

  /** Reopens the folder of an earlier run, to resume it; it must hold {@code run.json}. */
  public static RunFolder existing(Path dir) {
    if (!Files.exists(dir.resolve(RUN))) {
      throw new ConfigException("cannot resume: " + dir + " holds no run (" + RUN + " is missing)");
    }
    return new RunFolder(dir, true);
  }

  /** A new numbered folder {@code parent/NNNNN-name}, one above the highest existing number. */
  public static RunFolder next(Path parent, String name) {
    int next = 0;
    if (Files.isDirectory(parent)) {
      try (Stream<Path> children = Files.list(parent)) {
        next = children.map(p -> NUMBERED.matcher(p.getFileName().toString()))
            .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1)) + 1)
            .max().orElse(0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + parent, e);
      }
    }
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    return at(parent.resolve(String.format("%05d-%s", next, safe)), false);
  }

  public Path dir() {
    return dir;
  }

  /** True when the folder was reopened to resume an earlier run ({@link #existing}). */
  public boolean resumed() {
    return resumed;
  }

  /** Reads {@code run.json} as written by the last session in this folder. */
  public JsonObject readRun() throws IOException {
    try {
      JsonObject run = GSON.fromJson(Files.readString(file(RUN)), JsonObject.class);
      if (run == null) {
        throw new ConfigException(file(RUN) + " is empty, expected the JSON run record of the earlier session");
      }
      return run;
    } catch (com.google.gson.JsonParseException e) {
      throw new ConfigException(file(RUN) + " is not a JSON run record: " + e.getMessage());
    }
  }

  /** A path inside the folder. */
  public Path file(String name) {
    return dir.resolve(name);
  }

  /** Writes the resolved config, before the run starts. */
  public void writeConfig(ExperimentConfig config) throws IOException {
    AtomicFiles.writeString(file(CONFIG), TextFormat.printer().printToString(config));
  }

  /** Writes (or rewrites) {@code run.json}. */
  public void writeRun(JsonObject run) throws IOException {
    writeJson(RUN, run);
  }

  /** Writes {@code results.json}. */
  public void writeResults(JsonObject results) throws IOException {
    writeJson(RESULTS, results);
  }

  /** Writes {@code report.md}. */
  public void writeReport(String markdown) throws IOException {
    AtomicFiles.writeString(file(REPORT), markdown);
  }

  /** Writes any JSON file of the run. */
  public void writeJson(String name, JsonObject json) throws IOException {
    AtomicFiles.writeString(file(name), GSON.toJson(json) + "\n");
  }
}
