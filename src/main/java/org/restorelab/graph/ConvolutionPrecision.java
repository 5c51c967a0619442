package org.restorelab.graph;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.stream.Collectors;
import org.restorelab.config.ImageGanConfig.ComputePrecision;

/**
 * Resolves a config's {@link ComputePrecision} to the convolution precision a graph is built
 * with. {@code AUTO} picks bfloat16 convolutions where the CPU has bfloat16 matrix hardware (AMX
 * tiles or AVX-512 BF16: there a plain CelebA-scale iteration ran 2.88x faster than float32) and
 * float32 everywhere else (on an AVX2-only CPU the same bfloat16 code ran 13x slower, a fallback
 * kernel; TFJAVA_NOTES). The CPU is read from {@code /proc/cpuinfo}; where that file is missing
 * (not Linux) AUTO is float32.
 */
public final class ConvolutionPrecision {
  /** CPU flags, any of which makes AUTO choose bfloat16. */
  public static final Set<String> BFLOAT16_FLAGS = Set.of("amx_bf16", "avx512_bf16");

  private static volatile Boolean cpuHasBfloat16;

  private ConvolutionPrecision() {}

  /** Whether convolutions run in bfloat16 for {@code precision} on this machine. */
  public static boolean bfloat16(ComputePrecision precision) {
    return switch (precision) {
      case FLOAT32 -> false;
      case BFLOAT16_CONV -> true;
      case AUTO -> cpuHasBfloat16();
    };
  }

  /** FLOAT32 or BFLOAT16_CONV: what {@code precision} means on this machine. */
  public static ComputePrecision resolve(ComputePrecision precision) {
    return bfloat16(precision) ? ComputePrecision.BFLOAT16_CONV : ComputePrecision.FLOAT32;
  }

  /** Whether this CPU has bfloat16 matrix hardware ({@link #BFLOAT16_FLAGS}), read once. */
  public static boolean cpuHasBfloat16() {
    Boolean cached = cpuHasBfloat16;
    if (cached == null) {
      cached = hasBfloat16(cpuFlags(Path.of("/proc/cpuinfo")));
      cpuHasBfloat16 = cached;
    }
    return cached;
  }

  static boolean hasBfloat16(Set<String> flags) {
    return flags.stream().anyMatch(BFLOAT16_FLAGS::contains);
  }

  /** The flags of the first "flags" line of a cpuinfo file; empty if the file cannot be read. */
  static Set<String> cpuFlags(Path cpuinfo) {
    try {
      for (String line : Files.readAllLines(cpuinfo)) {
        if (line.startsWith("flags")) {
          int colon = line.indexOf(':');
          return Arrays.stream(line.substring(colon + 1).trim().split("\\s+")).collect(Collectors.toSet());
        }
      }
    } catch (IOException | RuntimeException e) {
      // not Linux, or unreadable: no bfloat16 hardware assumed
    }
    return Set.of();
  }
}
