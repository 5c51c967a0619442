package org.restorelab.run;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.tensorflow.TensorFlow;

/**
 * What a run needs to be reproduced: the code (git commit, RestoreLab version), the libraries
 * (Java, TensorFlow, protobuf), the machine and the seed. Written as {@code run.json}.
 */
public final class Provenance {
  private Provenance() {}

  /** The provenance of a run starting now, for {@code command} with {@code seed}. */
  public static JsonObject capture(String command, List<String> args, String experiment, long seed) {
    JsonObject run = new JsonObject();
    run.addProperty("command", command);
    run.add("args", new com.google.gson.Gson().toJsonTree(args));
    run.addProperty("experiment", experiment);
    run.addProperty("seed", Long.toUnsignedString(seed));
    run.addProperty("git_commit", gitCommit());
    run.addProperty("git_dirty", gitDirty());
    run.addProperty("build_commit", BuildInfo.commit());
    run.addProperty("build_dirty", BuildInfo.dirty());
    JsonObject versions = new JsonObject();
    versions.addProperty("restorelab", BuildInfo.version());
    versions.addProperty("java", System.getProperty("java.version") + " (" + System.getProperty("java.vendor") + ")");
    versions.addProperty("tensorflow_java", BuildInfo.tensorflowJavaVersion());
    versions.addProperty("tensorflow_native", tensorflowVersion());
    versions.addProperty("tensorflow_native_classifier", BuildInfo.nativeClassifier());
    versions.addProperty("protobuf_java", BuildInfo.protobufVersion());
    versions.addProperty("os", System.getProperty("os.name") + " " + System.getProperty("os.version")
        + " " + System.getProperty("os.arch"));
    run.add("versions", versions);
    run.addProperty("host", hostName());
    run.addProperty("pid", ProcessHandle.current().pid());
    run.addProperty("cpus", Runtime.getRuntime().availableProcessors());
    run.addProperty("start_time", Instant.now().toString());
    run.addProperty("status", "running");
    return run;
  }

  /** Marks {@code run} finished now. */
  public static void finish(JsonObject run, String status) {
    run.addProperty("end_time", Instant.now().toString());
    run.addProperty("status", status);
  }

  /** The version string of the loaded TensorFlow native library. */
  public static String tensorflowVersion() {
    try {
      return TensorFlow.version();
    } catch (Throwable t) {
      return "unavailable (" + t.getClass().getSimpleName() + ": " + t.getMessage() + ")";
    }
  }

  /** {@code git rev-parse HEAD} of the working directory, or "unknown" outside a repository. */
  public static String gitCommit() {
    String out = git("rev-parse", "HEAD");
    return out == null || out.isBlank() ? "unknown" : out.trim();
  }

  /** Whether tracked files differ from the commit ("unknown" outside a repository). */
  public static String gitDirty() {
    String out = git("status", "--porcelain", "--untracked-files=no");
    return out == null ? "unknown" : Boolean.toString(!out.isBlank());
  }

  private static String git(String... args) {
    try {
      String[] cmd = new String[args.length + 1];
      cmd[0] = "git";
      System.arraycopy(args, 0, cmd, 1, args.length);
      Process p = new ProcessBuilder(cmd).directory(Path.of("").toAbsolutePath().toFile())
          .redirectErrorStream(false).start();
      p.getOutputStream().close();
      byte[] out = p.getInputStream().readAllBytes();
      p.getErrorStream().readAllBytes();
      if (!p.waitFor(10, TimeUnit.SECONDS) || p.exitValue() != 0) {
        return null;
      }
      return new String(out, StandardCharsets.UTF_8);
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  private static String hostName() {
    try {
      return InetAddress.getLocalHost().getHostName();
    } catch (IOException e) {
      return "unknown";
    }
  }
}
