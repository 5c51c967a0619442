package org.restorelab.run;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;

/**
 * The output folder of one run. It holds the resolved config ({@code config.pbtxt}), the run
 * record ({@code run.json}), the numbers ({@code results.json}), the report ({@code report.md})
 * and figures. Every file is written atomically, and a folder that already holds a run is never
 * reused unless the caller asks to overwrite it. The folder is locked against other processes
 * from the moment it is opened until {@link #close()} ({@link FolderLock}). JSON is always valid
 * JSON: a non-finite number is written as {@code null} with a {@code <field>_reason} beside it.
 */
public final class RunFolder implements AutoCloseable {
  public static final String CONFIG = "config.pbtxt";
  public static final String RUN = "run.json";
  public static final String RESULTS = "results.json";
  public static final String REPORT = "report.md";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();
  private static final Pattern NUMBERED = Pattern.compile("(\\d{5})-.*");

  private final Path dir;
  private final boolean resumed;
  private final FolderLock lock;
  private List<String> resumeOverrides = List.of();

  private RunFolder(Path dir, boolean resumed, FolderLock lock) {
    this.dir = dir;
    this.resumed = resumed;
    this.lock = lock;
  }

  /**
   * Opens {@code dir} for a new run and locks it ({@link FolderLock}). If it already holds a run
   * ({@code run.json}) it is refused, unless {@code overwrite}, in which case its old content is
   * removed first (after the lock is taken, so a running run is never cleared by another).
   */
  public static RunFolder at(Path dir, boolean overwrite) {
    if (Files.isRegularFile(dir)) {
      throw new ConfigException("output path " + dir + " is a file, expected a folder");
    }
    try {
      Files.createDirectories(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create output folder " + dir + ": " + e.getMessage(), e);
    }
    FolderLock lock = FolderLock.acquire(dir);
    try {
      recordKilled(dir);
      if (Files.exists(dir.resolve(RUN))) {
        if (!overwrite) {
          throw new ConfigException("output folder " + dir + " already holds a run (" + RUN
              + "); pass --overwrite to replace it, --resume to continue it, or leave out --out to write a new"
              + " numbered folder");
        }
        try {
          Folders.deleteContents(dir, FolderLock.FILE);
        } catch (IOException e) {
          throw new UncheckedIOException("cannot clear output folder " + dir + ": " + e.getMessage(), e);
        }
      }
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return new RunFolder(dir, false, lock);
  }

  /** Reopens (and locks) the folder of an earlier run, to resume it; it must hold {@code run.json}. */
  public static RunFolder existing(Path dir) {
    if (!Files.exists(dir.resolve(RUN))) {
      throw new ConfigException("cannot resume: " + dir + " holds no run (" + RUN + " is missing)");
    }
    FolderLock lock = FolderLock.acquire(dir);
    try {
      recordKilled(dir);
    } catch (RuntimeException e) {
      lock.close();
      throw e;
    }
    return new RunFolder(dir, true, lock);
  }

  /**
   * Called with the lock held: a {@code run.json} that says "running" was left by a process that
   * is gone (it would hold the lock otherwise), so it is rewritten as "killed", with the time this
   * was found.
   */
  private static void recordKilled(Path dir) {
    Path file = dir.resolve(RUN);
    if (!Files.isRegularFile(file)) {
      return;
    }
    try {
      JsonObject run = GSON.fromJson(Files.readString(file), JsonObject.class);
      if (run != null && run.has("status") && run.get("status").isJsonPrimitive()
          && run.get("status").getAsString().equals("running")) {
        run.addProperty("status", "killed");
        run.addProperty("killed_detected_at", java.time.Instant.now().toString());
        AtomicFiles.writeString(file, GSON.toJson(run) + "\n");
      }
    } catch (IOException | RuntimeException e) {
      // an unreadable record is reported by whoever reads it (readRun names the file)
    }
  }

  /**
   * A new numbered folder {@code parent/NNNNN-name}, one above the highest existing number. The
   * folder is created atomically, so two processes starting at once get two folders.
   */
  public static RunFolder next(Path parent, String name) {
    String safe = name.replaceAll("[^A-Za-z0-9._-]", "_");
    try {
      Files.createDirectories(parent);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot create " + parent + ": " + e.getMessage(), e);
    }
    for (int attempt = 0; ; attempt++) {
      int next;
      try (Stream<Path> children = Files.list(parent)) {
        next = children.map(p -> NUMBERED.matcher(p.getFileName().toString()))
            .filter(Matcher::matches).mapToInt(m -> Integer.parseInt(m.group(1)) + 1)
            .max().orElse(0);
      } catch (IOException e) {
        throw new UncheckedIOException("cannot list " + parent + ": " + e.getMessage(), e);
      }
      Path dir = parent.resolve(String.format("%05d-%s", next, safe));
      try {
        Files.createDirectory(dir);
        return at(dir, false);
      } catch (java.nio.file.FileAlreadyExistsException e) {
        if (attempt > 100) {
          throw new UncheckedIOException("cannot create a new numbered folder in " + parent, e);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot create " + dir + ": " + e.getMessage(), e);
      }
    }
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

  /** Writes any JSON file of the run; non-finite numbers become null with a reason ({@link FiniteJson}). */
  public void writeJson(String name, JsonObject json) throws IOException {
    AtomicFiles.writeString(file(name), GSON.toJson(FiniteJson.of(json)) + "\n");
  }

  /** The status the last session recorded in {@code run.json} ("running", "finished", ...), or "" if none. */
  public String recordedStatus() throws IOException {
    JsonObject run = readRun();
    return run.has("status") && run.get("status").isJsonPrimitive() ? run.get("status").getAsString() : "";
  }

  /**
   * The {@code --set} overrides this resumed session applies on top of the folder's config (only
   * those a command allows on resume, such as more steps); recorded in {@code run.json}.
   */
  public List<String> resumeOverrides() {
    return resumeOverrides;
  }

  public void setResumeOverrides(List<String> overrides) {
    this.resumeOverrides = List.copyOf(overrides);
  }

  /** Releases the folder's lock. */
  @Override
  public void close() {
    lock.close();
  }
}
