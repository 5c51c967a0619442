package org.restorelab.train.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.render.ProgressLine;
import org.restorelab.train.log.EventFiles.Scalar;
import org.tensorflow.proto.Event;
import org.tensorflow.proto.SessionLog;

class TrainingLogTest {

  private static final List<String> NAMES =
      List.of("loss_estimator", "loss_critic", "r1", "loss_robust");
  private static final long SECOND = 1_000_000_000L;

  @TempDir Path dir;

  /** A clock the test moves by hand. */
  private static final class FakeClock {
    final AtomicLong nanos = new AtomicLong(1_000 * SECOND);

    long now() {
      return nanos.get();
    }

    void advanceMillis(long ms) {
      nanos.addAndGet(ms * 1_000_000L);
    }
  }

  private TrainingLog open(long total, long first, PrintWriter console, FakeClock clock) {
    return new TrainingLog(dir, NAMES, total, first, console, false, clock::now);
  }

  private List<String> csvLines() throws IOException {
    return Files.readAllLines(dir.resolve("metrics.csv"), StandardCharsets.UTF_8);
  }

  private static double[] valuesFor(long step) {
    return new double[] {0.5 + step, -step / 8.0, step * 1e-3, step * 0.25};
  }

  // ------------------------------------------------------------------------------------- CSV

