package org.restorelab.train;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.restorelab.train.log.TrainingLog;
import org.tensorflow.Session;

/**
 * The loop every GAN trainer shares: resume from the run's checkpoint or initialise, run
 * iterations, log every {@code log_every} steps, checkpoint (atomically) every
 * {@code checkpoint_every} steps, at the end and on a stop request, and stop with the step and
 * the loss named when a loss becomes NaN or infinite, keeping the last good checkpoint. A
 * {@link Monitor} watches the steps: its state travels in the checkpoints, its warning joins the
 * progress line, and its stop reason ends the run with a checkpoint and an {@link EarlyStopException}.
 */
public final class TrainingLoop {
  /** Thrown when a loss becomes NaN or infinite. */
  public static final class DivergedException extends RuntimeException {
    public DivergedException(String message) {
      super(message);
    }
  }

  /**
   * Thrown when a {@link Monitor} stops the run (e.g. a flat critic), after the step's metrics row
   * and its checkpoint are written. Like a divergence it fails the run (exit code 1, the message
   * in {@code run.json}); the checkpoint lets {@code --resume} continue past it.
   */
  public static final class EarlyStopException extends RuntimeException {
    public EarlyStopException(String message) {
      super(message);
    }
  }

  /**
   * What a trainer watches across steps, beyond the logged metrics. Every checkpoint saves its
   * {@link #state}, and a resumed run {@link #restore}s it, so a resumed run logs what an
   * uninterrupted one would.
   */
  public interface Monitor {
    /** Watches nothing. */
    Monitor NONE = new Monitor() {};

    /** Named finite numbers to keep in the checkpoint. */
    default Map<String, Double> state() {
      return Map.of();
    }

    /** Restores the state of a resumed run: the checkpoint's, empty for one written without a state. */
    default void restore(Map<String, Double> saved, Path checkpoint) {}

    /** A warning for the progress line after the last step, or null. */
    default String warning() {
      return null;
    }

    /** Why the run must stop after the last step (one line naming the step), or null to go on. */
    default String stopReason(long step) {
      return null;
    }
  }

  /** The metrics every GAN trainer logs, in this order. */
  public static final List<String> GAN_METRICS = List.of("loss_gan", "loss_robust", "loss_critic", "r1", "lr_estimator");

  /** Closes a step's tensors (feeds and fed schedule values), whatever happened in the step. */
  public static void closeAll(List<AutoCloseable> resources) {
    for (AutoCloseable c : resources) {
      try {
        c.close();
      } catch (Exception e) {
        throw new IllegalStateException(e);
      }
    }
  }

  /** One training iteration at a 0-based step; returns the metrics in the loop's order. */
  @FunctionalInterface
  public interface Iteration {
    double[] run(long step) throws IOException;
  }

  /** Called after each completed step (1-based count), e.g. to write sample grids. */
  @FunctionalInterface
  public interface AfterStep {
    void accept(long step, TrainingLog log) throws IOException;
  }

  /** Where the loop stopped and how long an iteration took. */
  public record Outcome(long step, boolean finished, double secondsPerIteration) {}

  private final Path dir;
  private final List<String> metrics;
  private final long steps;
  private final long logEvery;
  private final long checkpointEvery;
  private final AtomicBoolean stopRequested = new AtomicBoolean();
  private long stopAfter = Long.MAX_VALUE;

  public TrainingLoop(Path dir, List<String> metrics, long steps, long logEvery, long checkpointEvery) {
    this.dir = dir;
    this.metrics = metrics;
    this.steps = steps;
    this.logEvery = logEvery;
    this.checkpointEvery = checkpointEvery;
  }

  /** Stops after the current iteration, writing a checkpoint (e.g. on Ctrl-C). */
  public void requestStop() {
    stopRequested.set(true);
  }

  /** Stops (with a checkpoint) once {@code step} is reached, as an interruption would; for tests. */
  public void stopAfter(long step) {
    this.stopAfter = step;
  }

  public Path checkpointFile() {
    return dir.resolve(Checkpoint.FILE);
  }

  /** Restores the checkpoint when resuming and one exists (returning its step), else initialises (0). */
  public long start(VariableStore variables, Session session, boolean resume, PrintWriter console) throws IOException {
    return start(variables, session, resume, console, Monitor.NONE);
  }

  /** As {@link #start(VariableStore, Session, boolean, PrintWriter)}, restoring {@code monitor}'s state on resume. */
  public long start(VariableStore variables, Session session, boolean resume, PrintWriter console, Monitor monitor)
      throws IOException {
    Path file = checkpointFile();
    if (resume && Files.exists(file)) {
      Checkpoint ckpt = Checkpoint.read(file);
      variables.assign(session, ckpt.variables(), file.toString());
      monitor.restore(ckpt.state(), file);
      console.println("resuming from " + file + " at step " + ckpt.step());
      return ckpt.step();
    }
    variables.initialize(session);
    return 0;
  }

  public Outcome run(VariableStore variables, Session session, long start, PrintWriter console, Iteration iteration,
      AfterStep afterStep) throws IOException {
    return run(variables, session, start, console, iteration, afterStep, Monitor.NONE);
  }

  /**
   * Runs the iterations from {@code start}; after each finite step {@code monitor} gives the progress
   * line's warning and may stop the run: then the step is logged (whatever {@code log_every}), a
   * checkpoint is written and an {@link EarlyStopException} thrown with its reason.
   */
  public Outcome run(VariableStore variables, Session session, long start, PrintWriter console, Iteration iteration,
      AfterStep afterStep, Monitor monitor) throws IOException {
    Path ckptFile = checkpointFile();
    String earlyStop = null;
    long t0 = System.nanoTime();
    long done = 0;
    long step = start;
    try (TrainingLog log = new TrainingLog(dir, metrics, steps, start, console)) {
      while (step < steps) {
        double[] losses = iteration.run(step);
        step++;
        done++;
        for (int i = 0; i < losses.length; i++) {
          if (!Double.isFinite(losses[i])) {
            java.util.OptionalLong good = Checkpoint.verifiedStep(ckptFile);
            throw new DivergedException("training diverged at step " + step + ": " + metrics.get(i) + " = "
                + losses[i] + (good.isPresent() ? "; the last good checkpoint is " + ckptFile + " (step "
                + good.getAsLong() + ")" : Files.exists(ckptFile) ? "; " + ckptFile + " fails its integrity check,"
                + " so there is no good checkpoint to resume from" : "; no checkpoint was written before it"));
          }
        }
        earlyStop = step < steps ? monitor.stopReason(step) : null; // the last step ends the run anyway
        if (step % logEvery == 0 || step == steps || earlyStop != null) {
          log.log(step, losses, monitor.warning());
        }
        if (afterStep != null) {
          afterStep.accept(step, log);
        }
        boolean stop = stopRequested.get() || step >= stopAfter || earlyStop != null;
        if (step % checkpointEvery == 0 || step == steps || stop) {
          Map<String, Checkpoint.Tensor> values = variables.read(session);
          new Checkpoint(step, values, monitor.state()).write(ckptFile);
        }
        if (stop) {
          break;
        }
      }
    }
    if (earlyStop != null) {
      throw new EarlyStopException(earlyStop + "; checkpoint " + ckptFile + " (step " + step + "), --resume continues");
    }
    double perIteration = done == 0 ? 0 : (System.nanoTime() - t0) / 1e9 / done;
    return new Outcome(step, step >= steps, perIteration);
  }
}
