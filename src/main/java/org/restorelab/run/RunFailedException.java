package org.restorelab.run;

import java.nio.file.Path;

/**
 * A run that failed while running (not a bad input): its cause, and the {@code run.json} where the
 * full stack trace is kept. The CLI prints one line naming both (exit 1).
 */
public final class RunFailedException extends Exception {
  private final Path record;

  public RunFailedException(Throwable cause, Path record) {
    super(summary(cause), cause);
    this.record = record;
  }

  /** The run record holding the trace. */
  public Path record() {
    return record;
  }

  /** One line for a failure: "out of memory (Java heap space)", or the exception's class and message. */
  public static String summary(Throwable t) {
    if (t instanceof OutOfMemoryError) {
      return "out of memory (" + t.getMessage() + "); give the JVM more with RESTORELAB_JAVA_OPTS=-Xmx..., or lower"
          + " the config's batch or sample sizes";
    }
    String message = firstLine(t);
    Throwable cause = t.getCause();
    if (cause != null && cause != t && !firstLine(cause).isEmpty() && !message.contains(firstLine(cause))) {
      message = message + (message.isEmpty() ? "" : ": ") + firstLine(cause);
    }
    return t.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
  }

  private static String firstLine(Throwable t) {
    return t.getMessage() == null ? "" : t.getMessage().lines().findFirst().orElse("");
  }
}
