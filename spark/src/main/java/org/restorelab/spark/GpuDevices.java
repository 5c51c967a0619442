package org.restorelab.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.spark.TaskContext;
import org.apache.spark.resource.ResourceInformation;
import org.restorelab.config.ConfigException;
import org.tensorflow.proto.ConfigProto;
import org.tensorflow.proto.GPUOptions;

/**
 * The GPUs Spark assigned a task, as TensorFlow's session config: the addresses of the task's
 * {@code gpu} resource ({@code TaskContext.get().resources().get("gpu").addresses()}, as the
 * discovery script reported them: CUDA device ordinals) become
 * {@code gpu_options.visible_device_list}, comma-separated in Spark's order, so that the job's
 * sessions see those GPUs only (as {@code /gpu:0}, {@code /gpu:1}, ...). The mapping
 * ({@link #visibleDeviceList}, {@link #sessionConfig}) needs no Spark; {@link PointRunner} applies
 * it around a point's run through the core's {@code run.TfSessions}.
 *
 * <p>TensorFlow fixes its GPU mapping once per process, so an executor JVM must always be given
 * the same GPUs: one GPU task at a time per executor ({@code spark.task.resource.gpu.amount} equal
 * to {@code spark.executor.resource.gpu.amount}).
 */
public final class GpuDevices {
  /** Spark's resource name for GPUs. */
  public static final String RESOURCE = "gpu";

  private GpuDevices() {}

  /**
   * TensorFlow's {@code visible_device_list} for the given GPU addresses, e.g. "1" or "0,1"; null
   * for none (no GPU assigned: TensorFlow's default). An address that is not a CUDA device
   * ordinal (a non-negative integer) is refused, naming it.
   */
  public static String visibleDeviceList(List<String> addresses) {
    if (addresses == null || addresses.isEmpty()) {
      return null;
    }
    List<String> ordinals = new ArrayList<>();
    for (String a : addresses) {
      String s = a == null ? "" : a.trim();
      if (!s.matches("\\d{1,9}")) {
        throw new ConfigException("GPU address \"" + a + "\" assigned by Spark (task resource " + RESOURCE
            + ", addresses " + addresses + ") is not a CUDA device ordinal (0, 1, ...): TensorFlow's"
            + " gpu_options.visible_device_list needs ordinals; make the discovery script"
            + " (spark.executor.resource.gpu.discoveryScript) report nvidia-smi's index");
      }
      String ordinal = Integer.toString(Integer.parseInt(s));
      if (ordinals.contains(ordinal)) {
        throw new ConfigException("GPU address \"" + a + "\" appears twice in the addresses Spark assigned: " + addresses);
      }
      ordinals.add(ordinal);
    }
    return String.join(",", ordinals);
  }

  /** The session config for the given GPU addresses ({@link #visibleDeviceList}); null for none. */
  public static ConfigProto sessionConfig(List<String> addresses) {
    String list = visibleDeviceList(addresses);
    return list == null ? null
        : ConfigProto.newBuilder().setGpuOptions(GPUOptions.newBuilder().setVisibleDeviceList(list)).build();
  }

  /** The addresses of the GPUs Spark assigned the running task; empty outside a task or without GPUs. */
  public static List<String> taskAddresses() {
    TaskContext task = TaskContext.get();
    if (task == null) {
      return List.of();
    }
    Map<String, ResourceInformation> resources = task.resourcesJMap();
    ResourceInformation gpu = resources == null ? null : resources.get(RESOURCE);
    return gpu == null ? List.of() : List.of(gpu.addresses());
  }
}
