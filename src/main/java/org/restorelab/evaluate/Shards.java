package org.restorelab.evaluate;

/** How a sharded evaluation splits its inputs: whole batches, as evenly as they divide. */
public final class Shards {
  private Shards() {}

  /**
   * Shard {@code shard} of {@code shards} of n items processed in batches of {@code batch}:
   * [from, to), from a multiple of {@code batch}; the shards cover [0, n) in order.
   */
  public static int[] range(int n, int batch, int shard, int shards) {
    int batches = (n + batch - 1) / batch;
    long from = (long) batches * shard / shards * batch;
    long to = (long) batches * (shard + 1) / shards * batch;
    return new int[] {(int) Math.min(from, n), (int) Math.min(to, n)};
  }
}
