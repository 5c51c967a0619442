package org.restorelab.spark;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.restorelab.cli.RestoreLab;
import org.restorelab.train.Checkpoint;

/**
 * A real Spark standalone cluster on loopback: a Master and a Worker (2 cores, two stand-in GPUs)
 * as child JVMs on this module's test class path, two executors of 1 core and 1 GPU each. A
 * 2-point toy sweep on it equals sequential {@code restorelab train} runs bit for bit, each task
 * pinned to its GPU; a second sweep whose executor is killed (SIGKILL) mid-task completes all the
 * same, Spark rescheduling the task and the point resuming from its checkpoint.
 */
@Tag("cluster")
class ClusterTest {
  static Path home;
  static Process master;
  static Process worker;
  static int masterPort;

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** A child JVM on this JVM's class path and module options, its output in {@code log}. */
  static Process java(Path log, Map<String, String> env, List<String> jvm, String... args) throws IOException {
    List<String> cmd = new ArrayList<>();
    cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("--add-opens") || a.startsWith("-XX:+IgnoreUnrecognizedVMOptions") || a.startsWith("-Djdk.reflect")
          || a.startsWith("-Dio.netty")) {
        cmd.add(a);
      }
    }
    cmd.addAll(jvm);
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path")));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile());
    pb.environment().putAll(env);
    return pb.start();
  }

  static void awaitListening(int port, Process p, Path log) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    while (System.nanoTime() < deadline) {
      assertThat(p.isAlive()).as(Files.readString(log)).isTrue();
      try (Socket s = new Socket()) {
        s.connect(new InetSocketAddress("127.0.0.1", port), 200);
        return;
      } catch (IOException e) {
        Thread.sleep(200);
      }
    }
    throw new AssertionError("nothing listens on 127.0.0.1:" + port + "\n" + Files.readString(log));
  }

  @BeforeAll
  static void startCluster() throws Exception {
    home = Files.createTempDirectory("restorelab-cluster");
    // a Spark home for the Worker's executor command: a release layout whose jars/ is empty, the
    // executors' classes coming from the driver's spark.executor.extraClassPath (SweepDriver)
    Files.createDirectories(home.resolve("spark-home/jars"));
    Files.writeString(home.resolve("spark-home/RELEASE"), "stand-in Spark home for ClusterTest\n");
    Path gpus = home.resolve("two-gpus.sh");
    Files.writeString(gpus, "#!/bin/sh\necho '{\"name\": \"gpu\", \"addresses\": [\"0\", \"1\"]}'\n");
    gpus.toFile().setExecutable(true);
    Map<String, String> env = Map.of("SPARK_HOME", home.resolve("spark-home").toString(), "SPARK_SCALA_VERSION", "2.13",
        "SPARK_LOCAL_IP", "127.0.0.1");
    masterPort = freePort();
    master = java(home.resolve("master.log"), env, List.of("-Xmx256m"), "org.apache.spark.deploy.master.Master",
        "--host", "127.0.0.1", "--port", Integer.toString(masterPort), "--webui-port", Integer.toString(freePort()));
    awaitListening(masterPort, master, home.resolve("master.log"));
    int workerPort = freePort();
    worker = java(home.resolve("worker.log"), env, List.of("-Xmx256m", "-Dspark.worker.resource.gpu.amount=2",
            "-Dspark.worker.resource.gpu.discoveryScript=" + gpus),
        "org.apache.spark.deploy.worker.Worker", "--host", "127.0.0.1", "--port", Integer.toString(workerPort),
        "--webui-port", Integer.toString(freePort()), "--cores", "2", "--memory", "2g",
        "--work-dir", home.resolve("work").toString(), "spark://127.0.0.1:" + masterPort);
    awaitListening(workerPort, worker, home.resolve("worker.log"));
  }

  @AfterAll
  static void stopCluster() throws Exception {
    try {
      stopProcesses();
    } finally {
      if (home != null) {
        try (var walk = Files.walk(home)) {
          walk.sorted(java.util.Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        }
      }
    }
  }

  static void stopProcesses() throws Exception {
    for (Process p : new Process[] {worker, master}) {
      if (p != null) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroy();
        if (!p.waitFor(10, TimeUnit.SECONDS)) {
          p.destroyForcibly();
        }
      }
    }
  }

  /** The executor JVMs the Worker runs now (their command lines, read from /proc: ProcessHandle.Info may lack them). */
  static List<ProcessHandle> executors() {
    return worker.descendants().filter(h -> {
      try {
        return Files.readString(Path.of("/proc", Long.toString(h.pid()), "cmdline"), java.nio.charset.StandardCharsets.ISO_8859_1)
            .contains("org.apache.spark.executor.CoarseGrainedExecutorBackend");
      } catch (IOException | RuntimeException e) {
        return false;
      }
    }).toList();
  }

  static SweepTest.Run sweep(Path sweep) {
    return SweepTest.run(RestoreLabSpark.commandLine(), "sweep", "--config", sweep.toString(),
        "--master", "spark://127.0.0.1:" + masterPort,
        "--conf", "spark.driver.host=127.0.0.1", "--conf", "spark.driver.bindAddress=127.0.0.1",
        "--conf", "spark.ui.enabled=false",
        "--conf", "spark.executor.cores=1", "--conf", "spark.executor.memory=768m",
        "--conf", "spark.executor.resource.gpu.amount=1", "--conf", "spark.task.resource.gpu.amount=1");
  }

  /** The point's run folder equals an uninterrupted sequential train run of {@code base} with {@code seed}. */
  static void assertSameAsSequential(Path point, Path base, String seed, Path sequential, long steps) throws Exception {
    SweepTest.Run train = SweepTest.run(RestoreLab.commandLine(), "train", "--config", base.toString(), "--seed", seed,
        "--out", sequential.toString());
    assertThat(train.exit()).as(train.out() + train.err()).isZero();
    JsonObject ra = SweepTest.json(point.resolve("results.json"));
    JsonObject rb = SweepTest.json(sequential.resolve("results.json"));
    ra.remove("seconds_per_iteration");
    rb.remove("seconds_per_iteration");
    assertThat(ra).as(point.toString()).isEqualTo(rb);
    assertThat(ra.get("step").getAsLong()).isEqualTo(steps);
    assertThat(Files.readString(point.resolve("config.pbtxt"))).isEqualTo(Files.readString(sequential.resolve("config.pbtxt")));
    assertThat(Files.readAllBytes(point.resolve("checkpoint.bin"))).isEqualTo(Files.readAllBytes(sequential.resolve("checkpoint.bin")));
    assertThat(ResumeTest.lossRows(point.resolve("metrics.csv"))).isEqualTo(ResumeTest.lossRows(sequential.resolve("metrics.csv")));
    Map<String, byte[]> wa = SweepTest.files(point.resolve("savedmodel/variables"));
    Map<String, byte[]> wb = SweepTest.files(sequential.resolve("savedmodel/variables"));
    assertThat(wa).isNotEmpty();
    assertThat(wa.keySet()).isEqualTo(wb.keySet());
    for (String f : wa.keySet()) {
      assertThat(wa.get(f)).as(point + " " + f).isEqualTo(wb.get(f));
    }
  }

  static final Pattern PINNED = Pattern.compile("gpu_options.visible_device_list \"([^\"]*)\"");

  /** The visible_device_list the point's console.log names, per session. */
  static List<String> pinnedTo(Path point) throws IOException {
    List<String> lists = new ArrayList<>();
    Matcher m = PINNED.matcher(Files.readString(point.resolve(PointRunner.CONSOLE)));
    while (m.find()) {
      lists.add(m.group(1));
    }
    return lists;
  }

  @Test
  void aSweepOnAStandaloneClusterEqualsSequentialRunsAndSurvivesAKilledExecutor() throws Exception {
    Path dir = home.resolve("test");
    Files.createDirectories(dir);
    String report = "";
    try {
      // 1. two tiny points (30 steps), one per executor
      Path rootA = dir.resolve("tiny");
      Path sweepA = dir.resolve("tiny.pbtxt");
      Files.writeString(sweepA, "base_config: \"%s\"\nseeds: [5, 6]\noutput_root: \"%s\"\n".formatted(SweepTest.BASE, rootA));
      long t0 = System.nanoTime();
      SweepTest.Run a = sweep(sweepA);
      double secondsA = (System.nanoTime() - t0) / 1e9;
      assertThat(a.exit()).as(a.out() + a.err()).isZero();
      assertThat(a.out()).contains("the executors get this JVM's class path", "2 points (0 finished earlier)");
      Set<String> gpus = new TreeSet<>();
      Set<Long> pids = new TreeSet<>();
      for (String seed : List.of("5", "6")) {
        Path point = rootA.resolve("seed=" + seed);
        assertThat(SweepTest.json(point.resolve("run.json")).get("status").getAsString()).isEqualTo("finished");
        long pid = SweepTest.json(point.resolve("run.json")).get("pid").getAsLong();
        assertThat(pid).isNotEqualTo(ProcessHandle.current().pid()); // ran in an executor, not in the driver
        pids.add(pid);
        List<String> pinned = pinnedTo(point);
        assertThat(pinned).hasSize(1);
        assertThat(pinned.get(0)).isIn("0", "1");
        gpus.add(pinned.get(0));
        assertSameAsSequential(point, SweepTest.BASE, seed, dir.resolve("tiny-sequential/seed=" + seed), 30);
      }
      if (pids.size() == 2) {
        assertThat(gpus).as("two executors, two GPUs").containsExactly("0", "1");
      }
      report += a.out() + String.format("cluster sweep of 2 tiny points: %.1f s (%d executor JVMs, GPUs %s)%n", secondsA,
          pids.size(), gpus);

      // 2. two longer points (2,000 steps, a checkpoint every 100); one executor is killed mid-task
      Path base = dir.resolve("toy-gan-2000.pbtxt");
      Files.writeString(base, Files.readString(SweepTest.BASE).replace("steps: 30", "steps: 2000")
          .replace("checkpoint_every: 10", "checkpoint_every: 100").replace("log_every: 10", "log_every: 100"));
      Path rootB = dir.resolve("killed");
      Path sweepB = dir.resolve("killed.pbtxt");
      Files.writeString(sweepB, "base_config: \"%s\"\nseeds: [5, 6]\noutput_root: \"%s\"\n".formatted(base, rootB));
      long t1 = System.nanoTime();
      CompletableFuture<SweepTest.Run> running = CompletableFuture.supplyAsync(() -> sweep(sweepB));
      String killedPoint = null;
      long killedPid = -1;
      long seenStep = -1;
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
      while (killedPoint == null && !running.isDone() && System.nanoTime() < deadline) {
        for (String seed : List.of("5", "6")) {
          Path point = rootB.resolve("seed=" + seed);
          Path ckpt = point.resolve(PointRunner.CHECKPOINT);
          if (!Files.isRegularFile(point.resolve("run.json")) || !Files.isRegularFile(ckpt)) {
            continue;
          }
          JsonObject run = SweepTest.json(point.resolve("run.json"));
          long step = Checkpoint.step(ckpt);
          if (!run.get("status").getAsString().equals("running") || step < 100 || step >= 1500) {
            continue;
          }
          long pid = run.get("pid").getAsLong();
          Optional<ProcessHandle> executor = executors().stream().filter(h -> h.pid() == pid).findFirst();
          assertThat(executor).as("the point runs in an executor of the Worker: PID " + pid).isPresent();
          assertThat(executor.get().destroyForcibly()).isTrue(); // SIGKILL, mid-task
          executor.get().onExit().get(30, TimeUnit.SECONDS);
          killedPoint = point.getFileName().toString();
          killedPid = pid;
          seenStep = step;
          break;
        }
        Thread.sleep(20);
      }
      assertThat(killedPoint).as("an executor was killed while its point trained").isNotNull();
      SweepTest.Run b = running.get(150, TimeUnit.SECONDS);
      double secondsB = (System.nanoTime() - t1) / 1e9;
      assertThat(b.exit()).as(b.out() + b.err()).isZero();
      Path killed = rootB.resolve(killedPoint);
      JsonObject run = SweepTest.json(killed.resolve("run.json"));
      assertThat(run.get("status").getAsString()).isEqualTo("finished");
      assertThat(run.get("pid").getAsLong()).isNotEqualTo(killedPid);
      JsonObject earlier = run.getAsJsonArray("earlier_sessions").get(0).getAsJsonObject();
      assertThat(earlier.get("status").getAsString()).isEqualTo("killed");
      assertThat(earlier.get("pid").getAsLong()).isEqualTo(killedPid);
      Matcher resumed = Pattern.compile("resuming from .*checkpoint.bin at step (\\d+)")
          .matcher(Files.readString(killed.resolve(PointRunner.CONSOLE)));
      assertThat(resumed.find()).as(Files.readString(killed.resolve(PointRunner.CONSOLE))).isTrue();
      long resumedAt = Long.parseLong(resumed.group(1));
      assertThat(resumedAt).isBetween(seenStep, 1999L);
      assertThat(b.out()).contains(killedPoint).contains("finished (resumed from its checkpoint)");
      for (String seed : List.of("5", "6")) {
        assertSameAsSequential(rootB.resolve("seed=" + seed), base, seed, dir.resolve("killed-sequential/seed=" + seed), 2000);
      }
      report += b.out() + String.format("cluster sweep of 2 points of 2000 steps, executor %d of %s killed at checkpoint"
          + " step %d, resumed at step %d: %.1f s%n", killedPid, killedPoint, seenStep, resumedAt, secondsB);
      System.out.print(report);
    } catch (AssertionError | Exception e) {
      System.out.print(report);
      for (String log : List.of("master.log", "worker.log")) {
        System.out.println("---- " + log + "\n" + tail(home.resolve(log)));
      }
      try (var logs = Files.walk(home.resolve("work"))) {
        for (Path p : logs.filter(p -> p.getFileName().toString().equals("stderr")).toList()) {
          System.out.println("---- " + p + "\n" + tail(p));
        }
      } catch (IOException ignored) {
        // no executor logs
      }
      throw e;
    }
  }

  static String tail(Path file) {
    try {
      List<String> lines = Files.readAllLines(file);
      return String.join("\n", lines.subList(Math.max(0, lines.size() - 40), lines.size()));
    } catch (IOException e) {
      return "(" + e.getMessage() + ")";
    }
  }
}
