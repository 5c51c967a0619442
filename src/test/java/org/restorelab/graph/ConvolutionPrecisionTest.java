package org.restorelab.graph;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.restorelab.config.ImageGanConfig.ComputePrecision;

class ConvolutionPrecisionTest {
  @TempDir Path dir;

  @Test
  void explicitPrecisionsAreTakenAsWritten() {
    assertThat(ConvolutionPrecision.bfloat16(ComputePrecision.FLOAT32)).isFalse();
    assertThat(ConvolutionPrecision.bfloat16(ComputePrecision.BFLOAT16_CONV)).isTrue();
    assertThat(ConvolutionPrecision.resolve(ComputePrecision.BFLOAT16_CONV)).isEqualTo(ComputePrecision.BFLOAT16_CONV);
  }

  @Test
  void autoFollowsThisMachinesCpuFlags() throws Exception {
    boolean expected = Files.exists(Path.of("/proc/cpuinfo"))
        && (Files.readString(Path.of("/proc/cpuinfo")).contains(" amx_bf16")
            || Files.readString(Path.of("/proc/cpuinfo")).contains(" avx512_bf16"));
    assertThat(ConvolutionPrecision.bfloat16(ComputePrecision.AUTO)).isEqualTo(expected);
    assertThat(ConvolutionPrecision.resolve(ComputePrecision.AUTO))
        .isEqualTo(expected ? ComputePrecision.BFLOAT16_CONV : ComputePrecision.FLOAT32);
  }

  @Test
  void amxOrAvx512Bf16SelectsBfloat16AndAvx2AloneDoesNot() throws Exception {
    Path amx = dir.resolve("amx");
    Files.writeString(amx, "processor\t: 0\nflags\t\t: fpu sse avx2 avx512f amx_tile amx_bf16\nbugs\t: x\n"
        + "processor\t: 1\nflags\t\t: fpu\n");
    Path avx2 = dir.resolve("avx2");
    Files.writeString(avx2, "processor\t: 0\nflags\t\t: fpu sse avx2 fma\n");
    Path avx512bf16 = dir.resolve("zen4");
    Files.writeString(avx512bf16, "flags\t\t: avx2 avx512f avx512_bf16 avx512_vnni\n");
    assertThat(ConvolutionPrecision.cpuFlags(amx)).contains("amx_bf16", "avx2").doesNotContain("fpu sse");
    assertThat(ConvolutionPrecision.hasBfloat16(ConvolutionPrecision.cpuFlags(amx))).isTrue();
    assertThat(ConvolutionPrecision.hasBfloat16(ConvolutionPrecision.cpuFlags(avx512bf16))).isTrue();
    assertThat(ConvolutionPrecision.hasBfloat16(ConvolutionPrecision.cpuFlags(avx2))).isFalse();
    // avx512f without BF16 (Skylake) is not enough
    assertThat(ConvolutionPrecision.hasBfloat16(Set.of("avx512f", "avx512bw"))).isFalse();
  }

  @Test
  void aMissingCpuinfoMeansNoBfloat16Hardware() {
    assertThat(ConvolutionPrecision.cpuFlags(dir.resolve("absent"))).isEmpty();
  }
}
