package org.restorelab.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * On Ctrl-C (SIGINT/SIGTERM), asks the running job to stop and waits, up to two minutes, until
 * it has written its checkpoint and closed: the JVM exits only after {@link #close()}.
 */
final class StopOnInterrupt implements AutoCloseable {
  private final CountDownLatch finished = new CountDownLatch(1);
  private final Thread hook;

  StopOnInterrupt(Runnable requestStop) {
    hook = new Thread(() -> {
      requestStop.run();
      try {
        finished.await(120, TimeUnit.SECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }, "restorelab-stop");
    Runtime.getRuntime().addShutdownHook(hook);
  }

  @Override
  public void close() {
    finished.countDown();
    try {
      Runtime.getRuntime().removeShutdownHook(hook);
    } catch (IllegalStateException shuttingDown) {
      // the hook is running: the JVM is exiting after Ctrl-C
    }
  }
}
