package org.restorelab.train.log;

import java.io.BufferedWriter;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.function.LongSupplier;
import org.restorelab.render.ProgressLine;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.TfSessions;
import org.tensorflow.Graph;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.NdArrays;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.summary.SummaryWriter;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.Summary;
import org.tensorflow.proto.SessionLog;
import org.tensorflow.types.TFloat32;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.TString;

/**
 * Per-step logger of a GAN training run. Every {@link #log} call writes
 *
 * <ul>
 *   <li>one row of {@code runDir/metrics.csv} ({@code step,<metric names...>,wall_seconds}),
 *       flushed at once so that a crash loses at most the row being written. {@code wall_seconds}
 *       is the training wall-clock time in seconds, cumulated over resumes (a resumed run
 *       continues from the {@code wall_seconds} of the last kept row). Non-finite values are
 *       written as {@code NaN}, {@code Inf} and {@code -Inf};
 *   <li>one scalar per metric (tag = metric name) into TensorBoard event files under
 *       {@code runDir/tensorboard/}, written by TensorFlow's own summary ops
 *       ({@code CreateSummaryFileWriter} / {@code WriteScalarSummary}) in a small private graph,
 *       flushed by a log call when 5 seconds have passed since the last flush, and on close;
 *   <li>a progress line on the console: a one-line redraw with {@code '\r'} at most 4 times a
 *       second on a terminal, otherwise a full line at most every 10 seconds plus the first and
 *       last step. Rate and ETA are measured over the steps done by this process only. A warning
 *       given with the step (e.g. a flat critic) ends the line, and a line whose warning changed
 *       is printed at once.
 * </ul>
 *
 * <p>Fresh run ({@code firstStep == 0}): an existing {@code metrics.csv} is replaced and old
 * event files in {@code runDir/tensorboard/} are deleted. Resume ({@code firstStep > 0}): rows of
 * {@code metrics.csv} with {@code step > firstStep} (left by the interrupted run), and an
 * incomplete last row, are dropped (the kept rows are rewritten atomically) and new rows are
 * appended; a new event file is started, beginning with a {@code SessionLog START} event at step
 * {@code firstStep + 1}, which tells TensorBoard to discard the orphaned points of the
 * interrupted run at steps {@code > firstStep}.
 *
 * <p>Methods are synchronized; the class is meant to be used from the training loop.
 */
public final class TrainingLog implements AutoCloseable {

  /** File name of the CSV inside the run folder. */
  public static final String CSV_FILE = "metrics.csv";
  /** Folder of the TensorBoard event files inside the run folder. */
  public static final String TENSORBOARD_DIR = "tensorboard";

  static final int FLUSH_INTERVAL_SECONDS = 5;
  private static final long NANOS_PER_SECOND = 1_000_000_000L;
  private static final long TTY_INTERVAL_NANOS = NANOS_PER_SECOND / 4;
  private static final long PIPE_INTERVAL_NANOS = 10 * NANOS_PER_SECOND;
  private static final long FLUSH_INTERVAL_NANOS = FLUSH_INTERVAL_SECONDS * NANOS_PER_SECOND;
  private static final String EVENT_FILE_PREFIX = "events.out.tfevents.";

  private final List<String> names;
  private final long totalSteps;
  private final long firstStep;
  private final PrintWriter console;
  private final boolean interactive;
  private final LongSupplier nanoClock;
  private final long startNanos;
  private final double wallOffsetSeconds;
  private final BufferedWriter csv;
  private final Path csvFile;
  private final EventWriter events;

  private long stepsLogged;
  private long firstLogStep;
  private long firstLogNanos;
  private long lastStep;
  private long lastLogNanos;
  private double[] lastValues;
  private String lastWarning;
  private long lastPrintNanos;
  private long lastFlushNanos;
  private String lastPrintedLine;
  private int lastLineLength;
  private boolean closed;

