package org.restorelab.spark;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.spark.api.java.JavaSparkContext;
import org.restorelab.config.DistanceBackend;
import org.restorelab.config.PrecisionRecallConfig;
import org.restorelab.metric.FeatureFile;
import org.restorelab.metric.Features;
import org.restorelab.metric.PairwiseDistances;
import org.restorelab.metric.PrecisionRecall;
import org.restorelab.metric.PrecisionRecallEngine;

/**
 * Precision/recall of a sharded evaluation as the blocked k-NN over the cluster
 * ({@link BlockedPrecisionRecall}, {@code --precision-recall blocked}): each call writes the two
 * feature sets into {@code scratch} (in the run folder, which every executor sees), runs the two
 * Spark jobs and deletes them again (the real set is written once while it stays the same). The
 * float32 tiles of the config's backend (AUTO by the dimension) with its k and tile size: the same
 * numbers as the driver's {@link PrecisionRecallEngine#LOCAL}, whose bfloat16 candidate pass is
 * exact too.
 */
final class BlockedPrecisionRecallEngine implements PrecisionRecallEngine, AutoCloseable {
  private final JavaSparkContext sc;
  private final Path scratch;
  private final int tasks;
  private int calls;
  private Features lastReal;
  private Path lastRealFile;

  BlockedPrecisionRecallEngine(JavaSparkContext sc, Path scratch, int tasks) {
    this.sc = sc;
    this.scratch = scratch.toAbsolutePath();
    this.tasks = tasks;
  }

  @Override
  public synchronized PrecisionRecall.Result compute(PrecisionRecallConfig config, Features real, Features generated) {
    try {
      Files.createDirectories(scratch);
      int call = calls++;
      if (real != lastReal) {
        deleteLastReal();
        lastRealFile = scratch.resolve("real-" + call + ".f32");
        FeatureFile.write(lastRealFile, real);
        lastReal = real;
      }
      Path generatedFile = scratch.resolve("generated-" + call + ".f32");
      FeatureFile.write(generatedFile, generated);
      try {
        DistanceBackend backend = PairwiseDistances.resolve(config.getBackend(), generated.dim());
        return BlockedPrecisionRecall.compute(sc, BlockedPrecisionRecall.Inputs.of(lastRealFile, real.count(),
            generatedFile, generated.count(), real.dim()), config.getK(), config.getTileSize(), backend, tasks).result();
      } finally {
        Files.deleteIfExists(generatedFile);
      }
    } catch (IOException e) {
      throw new UncheckedIOException("precision/recall scratch files in " + scratch + ": " + e.getMessage(), e);
    }
  }

  private void deleteLastReal() throws IOException {
    if (lastRealFile != null) {
      Files.deleteIfExists(lastRealFile);
      lastRealFile = null;
      lastReal = null;
    }
  }

  /** Deletes what is left in the scratch folder (the last real set) and the folder if empty. */
  @Override
  public synchronized void close() throws IOException {
    deleteLastReal();
    if (Files.isDirectory(scratch)) {
      try (var left = Files.list(scratch)) {
        if (left.findAny().isEmpty()) {
          Files.delete(scratch);
        }
      }
    }
  }
}
