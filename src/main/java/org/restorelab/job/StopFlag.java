package org.restorelab.job;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

/**
 * A request to stop a running job early, resumably: polled by evaluations
 * ({@link #getAsBoolean()}), passed on to trainers by {@link #onRequest}. Raising it twice does
 * nothing more.
 */
public final class StopFlag implements BooleanSupplier {
  private volatile boolean requested;
  private final List<Runnable> listeners = new CopyOnWriteArrayList<>();

  /** Raises the flag and tells every listener. */
  public void request() {
    requested = true;
    listeners.forEach(Runnable::run);
  }

  /** Whether a stop was requested. */
  @Override
  public boolean getAsBoolean() {
    return requested;
  }

  /** Calls {@code listener} on a request, or at once if one was already made. */
  public void onRequest(Runnable listener) {
    listeners.add(listener);
    if (requested) {
      listener.run();
    }
  }
}
