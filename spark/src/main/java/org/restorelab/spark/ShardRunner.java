package org.restorelab.spark;

import java.io.PrintWriter;
import java.io.Serializable;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Jobs;
import org.restorelab.job.ShardableJob;
import org.restorelab.run.RunFailedException;
import org.restorelab.run.TfSessions;
import org.tensorflow.proto.ConfigProto;

/**
 * Runs one shard of a sharded evaluation in whatever JVM calls it (a Spark executor's): the job
 * from {@link Jobs#create}, its {@link ShardableJob#runShard} into the run folder's
 * {@code partial/shards/shard-<k>/} (each model loaded once per shard), the progress lines to
 * {@code shard-<k>.log} in the run folder, TensorFlow pinned to the task's GPUs as a sweep point's
 * ({@link GpuDevices}). A shard left unfinished (its executor lost) resumes from its partials when
 * Spark retries it. A failure is returned, not thrown, so Spark retries only lost executors.
 */
public final class ShardRunner implements Serializable {
  private static final long serialVersionUID = 1L;

  private final byte[] config;
  private final String dir;
  private final int shards;

  /**
   * @param config the resolved experiment config
   * @param dir the run folder, absolute and reachable from every executor
   * @param shards how many shards the work is split into
   */
  public ShardRunner(ExperimentConfig config, Path dir, int shards) {
    this.config = config.toByteArray();
    this.dir = dir.toAbsolutePath().toString();
    this.shards = shards;
  }

  /** What became of one shard: its seconds, and the error (null when it finished). */
  public record Outcome(int shard, double seconds, String error, boolean badInput) implements Serializable {
    private static final long serialVersionUID = 1L;
  }

  /** The log file of shard {@code shard} in the run folder. */
  public static String log(int shard) {
    return "shard-" + shard + ".log";
  }

  /** Runs shard {@code shard}. */
  public Outcome run(int shard) {
    long start = System.nanoTime();
    Path folder = Path.of(dir);
    try (PrintWriter log = new PrintWriter(Files.newBufferedWriter(folder.resolve(log(shard)), StandardCharsets.UTF_8),
        true)) {
      ShardableJob job = (ShardableJob) Jobs.create(ExperimentConfig.parseFrom(config));
      ConfigProto session = GpuDevices.sessionConfig(GpuDevices.taskAddresses());
      if (session != null) {
        log.println("restorelab-spark: TensorFlow sessions pinned to the task's GPUs: gpu_options.visible_device_list \""
            + session.getGpuOptions().getVisibleDeviceList() + "\"");
      }
      TfSessions.withConfig(session, () -> {
        job.runShard(folder, shard, shards, log);
        return null;
      });
      return new Outcome(shard, (System.nanoTime() - start) / 1e9, null, false);
    } catch (Exception | Error e) {
      boolean bad = e instanceof ConfigException;
      return new Outcome(shard, (System.nanoTime() - start) / 1e9, bad ? e.getMessage() : RunFailedException.summary(e),
          bad);
    }
  }
}