  /**
   * Opens the log of a run.
   *
   * @param runDir the run folder (created if missing)
   * @param metricNames names of the logged metrics, e.g. {@code ["loss_estimator","loss_critic",
   *     "r1","loss_robust"]}; they become CSV columns and TensorBoard tags, so they must be unique,
   *     non-blank and free of commas, quotes and line breaks
   * @param totalSteps the last step of the run (for the progress bar and ETA), {@code > 0}
   * @param firstStep 0 for a fresh run, or the step of the checkpoint a resumed run starts from
   * @param console where the progress line goes; {@code null} for no console output
   * @throws UncheckedIOException if the files cannot be prepared
   * @throws IllegalStateException on resume, if the existing {@code metrics.csv} has other columns
   */
  public TrainingLog(Path runDir, List<String> metricNames, long totalSteps, long firstStep,
      PrintWriter console) {
    this(runDir, metricNames, totalSteps, firstStep, console, System.console() != null,
        System::nanoTime);
  }

  /** Test hook: explicit console mode and clock (nanoseconds, arbitrary origin). */
  TrainingLog(Path runDir, List<String> metricNames, long totalSteps, long firstStep,
      PrintWriter console, boolean interactive, LongSupplier nanoClock) {
    Objects.requireNonNull(runDir, "runDir");
    this.names = validateNames(metricNames);
    if (totalSteps <= 0) {
      throw new IllegalArgumentException("totalSteps must be > 0, got " + totalSteps);
    }
    if (firstStep < 0 || firstStep > totalSteps) {
      throw new IllegalArgumentException(
          "firstStep must be in [0, totalSteps=" + totalSteps + "], got " + firstStep);
    }
    this.totalSteps = totalSteps;
    this.firstStep = firstStep;
    this.console = console;
    this.interactive = interactive;
    this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");

    Path csvPath = runDir.resolve(CSV_FILE);
    this.csvFile = csvPath;
    Path tbDir = runDir.resolve(TENSORBOARD_DIR);
    try {
      Files.createDirectories(runDir);
      this.wallOffsetSeconds = prepareCsv(csvPath, csvHeader(names), names.size() + 2, firstStep);
      if (firstStep == 0) {
        deleteEventFiles(tbDir);
      }
      Files.createDirectories(tbDir);
      this.csv = Files.newBufferedWriter(csvPath, StandardCharsets.UTF_8, StandardOpenOption.APPEND);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot prepare the training log in " + runDir + ": " + e.getMessage(), e);
    }
    try {
      this.events = new EventWriter(tbDir, names, firstStep);
    } catch (RuntimeException e) {
      try {
        csv.close();
      } catch (IOException suppressed) {
        e.addSuppressed(suppressed);
      }
      throw e;
    }
    this.startNanos = nanoClock.getAsLong();
    this.lastFlushNanos = startNanos;
  }

  /**
   * Writes an image (PNG bytes, e.g. a sample grid) to TensorBoard under {@code tag} at {@code step}.
   */
  public synchronized void image(long step, String tag, byte[] png, int height, int width) {
    if (closed) {
      throw new IllegalStateException("TrainingLog is closed");
    }
    events.writeImage(step, tag, png, height, width);
  }

  /**
   * Logs one step: appends a CSV row (flushed), writes one TensorBoard scalar per metric, and
   * updates the console progress line when due.
   *
   * @param step the training step the values belong to
   * @param values one value per metric name, in the constructor's order
   * @throws IllegalArgumentException if {@code values} has the wrong length
   * @throws IllegalStateException if the log is closed
   * @throws UncheckedIOException if the CSV cannot be written
   */
  public synchronized void log(long step, double[] values) {
    log(step, values, null);
  }

  /**
   * As {@link #log(long, double[])}, with a warning for the end of the progress line ({@code null}
   * for none); the warning goes to the console only, not to the CSV or TensorBoard.
   */
  public synchronized void log(long step, double[] values, String warning) {
    if (closed) {
      throw new IllegalStateException("TrainingLog is closed");
    }
    Objects.requireNonNull(values, "values");
    if (values.length != names.size()) {
      throw new IllegalArgumentException(
          "expected " + names.size() + " values " + names + ", got " + values.length);
    }
    long now = nanoClock.getAsLong();
    try {
      csv.write(csvRow(step, values, wallOffsetSeconds + (now - startNanos) / 1e9));
      csv.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot append to " + csvFile + ": " + e.getMessage(), e);
    }
    boolean flush = now - lastFlushNanos >= FLUSH_INTERVAL_NANOS;
    events.write(step, values, flush);
    if (flush) {
      lastFlushNanos = now;
    }

    boolean first = stepsLogged == 0;
    if (first) {
      firstLogStep = step;
      firstLogNanos = now;
    }
    stepsLogged++;
    lastStep = step;
    lastLogNanos = now;
    lastValues = values.clone();
    boolean warningChanged = !Objects.equals(warning, lastWarning);
    lastWarning = warning;
    if (console != null) {
      long interval = interactive ? TTY_INTERVAL_NANOS : PIPE_INTERVAL_NANOS;
      if (first || step >= totalSteps || now - lastPrintNanos >= interval || warningChanged) {
        printProgress(now);
      }
    }
  }

