package org.restorelab.cli;

import static org.tensorflow.internal.c_api.global.tensorflow.TF_CloseSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteDeviceList;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeleteStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListCount;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListName;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_DeviceListType;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_GetCode;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_Message;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewGraph;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSession;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewSessionOptions;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_NewStatus;
import static org.tensorflow.internal.c_api.global.tensorflow.TF_SessionListDevices;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import org.restorelab.run.BuildInfo;
import org.tensorflow.TensorFlow;
import org.tensorflow.internal.c_api.TF_DeviceList;
import org.tensorflow.internal.c_api.TF_Graph;
import org.tensorflow.internal.c_api.TF_Session;
import org.tensorflow.internal.c_api.TF_SessionOptions;
import org.tensorflow.internal.c_api.TF_Status;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code restorelab check-gpu}: which TensorFlow native build is in use, which devices it sees,
 * and which CUDA/cuDNN libraries (needed by the GPU build: CUDA 12.5, cuDNN 9.3) are found.
 */
@Command(name = "check-gpu", mixinStandardHelpOptions = true,
    description = "Report the TensorFlow native build, the devices TensorFlow sees, and the CUDA and cuDNN libraries found or missing.")
public final class CheckGpuCommand implements Callable<Integer> {
  /** Shared libraries that TensorFlow's GPU build loads (CUDA 12.x, cuDNN 9.x). */
  static final List<String> CUDA_LIBRARIES = List.of(
      "libcuda.so.1", "libcudart.so.12", "libcublas.so.12", "libcublasLt.so.12", "libcufft.so.11",
      "libcusparse.so.12", "libcusolver.so.11", "libnvJitLink.so.12", "libcudnn.so.9");

  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    out.println("TensorFlow Java " + BuildInfo.tensorflowJavaVersion() + ", native library " + TensorFlow.version());
    out.println("native build in use: " + nativeBuild());
    List<String[]> devices = devices();
    List<String> gpus = new ArrayList<>();
    out.println("devices TensorFlow sees:");
    for (String[] d : devices) {
      out.println("  " + d[1] + "  " + d[0]);
      if (d[1].equals("GPU")) {
        gpus.add(d[0]);
      }
    }
    out.println("CUDA / cuDNN libraries:");
    Map<String, String> libs = findLibraries(CUDA_LIBRARIES);
    libs.forEach((name, where) -> out.println("  " + (where == null ? "MISSING " : "found   ") + name
        + (where == null ? "" : "  " + where)));
    if (gpus.isEmpty()) {
      out.println("GPU: NO - TensorFlow sees no GPU on this machine; everything runs on the CPU.");
      if (!nativeBuild().endsWith("-gpu")) {
        out.println("     (this is the CPU build; build with `mvn -Pgpu package` on a host with CUDA 12.5 and cuDNN 9.3)");
      }
    } else {
      out.println("GPU: YES - " + String.join(", ", gpus));
    }
    out.flush();
    return 0;
  }

  /** The classifier of the native jar on the class path. */
  static String nativeBuild() {
    ClassLoader loader = CheckGpuCommand.class.getClassLoader();
    for (String classifier : List.of("linux-x86_64-gpu", "linux-x86_64", "macosx-arm64", "windows-x86_64")) {
      if (loader.getResource("org/tensorflow/internal/c_api/" + classifier + "/libjnitensorflow.so") != null
          || loader.getResource("org/tensorflow/internal/c_api/" + classifier + "/") != null) {
        return classifier;
      }
    }
    return "unknown (built for " + BuildInfo.nativeClassifier() + ")";
  }

  /** (name, type) of every device a fresh session sees. */
  static List<String[]> devices() {
    TensorFlow.version(); // loads the native library
    List<String[]> devices = new ArrayList<>();
    TF_Status status = TF_NewStatus();
    TF_Graph graph = TF_NewGraph();
    TF_SessionOptions options = TF_NewSessionOptions();
    TF_Session session = TF_NewSession(graph, options, status);
    try {
      check(status);
      TF_DeviceList list = TF_SessionListDevices(session, status);
      check(status);
      for (int i = 0; i < TF_DeviceListCount(list); i++) {
        devices.add(new String[] {
          TF_DeviceListName(list, i, status).getString(), TF_DeviceListType(list, i, status).getString()
        });
      }
      TF_DeleteDeviceList(list);
    } finally {
      TF_CloseSession(session, status);
      TF_DeleteSession(session, status);
      TF_DeleteSessionOptions(options);
      TF_DeleteGraph(graph);
      TF_DeleteStatus(status);
    }
    return devices;
  }

  private static void check(TF_Status status) {
    if (TF_GetCode(status) != 0) {
      throw new IllegalStateException("TensorFlow: " + TF_Message(status).getString());
    }
  }

  /** Where each library is, from LD_LIBRARY_PATH, then the dynamic linker's cache. */
  static Map<String, String> findLibraries(List<String> names) {
    Map<String, String> found = new LinkedHashMap<>();
    String ldCache = ldconfigCache();
    for (String name : names) {
      String where = null;
      String path = System.getenv("LD_LIBRARY_PATH");
      if (path != null) {
        for (String dir : path.split(":")) {
          if (!dir.isEmpty() && Files.exists(Path.of(dir, name))) {
            where = Path.of(dir, name).toString();
            break;
          }
        }
      }
      if (where == null) {
        for (String line : ldCache.split("\n")) {
          if (line.trim().startsWith(name + " ")) {
            where = line.substring(line.indexOf("=>") + 2).trim();
            break;
          }
        }
      }
      found.put(name, where);
    }
    return found;
  }

  private static String ldconfigCache() {
    for (String ldconfig : List.of("/sbin/ldconfig", "/usr/sbin/ldconfig", "ldconfig")) {
      try {
        Process p = new ProcessBuilder(ldconfig, "-p").redirectErrorStream(true).start();
        String text = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (p.waitFor(10, TimeUnit.SECONDS) && p.exitValue() == 0) {
          return text;
        }
      } catch (IOException e) {
        // try the next location
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return "";
      }
    }
    return "";
  }
}
