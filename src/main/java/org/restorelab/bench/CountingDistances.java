package org.restorelab.bench;

import java.util.concurrent.atomic.AtomicLong;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;

/**
 * A {@link PairwiseDistances} backend that counts what it computes: tiles, FLOPs (2 m n d per
 * m x n tile of d-dimensional rows, the cross-term MatMul; norms are O((m + n) d)) and the time
 * spent inside the wrapped backend. Precision/recall coverage stops a row tile early once all
 * its queries are covered, so the work done is counted, not assumed.
 */
public final class CountingDistances implements PairwiseDistances {
  private final PairwiseDistances inner;
  private final AtomicLong tiles = new AtomicLong();
  private final AtomicLong pairs = new AtomicLong();
  private final AtomicLong flops = new AtomicLong();
  private final AtomicLong nanos = new AtomicLong();

  /** Counts the work of {@code inner}, which it does not own (closing this closes nothing). */
  public CountingDistances(PairwiseDistances inner) {
    this.inner = inner;
  }

  /** What was counted since the last {@link #reset}. */
  public record Count(long tiles, long pairs, long flops, double backendSeconds) {}

  public Count count() {
    return new Count(tiles.get(), pairs.get(), flops.get(), nanos.get() / 1e9);
  }

  public void reset() {
    tiles.set(0);
    pairs.set(0);
    flops.set(0);
    nanos.set(0);
  }

  @Override
  public void squaredDistances(Features a, int a0, int a1, Features b, int b0, int b1, float[] out) {
    long t0 = System.nanoTime();
    inner.squaredDistances(a, a0, a1, b, b0, b1, out);
    nanos.addAndGet(System.nanoTime() - t0);
    long p = (long) (a1 - a0) * (b1 - b0);
    tiles.incrementAndGet();
    pairs.addAndGet(p);
    flops.addAndGet(2 * p * a.dim());
  }

  @Override
  public boolean threadSafe() {
    return inner.threadSafe();
  }

  @Override
  public void close() {}
}
