package org.restorelab.bench;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Peak memory of this process: the resident-set high-water mark (VmHWM of /proc/self/status,
 * heap and native memory such as TensorFlow's tensors together) and the Java heap.
 *
 * @param vmHwmBytes peak resident set size; -1 where /proc is not available
 * @param vmRssBytes resident set size now; -1 where /proc is not available
 * @param heapPeakUsedBytes sum over the heap pools of their peak used bytes (an upper bound on
 *     the peak of the heap's used bytes, as the pools need not peak together)
 * @param heapPeakCommittedBytes the same sum of peak committed bytes
 * @param heapMaxBytes the heap limit (-Xmx)
 */
public record PeakMemory(long vmHwmBytes, long vmRssBytes, long heapPeakUsedBytes,
    long heapPeakCommittedBytes, long heapMaxBytes) {

  /** Reads the numbers now. */
  public static PeakMemory now() {
    long used = 0;
    long committed = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP && pool.getPeakUsage() != null) {
        used += pool.getPeakUsage().getUsed();
        committed += pool.getPeakUsage().getCommitted();
      }
    }
    return new PeakMemory(procStatusBytes("VmHWM:"), procStatusBytes("VmRSS:"), used, committed,
        Runtime.getRuntime().maxMemory());
  }

  /** A "VmXXX:   123 kB" line of /proc/self/status, in bytes; -1 when absent. */
  static long procStatusBytes(String key) {
    try {
      for (String line : Files.readAllLines(Path.of("/proc/self/status"))) {
        if (line.startsWith(key)) {
          String[] parts = line.substring(key.length()).trim().split("\\s+");
          return Long.parseLong(parts[0]) * 1024L;
        }
      }
    } catch (IOException | RuntimeException e) {
      return -1;
    }
    return -1;
  }
}
