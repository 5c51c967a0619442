package org.restorelab.reliability;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.restorelab.cli.CliTest;
import org.restorelab.cli.RestoreLab;

/** Runs the CLI in this JVM, or as a separate process, for the reliability tests. */
final class Cli {
  /** A toy_reproduction config whose every part runs in seconds. */
  static final String TINY = Path.of("src/test/resources/toy-tiny.pbtxt").toString();

  record Run(int exit, String out, String err) {
    /** The error output's lines, without blank ones. */
    List<String> errLines() {
      return err.lines().filter(l -> !l.isBlank()).toList();
    }
  }

  private Cli() {}

  static Run run(String... args) {
    CliTest.Run r = CliTest.run(args);
    return new Run(r.exit(), r.out(), r.err());
  }

  /** Starts {@code restorelab args} in a new JVM, its output in {@code log}. */
  static Process start(Path log, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
        "-cp", System.getProperty("java.class.path"), RestoreLab.class.getName()));
    cmd.addAll(List.of(args));
    return new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
  }

  static JsonObject json(Path file) throws IOException {
    return JsonParser.parseString(Files.readString(file)).getAsJsonObject();
  }

  /** Waits (up to 2 minutes) until {@code file} exists and has at least {@code lines} lines. */
  static void awaitLines(Path file, int lines, Path log) throws Exception {
    long deadline = System.nanoTime() + 120_000_000_000L;
    while (!Files.exists(file) || Files.readAllLines(file).size() < lines) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError(file + " did not appear: " + (Files.exists(log) ? Files.readString(log) : ""));
      }
      Thread.sleep(50);
    }
  }
}
