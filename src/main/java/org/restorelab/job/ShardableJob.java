package org.restorelab.job;

import java.io.PrintWriter;
import java.nio.file.Path;

/**
 * A job whose batch work splits into shards over its inputs (the image evaluations): each shard
 * runs in any JVM (a Spark task of {@code restorelab-spark evaluate-images}) into the run folder's
 * {@code partial/shards/}, in the resumable partial format; {@link #mergeShards} joins them into
 * {@code partial/}, and {@link Job#run} in that folder then resumes with the batch work done and
 * gives the numbers of an unsharded run.
 */
public interface ShardableJob extends Job {
  /**
   * Shard {@code shard} (0-based) of {@code shards} of the batch work, into run folder
   * {@code dir}; resumes a shard left unfinished there. Progress lines go to {@code log}.
   */
  void runShard(Path dir, int shard, int shards, PrintWriter log) throws Exception;

  /** Joins the {@code shards} finished shards in run folder {@code dir} into its {@code partial/}. */
  void mergeShards(Path dir, int shards) throws Exception;
}
