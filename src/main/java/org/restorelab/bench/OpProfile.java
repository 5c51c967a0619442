package org.restorelab.bench;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.tensorflow.proto.DeviceStepStats;
import org.tensorflow.proto.NodeExecStats;
import org.tensorflow.proto.RunMetadata;

/**
 * Where a traced step spends its time: per executed op type (the timeline label's op, so fused
 * and oneDNN variants show under their own names), the summed op time (op start to op end) and
 * the number of executions, over the traced runs, with each type's share of the summed op time.
 * On a CPU with intra-op parallelism ops overlap, so the shares are of op time, not of wall time.
 */
public final class OpProfile {
  /** One op type's total. */
  public record Entry(String op, long micros, int count) {}

  private static final java.util.regex.Pattern LABEL = java.util.regex.Pattern.compile("= ([\\w]+)\\(");

  private OpProfile() {}

  /** Op types by descending summed op time. */
  public static List<Entry> of(List<RunMetadata> runs) {
    Map<String, long[]> totals = new HashMap<>();
    for (RunMetadata run : runs) {
      for (DeviceStepStats dev : run.getStepStats().getDevStatsList()) {
        for (NodeExecStats node : dev.getNodeStatsList()) {
          java.util.regex.Matcher m = LABEL.matcher(node.getTimelineLabel());
          String op = m.find() ? m.group(1) : node.getNodeName();
          long micros = Math.max(0, node.getOpEndRelMicros() - node.getOpStartRelMicros());
          long[] t = totals.computeIfAbsent(op, k -> new long[2]);
          t[0] += micros;
          t[1]++;
        }
      }
    }
    List<Entry> entries = new ArrayList<>();
    totals.forEach((op, t) -> entries.add(new Entry(op, t[0], (int) t[1])));
    entries.sort(Comparator.comparingLong(Entry::micros).reversed().thenComparing(Entry::op));
    return entries;
  }

  /** The first {@code top} entries as lines "op  ms  share  count", and the rest summed. */
  public static String render(List<Entry> entries, int top) {
    long total = entries.stream().mapToLong(Entry::micros).sum();
    StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "%-36s %10s %7s %7s%n", "op", "ms", "share",
        "count"));
    long rest = 0;
    int restCount = 0;
    for (int i = 0; i < entries.size(); i++) {
      Entry e = entries.get(i);
      if (i < top) {
        out.append(String.format(Locale.ROOT, "%-36s %10.1f %6.1f%% %7d%n", e.op(), e.micros() / 1e3,
            100.0 * e.micros() / Math.max(1, total), e.count()));
      } else {
        rest += e.micros();
        restCount += e.count();
      }
    }
    if (rest > 0) {
      out.append(String.format(Locale.ROOT, "%-36s %10.1f %6.1f%% %7d%n", "(other " + (entries.size() - top) + " types)",
          rest / 1e3, 100.0 * rest / Math.max(1, total), restCount));
    }
    out.append(String.format(Locale.ROOT, "%-36s %10.1f%n", "total op time", total / 1e3));
    return out.toString();
  }
}