  /**
   * Prints the final progress line (if at least one step was logged and that line was not the
   * last one printed), flushes and closes the TensorBoard writer and the CSV. Idempotent.
   *
   * @throws UncheckedIOException if the CSV cannot be closed (everything else is still closed)
   */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    RuntimeException failure = null;
    try {
      if (console != null && stepsLogged > 0) {
        String line = currentLine();
        if (!line.equals(lastPrintedLine)) {
          printLine(line, nanoClock.getAsLong());
        }
        if (interactive) {
          console.println();
        }
        console.flush();
      }
    } catch (RuntimeException e) {
      failure = e;
    }
    try {
      events.close();
    } catch (RuntimeException e) {
      failure = chain(failure, e);
    }
    try {
      csv.close();
    } catch (IOException e) {
      failure = chain(failure, new UncheckedIOException("cannot close " + csvFile + ": " + e.getMessage(), e));
    }
    if (failure != null) {
      throw failure;
    }
  }

  private static RuntimeException chain(RuntimeException first, RuntimeException next) {
    if (first == null) {
      return next;
    }
    first.addSuppressed(next);
    return first;
  }

  // ---------------------------------------------------------------------------------- console

  private void printProgress(long now) {
    printLine(currentLine(), now);
  }

  private String currentLine() {
    return ProgressLine.format(lastStep, totalSteps, currentRate(), names, lastValues, lastWarning);
  }

  private void printLine(String line, long now) {
    if (interactive) {
      StringBuilder sb = new StringBuilder(line.length() + 8).append('\r').append(line);
      for (int i = line.length(); i < lastLineLength; i++) {
        sb.append(' '); // wipe the tail of a longer previous line
      }
      console.print(sb);
    } else {
      console.println(line);
    }
    console.flush();
    lastLineLength = line.length();
    lastPrintedLine = line;
    lastPrintNanos = now;
  }

  /**
   * Steps per second done by this process: measured from the first logged step to the last one
   * (which leaves start-up costs out); with a single logged step, from construction.
   */
  private double currentRate() {
    if (lastStep > firstLogStep && lastLogNanos > firstLogNanos) {
      return (lastStep - firstLogStep) / ((lastLogNanos - firstLogNanos) / 1e9);
    }
    if (lastStep > firstStep && lastLogNanos > startNanos) {
      return (lastStep - firstStep) / ((lastLogNanos - startNanos) / 1e9);
    }
    return Double.NaN;
  }

  // -------------------------------------------------------------------------------------- CSV

  static String csvHeader(List<String> names) {
    return "step," + String.join(",", names) + ",wall_seconds";
  }

  /** CSV form of a value: shortest round-trip decimal; {@code NaN}, {@code Inf}, {@code -Inf}. */
  static String csvValue(double v) {
    if (Double.isNaN(v)) {
      return "NaN";
    }
    if (Double.isInfinite(v)) {
      return v > 0 ? "Inf" : "-Inf";
    }
    return Double.toString(v);
  }

  static String csvRow(long step, double[] values, double wallSeconds) {
    StringBuilder sb = new StringBuilder(16 + 24 * values.length);
    sb.append(step);
    for (double v : values) {
      sb.append(',').append(csvValue(v));
    }
    sb.append(',').append(String.format(Locale.ROOT, "%.3f", wallSeconds)).append('\n');
    return sb.toString();
  }

  /**
   * Writes the CSV the run continues from (atomically): the header alone for a fresh run; on
   * resume the header plus the complete rows with {@code step <= firstStep}.
   *
   * @return the {@code wall_seconds} of the last kept row, 0 if none
   */
  private static double prepareCsv(Path csvPath, String header, int fieldCount, long firstStep)
      throws IOException {
    StringBuilder kept = new StringBuilder(header).append('\n');
    double wallOffset = 0;
    if (firstStep > 0 && Files.isRegularFile(csvPath)) {
      String text = new String(Files.readAllBytes(csvPath), StandardCharsets.UTF_8);
      if (!text.isEmpty()) {
        String[] lines = text.split("\n", -1);
        // the piece after the last '\n' is empty for a complete file, or a row cut by a crash
        int complete = lines.length - 1;
        String oldHeader = stripCr(lines[0]);
        if (complete >= 1 && !oldHeader.equals(header)) {
          throw new IllegalStateException("cannot resume: " + csvPath + " has columns '" + oldHeader
              + "' but this run logs '" + header + "'");
        }
        for (int i = 1; i < complete; i++) {
          String line = stripCr(lines[i]);
          String[] fields = line.split(",", -1);
          if (fields.length != fieldCount) {
            continue;
          }
          long step;
          double wall;
          try {
            step = Long.parseLong(fields[0]);
            wall = Double.parseDouble(fields[fieldCount - 1]);
          } catch (NumberFormatException e) {
            continue;
          }
          if (step > firstStep) {
            continue;
          }
          kept.append(line).append('\n');
          if (Double.isFinite(wall)) {
            wallOffset = Math.max(wallOffset, wall);
          }
        }
      }
    }
    AtomicFiles.writeString(csvPath, kept.toString());
    return wallOffset;
  }

  private static String stripCr(String s) {
    return s.endsWith("\r") ? s.substring(0, s.length() - 1) : s;
  }

  private static void deleteEventFiles(Path tbDir) throws IOException {
    if (!Files.isDirectory(tbDir)) {
      return;
    }
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tbDir, EVENT_FILE_PREFIX + "*")) {
      for (Path f : files) {
        if (Files.isRegularFile(f)) {
          Files.delete(f);
        }
      }
    }
  }

  private static List<String> validateNames(List<String> metricNames) {
    Objects.requireNonNull(metricNames, "metricNames");
    if (metricNames.isEmpty()) {
      throw new IllegalArgumentException("at least one metric name is needed");
    }
    Set<String> seen = new HashSet<>();
    seen.add("step");
    seen.add("wall_seconds");
    for (String n : metricNames) {
      if (n == null || n.isBlank() || n.chars().anyMatch(c -> c == ',' || c == '"' || c == '\n'
          || c == '\r' || c == '=' || Character.isWhitespace(c))) {
        throw new IllegalArgumentException("bad metric name: '" + n + "'");
      }
      if (!seen.add(n)) {
        throw new IllegalArgumentException("duplicate or reserved metric name: " + n);
      }
    }
    return List.copyOf(metricNames);
  }

  // ------------------------------------------------------------------------------ TensorBoard

  /**
   * A private graph holding a summary-writer resource and one {@code WriteScalarSummary} per
   * metric, each fed by its own value placeholder, with shared step and per-tag placeholders. One
   * {@code Session.run} writes all metrics of a step.
   */
  private static final class EventWriter implements AutoCloseable {
    private final Graph graph;
    private final Session session;
    private final Placeholder<TInt64> step;
    private final List<Placeholder<TString>> tagInputs = new ArrayList<>();
    private final List<Placeholder<TFloat32>> valueInputs = new ArrayList<>();
    private final List<TString> tagTensors = new ArrayList<>();
    private final List<Op> writes = new ArrayList<>();
    private final Op flushAfterWrites;
    private final Placeholder<TString> eventInput;
    private final Op importEventOp;
    private final Op flush;
    private final Op closeWriter;

    EventWriter(Path logdir, List<String> tags, long resumedFrom) {
      graph = new Graph();
      Session s = null;
      try {
        Ops tf = Ops.create(graph);
        SummaryWriter writer =
            tf.withName("writer").summary.summaryWriter(SummaryWriter.sharedName("training_log"));
        Op create = tf.withName("create_writer").summary.createSummaryFileWriter(writer,
            tf.constant(logdir.toAbsolutePath().toString()), tf.constant(100),
            tf.constant(FLUSH_INTERVAL_SECONDS * 1000), tf.constant(".v2"));
        step = tf.withName("step").placeholder(TInt64.class);
        for (int i = 0; i < tags.size(); i++) {
          Placeholder<TString> tag = tf.withName("tag_" + i).placeholder(TString.class);
          Placeholder<TFloat32> value = tf.withName("value_" + i).placeholder(TFloat32.class);
          tagInputs.add(tag);
          valueInputs.add(value);
          writes.add(tf.withName("write_" + i).summary.writeScalarSummary(writer, step, tag, value));
        }
        flushAfterWrites =
            tf.withControlDependencies(writes).withName("flush_after_writes").summary
                .flushSummaryWriter(writer);
        flush = tf.withName("flush").summary.flushSummaryWriter(writer);
        closeWriter = tf.withName("close_writer").summary.closeSummaryWriter(writer);
        Placeholder<TString> event = tf.withName("event").placeholder(TString.class);
        Op importEvent = tf.withName("import_event").summary.importEvent(writer, event);
        eventInput = event;
        importEventOp = importEvent;

        s = TfSessions.open(graph);
        try (Result r = s.runner().addTarget(create).run()) {
          // creates the event file
        }
        if (resumedFrom > 0) {
          // TensorBoard drops the points at steps >= this step written before a START event
          byte[] start = Event.newBuilder()
              .setWallTime(System.currentTimeMillis() / 1000.0)
              .setStep(resumedFrom + 1)
              .setSessionLog(SessionLog.newBuilder().setStatus(SessionLog.SessionStatus.START))
              .build().toByteArray();
          try (TString t = TString.tensorOfBytes(NdArrays.scalarOfObject(start));
              Result r = s.runner().feed(event, t).addTarget(importEvent).addTarget(flush).run()) {
            // written
          }
        }
        for (String tag : tags) {
          tagTensors.add(TString.scalarOf(tag));
        }
        session = s;
      } catch (RuntimeException e) {
        tagTensors.forEach(TString::close);
        if (s != null) {
          s.close();
        }
        graph.close();
        throw e;
      }
    }

    void write(long stepValue, double[] values, boolean flushNow) {
      TFloat32[] valueTensors = new TFloat32[values.length];
      try (TInt64 stepTensor = TInt64.scalarOf(stepValue)) {
        Session.Runner runner = session.runner().feed(step, stepTensor);
        for (int i = 0; i < values.length; i++) {
          valueTensors[i] = TFloat32.scalarOf((float) values[i]);
          runner.feed(tagInputs.get(i), tagTensors.get(i)).feed(valueInputs.get(i), valueTensors[i]);
          runner.addTarget(writes.get(i));
        }
        if (flushNow) {
          runner.addTarget(flushAfterWrites);
        }
        try (Result r = runner.run()) {
          // targets only
        }
      } finally {
        for (TFloat32 t : valueTensors) {
          if (t != null) {
            t.close();
          }
        }
      }
    }

    /** Writes an image summary (a PNG) at a step, flushed. */
    void writeImage(long stepValue, String tag, byte[] png, int height, int width) {
      Summary summary = Summary.newBuilder().addValue(Summary.Value.newBuilder().setTag(tag)
          .setImage(Summary.Image.newBuilder().setHeight(height).setWidth(width).setColorspace(3)
              .setEncodedImageString(com.google.protobuf.ByteString.copyFrom(png)))).build();
      byte[] event = Event.newBuilder().setWallTime(System.currentTimeMillis() / 1000.0).setStep(stepValue)
          .setSummary(summary).build().toByteArray();
      try (TString t = TString.tensorOfBytes(NdArrays.scalarOfObject(event));
          Result r = session.runner().feed(eventInput, t).addTarget(importEventOp).addTarget(flush).run()) {
        // written
      }
    }

    @Override
    public void close() {
      try {
        try (Result r = session.runner().addTarget(flush).run()) {
          // flushed
        }
        try (Result r = session.runner().addTarget(closeWriter).run()) {
          // closed
        }
      } finally {
        tagTensors.forEach(TString::close);
        session.close();
        graph.close();
      }
    }
  }
}
