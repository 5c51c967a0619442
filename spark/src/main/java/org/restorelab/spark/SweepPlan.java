package org.restorelab.spark;

import java.nio.file.Path;
import java.util.List;

/**
 * A validated sweep: every point resolved and its job built once on the driver, so that a bad
 * path or value is refused before any task is submitted.
 *
 * @param source the sweep config's file
 * @param baseConfig the base experiment config's file
 * @param outputRoot the folder of the points' run folders and the summaries (exists, writable)
 * @param points the grid, first axis slowest, seeds fastest
 * @param metrics the results.json paths reported per point; empty: every top-level number
 */
public record SweepPlan(Path source, Path baseConfig, Path outputRoot, List<SweepPoint> points, List<String> metrics) {
  public SweepPlan {
    points = List.copyOf(points);
    metrics = List.copyOf(metrics);
  }
}