  @Test
  void csvHasHeaderAndExactValues() throws IOException {
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(100, 0, null, clock)) {
      clock.advanceMillis(1500);
      log.log(1, new double[] {0.6931471805599453, 1.25, 0.001, -2.0});
      // flushed at once: readable while the log is still open
      assertThat(csvLines()).containsExactly(
          "step,loss_estimator,loss_critic,r1,loss_robust,wall_seconds",
          "1,0.6931471805599453,1.25,0.001,-2.0,1.500");
      clock.advanceMillis(250);
      log.log(2, new double[] {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, 1e-7});
      clock.advanceMillis(1000);
      log.log(10, new double[] {0, -0.0, 123456.789, 3});
    }
    assertThat(csvLines()).containsExactly(
        "step,loss_estimator,loss_critic,r1,loss_robust,wall_seconds",
        "1,0.6931471805599453,1.25,0.001,-2.0,1.500",
        "2,NaN,Inf,-Inf,1.0E-7,1.750",
        "10,0.0,-0.0,123456.789,3.0,2.750");
  }

  @Test
  void aWarningEndsTheProgressLineAndIsPrintedAsSoonAsItChanges() throws IOException {
    assertThat(ProgressLine.format(5, 10, 2, List.of("a"), new double[] {1}, "critic flat since step 2"))
        .isEqualTo("[##########..........] 5/10  50.0%  2.0 it/s  ETA 3s  a=1.000  WARNING: critic flat since step 2");
    assertThat(ProgressLine.format(5, 10, 2, List.of("a"), new double[] {1}, null))
        .isEqualTo(ProgressLine.format(5, 10, 2, List.of("a"), new double[] {1}));
    FakeClock clock = new FakeClock();
    StringWriter console = new StringWriter();
    try (TrainingLog log = open(100, 0, new PrintWriter(console), clock)) {
      log.log(1, valuesFor(1));
      clock.advanceMillis(100); // a pipe prints every 10 s, but a new warning at once
      log.log(2, valuesFor(2), "flat");
      clock.advanceMillis(100);
      log.log(3, valuesFor(3), "flat");
      clock.advanceMillis(100);
      log.log(4, valuesFor(4));
    }
    List<String> lines = console.toString().lines().toList();
    assertThat(lines).hasSize(3);
    assertThat(lines.get(0)).contains(" 1/100 ").doesNotContain("WARNING");
    assertThat(lines.get(1)).contains(" 2/100 ").endsWith("  WARNING: flat");
    assertThat(lines.get(2)).contains(" 4/100 ").doesNotContain("WARNING"); // gone: printed at once too
    assertThat(csvLines()).hasSize(5).noneMatch(l -> l.contains("flat")); // the console only
  }

  @Test
  void freshRunReplacesAnExistingCsv() throws IOException {
    Files.writeString(dir.resolve("metrics.csv"), "step,old,wall_seconds\n1,2,3\n");
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(10, 0, null, clock)) {
      log.log(5, valuesFor(5));
    }
    assertThat(csvLines()).hasSize(2);
    assertThat(csvLines().get(0)).isEqualTo(TrainingLog.csvHeader(NAMES));
    assertThat(csvLines().get(1)).startsWith("5,5.5,-0.625,0.005,1.25,");
  }

  @Test
  void resumeDropsRowsAfterTheCheckpointAndAppends() throws IOException {
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(20, 0, null, clock)) {
      for (long s = 1; s <= 10; s++) {
        clock.advanceMillis(100);
        log.log(s, valuesFor(s));
      }
    }
    List<String> before = csvLines();
    assertThat(before).hasSize(11);
    assertThat(before.get(6)).isEqualTo("6,6.5,-0.75,0.006,1.5,0.600");

    FakeClock clock2 = new FakeClock();
    try (TrainingLog log = open(20, 6, null, clock2)) {
      // the interrupted run's rows 7..10 are gone before anything is logged
      assertThat(csvLines()).isEqualTo(before.subList(0, 7));
      clock2.advanceMillis(2000);
      log.log(7, valuesFor(7));
      clock2.advanceMillis(100);
      log.log(8, valuesFor(8));
    }
    List<String> after = csvLines();
    assertThat(after.subList(0, 7)).isEqualTo(before.subList(0, 7));
    assertThat(after.subList(7, after.size())).containsExactly(
        // wall_seconds continues from row 6 (0.6 s) plus this process's time
        "7,7.5,-0.875,0.007,1.75,2.600",
        "8,8.5,-1.0,0.008,2.0,2.700");
    assertThat(after.stream().skip(1).map(l -> Long.parseLong(l.split(",")[0])))
        .containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
  }

  @Test
  void resumeDropsATruncatedLastRow() throws IOException {
    String header = TrainingLog.csvHeader(NAMES);
    Files.writeString(dir.resolve("metrics.csv"),
        header + "\n1,1,2,3,4,0.100\n2,1,2,3,4,0.200\n3,1,2,3");
    try (TrainingLog log = open(10, 5, null, new FakeClock())) {
      log.log(6, valuesFor(6));
    }
    List<String> lines = csvLines();
    assertThat(lines).hasSize(4);
    assertThat(lines.subList(0, 3)).containsExactly(header, "1,1,2,3,4,0.100", "2,1,2,3,4,0.200");
    assertThat(lines.get(3)).isEqualTo("6,6.5,-0.75,0.006,1.5,0.200");
  }

  @Test
  void resumeRefusesACsvWithOtherColumns() throws IOException {
    Files.writeString(dir.resolve("metrics.csv"), "step,a,b,wall_seconds\n1,1,2,0.1\n");
    assertThatThrownBy(() -> open(10, 1, null, new FakeClock()))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("step,a,b,wall_seconds");
  }

  @Test
  void rejectsBadArguments() {
    assertThatThrownBy(() -> new TrainingLog(dir, List.of("a", "a"), 10, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrainingLog(dir, List.of("a,b"), 10, 0, null))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new TrainingLog(dir, List.of("a"), 10, 11, null))
        .isInstanceOf(IllegalArgumentException.class);
    TrainingLog log = open(10, 0, null, new FakeClock());
    assertThatThrownBy(() -> log.log(1, new double[] {1, 2}))
        .isInstanceOf(IllegalArgumentException.class);
    log.close();
    log.close(); // idempotent
    assertThatThrownBy(() -> log.log(1, valuesFor(1))).isInstanceOf(IllegalStateException.class);
  }

  // ----------------------------------------------------------------------------- TensorBoard

  @Test
  void tensorBoardEventFilesHoldTheScalars() throws IOException {
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(100, 0, null, clock)) {
      log.log(1, new double[] {0.6931471805599453, 1.25, 0.001, -2.0});
      log.log(2, new double[] {Double.NaN, 3.5, 1e-7, 42});
      log.log(50, valuesFor(50));
    }
    Path tb = dir.resolve("tensorboard");
    List<Path> files = EventFiles.list(tb);
    assertThat(files).hasSize(1);
    List<Event> events = EventFiles.read(files.get(0));
    assertThat(events.get(0).getFileVersion()).isEqualTo("brain.Event:2");

    List<Scalar> scalars = EventFiles.scalars(events);
    assertThat(scalars).hasSize(12);
    assertThat(scalars).contains(
        new Scalar("loss_estimator", 1, 0.6931472f),
        new Scalar("loss_critic", 1, 1.25f),
        new Scalar("r1", 1, 0.001f),
        new Scalar("loss_robust", 1, -2.0f),
        new Scalar("loss_critic", 2, 3.5f),
        new Scalar("r1", 2, 1e-7f),
        new Scalar("loss_robust", 2, 42f),
        new Scalar("loss_estimator", 50, 50.5f),
        new Scalar("loss_critic", 50, -6.25f),
        new Scalar("r1", 50, 0.05f),
        new Scalar("loss_robust", 50, 12.5f));
    assertThat(scalars).anySatisfy(s -> {
      assertThat(s.tag()).isEqualTo("loss_estimator");
      assertThat(s.step()).isEqualTo(2);
      assertThat(s.value()).isNaN();
    });
  }

  @Test
  void freshRunDeletesOldEventFiles() throws IOException {
    try (TrainingLog log = open(10, 0, null, new FakeClock())) {
      log.log(1, valuesFor(1));
    }
    try (TrainingLog log = open(10, 0, null, new FakeClock())) {
      log.log(2, valuesFor(2));
    }
    List<Path> files = EventFiles.list(dir.resolve("tensorboard"));
    assertThat(files).hasSize(1);
    assertThat(EventFiles.scalars(EventFiles.read(files.get(0))))
        .extracting(Scalar::step).containsOnly(2L);
  }

  @Test
  void resumedTensorBoardRunShowsEachStepOnce() throws IOException {
    try (TrainingLog log = open(20, 0, null, new FakeClock())) {
      for (long s = 1; s <= 10; s++) {
        log.log(s, valuesFor(s));
      }
    }
    try (TrainingLog log = open(20, 6, null, new FakeClock())) {
      log.log(7, new double[] {70, 71, 72, 73});
      log.log(8, new double[] {80, 81, 82, 83});
    }
    Path tb = dir.resolve("tensorboard");
    List<Path> files = EventFiles.list(tb);
    assertThat(files).hasSize(2);
    // the resumed file starts with a SessionLog START at firstStep + 1 (TensorBoard's purge mark)
    Path resumed = files.stream()
        .filter(f -> readUnchecked(f).stream().anyMatch(Event::hasSessionLog))
        .findFirst().orElseThrow();
    List<Event> resumedEvents = EventFiles.read(resumed);
    Event start = resumedEvents.stream().filter(Event::hasSessionLog).findFirst().orElseThrow();
    assertThat(start.getSessionLog().getStatus()).isEqualTo(SessionLog.SessionStatus.START);
    assertThat(start.getStep()).isEqualTo(7);
    assertThat(EventFiles.scalars(resumedEvents)).extracting(Scalar::step)
        .containsOnly(7L, 8L).hasSize(8);

    List<Scalar> visible = EventFiles.visibleScalars(tb);
    List<Scalar> estimator = visible.stream().filter(s -> s.tag().equals("loss_estimator")).toList();
    assertThat(estimator).extracting(Scalar::step).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L);
    assertThat(estimator).extracting(Scalar::value)
        .containsExactly(1.5f, 2.5f, 3.5f, 4.5f, 5.5f, 6.5f, 70f, 80f);
  }

  private static List<Event> readUnchecked(Path f) {
    try {
      return EventFiles.read(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }

  // --------------------------------------------------------------------------------- console

  @Test
  void pipedConsolePrintsFirstLastAndEveryTenSeconds() {
    StringWriter out = new StringWriter();
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(100, 40, new PrintWriter(out), clock)) {
      for (long s = 41; s <= 100; s++) {
        clock.advanceMillis(500); // 2 it/s
        log.log(s, valuesFor(s));
      }
    }
    String[] lines = out.toString().split("\n");
    // step 41 (first), then every 10 s = 20 steps: 61, 81, then 100 (last); close adds nothing new
    assertThat(Arrays.stream(lines).map(l -> l.split(" ")[1]))
        .containsExactly("41/100", "61/100", "81/100", "100/100");
    assertThat(out.toString()).doesNotContain("\r");
    // first line: 1 step in 0.5 s since construction; later: measured from the first logged step
    assertThat(lines[0]).isEqualTo(ProgressLine.format(41, 100, 2.0, NAMES, valuesFor(41)));
    assertThat(lines[0]).contains("2.0 it/s  ETA 30s");
    assertThat(lines[1]).isEqualTo(ProgressLine.format(61, 100, 2.0, NAMES, valuesFor(61)));
    assertThat(lines[3]).isEqualTo(ProgressLine.format(100, 100, 2.0, NAMES, valuesFor(100)));
  }

  @Test
  void pipedConsolePrintsTheFinalLineAtClose() {
    StringWriter out = new StringWriter();
    FakeClock clock = new FakeClock();
    try (TrainingLog log = open(1000, 0, new PrintWriter(out), clock)) {
      for (long s = 1; s <= 5; s++) {
        clock.advanceMillis(200); // 5 it/s
        log.log(s, valuesFor(s));
      }
    }
    String[] lines = out.toString().split("\n");
    assertThat(lines).hasSize(2);
    assertThat(lines[0]).startsWith("[....................] 1/1000  0.1%  5.0 it/s  ETA 3m20s");
    assertThat(lines[1]).isEqualTo(ProgressLine.format(5, 1000, 5.0, NAMES, valuesFor(5)));
  }

  @Test
  void terminalConsoleRedrawsOneLineAtMostFourTimesASecond() {
    StringWriter out = new StringWriter();
    FakeClock clock = new FakeClock();
    try (TrainingLog log = new TrainingLog(dir, List.of("l"), 1000, 0, new PrintWriter(out), true,
        clock::now)) {
      for (long s = 1; s <= 100; s++) {
        clock.advanceMillis(10); // 100 it/s, 1 s in total
        log.log(s, new double[] {s});
      }
    }
    String text = out.toString();
    // redraws at steps 1, 26, 51, 76 (every 250 ms), then the final state at close and a newline
    String[] draws = text.substring(1, text.length() - 1).split("\r");
    assertThat(text).startsWith("\r").endsWith("\n");
    assertThat(text.indexOf('\n')).isEqualTo(text.length() - 1);
    assertThat(Arrays.stream(draws).map(d -> d.split(" ")[1]))
        .containsExactly("1/1000", "26/1000", "51/1000", "76/1000", "100/1000");
    assertThat(draws[4]).isEqualTo(
        ProgressLine.format(100, 1000, 100.0, List.of("l"), new double[] {100}));
  }

  @Test
  void noConsoleOutputWithoutSteps() {
    StringWriter out = new StringWriter();
    try (TrainingLog log = open(10, 0, new PrintWriter(out), new FakeClock())) {
      assertThat(log).isNotNull();
    }
    assertThat(out.toString()).isEmpty();
  }
}
