package org.restorelab.run;

import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;

/**
 * Derives independent random streams from the master seed and a purpose path such as
 * {@code "handcrafted/X_hat_Robust/rep3/outputs"}. A stream depends only on (seed, path), so
 * adding a new consumer never shifts the numbers of an existing one.
 */
public final class Seeds {
  private Seeds() {}

  /** A 64-bit seed for {@code path} under {@code master} (SplitMix64 over an FNV-1a hash). */
  public static long derive(long master, String path) {
    long h = 0xcbf29ce484222325L;
    for (byte b : path.getBytes(StandardCharsets.UTF_8)) {
      h ^= b & 0xff;
      h *= 0x100000001b3L;
    }
    return mix(mix(master) ^ h);
  }

  /** A generator for {@code path} under {@code master}. */
  public static SplittableRandom random(long master, String path) {
    return new SplittableRandom(derive(master, path));
  }

  private static long mix(long z) {
    z += 0x9e3779b97f4a7c15L;
    z = (z ^ (z >>> 30)) * 0xbf58476d1ce4e5b9L;
    z = (z ^ (z >>> 27)) * 0x94d049bb133111ebL;
    return z ^ (z >>> 31);
  }
}
