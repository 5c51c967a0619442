package org.restorelab.spark;

import java.io.Serializable;
import java.util.List;

/**
 * One point of a sweep's grid, as shipped to the Spark task that runs it.
 *
 * @param name the run folder's name under the output root, from the overrides, e.g. "r1_gamma=1,seed=2"
 * @param overrides the axes' overrides in --set syntax, e.g. "toy_gan.r1_gamma=1" (the seed not among them)
 * @param seed the master seed, or null for the base config's
 * @param config the resolved experiment config (base config, overrides, seed) in Protobuf wire format,
 *     so that an executor needs no access to the base config's file
 */
public record SweepPoint(String name, List<String> overrides, Long seed, byte[] config) implements Serializable {
  private static final long serialVersionUID = 1L;

  public SweepPoint {
    overrides = List.copyOf(overrides);
  }

  /** The point's overrides as --set arguments with its --seed, for run records and reports. */
  public List<String> arguments() {
    java.util.ArrayList<String> args = new java.util.ArrayList<>();
    for (String o : overrides) {
      args.add("--set");
      args.add(o);
    }
    if (seed != null) {
      args.add("--seed");
      args.add(Long.toUnsignedString(seed));
    }
    return args;
  }
}
