package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConfigException;
import org.tensorflow.proto.ConfigProto;

/** Spark's GPU addresses of a task as TensorFlow's gpu_options.visible_device_list (no Spark, no GPU needed). */
class GpuDevicesTest {
  @Test
  void noGpuMeansTensorFlowsDefault() {
    assertThat(GpuDevices.visibleDeviceList(List.of())).isNull();
    assertThat(GpuDevices.visibleDeviceList(null)).isNull();
    assertThat(GpuDevices.sessionConfig(List.of())).isNull();
  }

  @Test
  void oneGpu() {
    assertThat(GpuDevices.visibleDeviceList(List.of("1"))).isEqualTo("1");
    ConfigProto config = GpuDevices.sessionConfig(List.of("1"));
    assertThat(config.getGpuOptions().getVisibleDeviceList()).isEqualTo("1");
    // nothing else of TensorFlow's defaults is changed
    assertThat(config.toBuilder().clearGpuOptions().build()).isEqualTo(ConfigProto.getDefaultInstance());
    assertThat(config.getGpuOptions().toBuilder().clearVisibleDeviceList().build().getSerializedSize()).isZero();
  }

  @Test
  void twoGpusInSparksOrder() {
    assertThat(GpuDevices.visibleDeviceList(List.of("0", "1"))).isEqualTo("0,1");
    assertThat(GpuDevices.visibleDeviceList(List.of("3", "2"))).isEqualTo("3,2");
    assertThat(GpuDevices.visibleDeviceList(Arrays.asList(" 2", "07"))).isEqualTo("2,7");
    assertThat(GpuDevices.sessionConfig(List.of("0", "1")).getGpuOptions().getVisibleDeviceList()).isEqualTo("0,1");
  }

  @Test
  void aNonNumericAddressIsRefusedNamingIt() {
    assertThatThrownBy(() -> GpuDevices.visibleDeviceList(List.of("0", "GPU-5d3f")))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("GPU address \"GPU-5d3f\" assigned by Spark")
        .hasMessageContaining("addresses [0, GPU-5d3f]")
        .hasMessageContaining("not a CUDA device ordinal")
        .hasMessageContaining("spark.executor.resource.gpu.discoveryScript");
    assertThatThrownBy(() -> GpuDevices.sessionConfig(List.of("-1"))).hasMessageContaining("\"-1\"");
    assertThatThrownBy(() -> GpuDevices.sessionConfig(List.of(""))).hasMessageContaining("GPU address \"\"");
    assertThatThrownBy(() -> GpuDevices.visibleDeviceList(List.of("1", "01"))).hasMessageContaining("appears twice");
  }

  @Test
  void outsideASparkTaskThereAreNoAddresses() {
    assertThat(GpuDevices.taskAddresses()).isEmpty();
  }

  /** Runs spark/getGpusResources.sh with a stand-in nvidia-smi printing {@code indices} (none: not installed). */
  static com.google.gson.JsonObject discover(java.nio.file.Path dir, String indices) throws Exception {
    java.nio.file.Path bin = java.nio.file.Files.createDirectories(dir.resolve("bin"));
    java.nio.file.Path smi = bin.resolve("nvidia-smi");
    java.nio.file.Files.deleteIfExists(smi);
    if (indices != null) {
      java.nio.file.Files.writeString(smi, "#!/bin/sh\nprintf '" + indices + "'\n");
      smi.toFile().setExecutable(true);
    }
    ProcessBuilder pb = new ProcessBuilder("bash", java.nio.file.Path.of("getGpusResources.sh").toAbsolutePath().toString());
    pb.environment().put("PATH", bin + ":/usr/bin:/bin");
    pb.redirectErrorStream(true);
    Process p = pb.start();
    String out = new String(p.getInputStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
    assertThat(p.waitFor()).as(out).isZero();
    return com.google.gson.JsonParser.parseString(out).getAsJsonObject();
  }

  @Test
  void theDiscoveryScriptReportsNvidiaSmisIndices(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
    com.google.gson.JsonObject two = discover(dir, "0\\n1\\n");
    assertThat(two.get("name").getAsString()).isEqualTo(GpuDevices.RESOURCE);
    assertThat(two.getAsJsonArray("addresses").toString()).isEqualTo("[\"0\",\"1\"]");
    List<String> addresses = new java.util.ArrayList<>();
    two.getAsJsonArray("addresses").forEach(a -> addresses.add(a.getAsString()));
    assertThat(GpuDevices.visibleDeviceList(addresses)).isEqualTo("0,1");
    assertThat(discover(dir, "").getAsJsonArray("addresses")).isEmpty();
    assertThat(discover(dir, null).getAsJsonArray("addresses")).isEmpty();
  }
}
