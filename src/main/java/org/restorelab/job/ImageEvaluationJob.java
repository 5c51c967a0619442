package org.restorelab.job;

import org.restorelab.config.ExperimentConfig;
import org.restorelab.run.JobOutput;

/**
 * An {@code image_evaluation} job: Table 1's metrics, consistency and a Figure 1 grid for image
 * estimators given as SavedModels (ours or anyone's) on one task, with posterior metrics when the
 * config asks; run as an {@link ImageEvaluationSuiteJob} of one, into the run folder itself.
 */
public final class ImageEvaluationJob implements ShardableJob {
  private final ImageEvaluationSuiteJob suite;

  /** The job of an experiment with an {@code image_evaluation} job, validated. */
  public ImageEvaluationJob(ExperimentConfig config) {
    this.suite = new ImageEvaluationSuiteJob(config);
  }

  @Override
  public ExperimentConfig config() {
    return suite.config();
  }

  @Override
  public void preflight() {
    suite.preflight();
  }

  @Override
  public JobOutput run(JobContext context) throws Exception {
    return suite.run(context);
  }

  @Override
  public void runShard(java.nio.file.Path dir, int shard, int shards, java.io.PrintWriter log) throws Exception {
    suite.runShard(dir, shard, shards, log);
  }

  @Override
  public void mergeShards(java.nio.file.Path dir, int shards) throws Exception {
    suite.mergeShards(dir, shards);
  }
}
