package org.restorelab.train;

import java.util.SplittableRandom;
import org.restorelab.config.ToyGanConfig;
import org.restorelab.data.Points;
import org.restorelab.data.UnitDisk;
import org.restorelab.run.Seeds;

/**
 * The toy GAN's data feeding: each iteration's two batches (the estimator's, then the critic's) of
 * the {@code train_size} unit-disk samples, as rows (x1, x2), fixed by (seed, step), so a resumed
 * run draws the batches an uninterrupted one would.
 */
public final class ToyBatches {
  private final ToyGanConfig config;
  private final long seed;
  private final float[] data;
  private final int n;
  private long cachedEpoch = -1;
  private int[] cachedPermutation;

  public ToyBatches(ToyGanConfig config, long seed) {
    this(config, seed, trainingSet(config, seed));
  }

  ToyBatches(ToyGanConfig config, long seed, Points data) {
    this.config = config;
    this.seed = seed;
    this.data = data.toFeatures().data();
    this.n = data.size();
  }

  /** The training set: {@code train_size} samples of the unit disk, fixed by the seed. */
  public static Points trainingSet(ToyGanConfig config, long seed) {
    return new UnitDisk().sample(config.getData().getTrainSize(), Seeds.random(seed, "toy/data/train"));
  }

  /** The estimator's and the critic's batch of 0-based {@code step}, [batch * 2] each. */
  public float[][] at(long step) {
    int batch = config.getBatchSize();
    if (config.getBatchSampling() == ToyGanConfig.BatchSampling.SHUFFLED_EPOCHS) {
      return new float[][] {rows(epochRows(n, batch, 2 * step)), rows(epochRows(n, batch, 2 * step + 1))};
    }
    SplittableRandom random = Seeds.random(seed, "toy/batch/" + step);
    return new float[][] {drawn(batch, random), drawn(batch, random)};
  }

  /**
   * The rows of the b-th batch of a run that walks through epochs of fresh permutations of the n
   * training samples (the estimator's batch of step s is b = 2s, the critic's 2s + 1); a batch that
   * crosses an epoch's end continues in the next epoch's permutation.
   */
  int[] epochRows(int n, int batch, long b) {
    int[] rows = new int[batch];
    long first = b * batch;
    long epoch = -1;
    int[] perm = null;
    for (int i = 0; i < batch; i++) {
      long position = first + i;
      if (position / n != epoch) {
        epoch = position / n;
        perm = permutation(n, epoch);
      }
      rows[i] = perm[(int) (position % n)];
    }
    return rows;
  }

  /** Fisher-Yates permutation of 0..n-1 for an epoch, from (seed, epoch) alone. */
  private int[] permutation(int n, long epoch) {
    if (cachedEpoch == epoch && cachedPermutation != null && cachedPermutation.length == n) {
      return cachedPermutation;
    }
    SplittableRandom r = Seeds.random(seed, "toy/epoch/" + epoch);
    int[] p = new int[n];
    for (int i = 0; i < n; i++) {
      p[i] = i;
    }
    for (int i = n - 1; i > 0; i--) {
      int j = r.nextInt(i + 1);
      int t = p[i];
      p[i] = p[j];
      p[j] = t;
    }
    cachedEpoch = epoch;
    cachedPermutation = p;
    return p;
  }

  private float[] rows(int[] rows) {
    float[] b = new float[2 * rows.length];
    for (int i = 0; i < rows.length; i++) {
      b[2 * i] = data[2 * rows[i]];
      b[2 * i + 1] = data[2 * rows[i] + 1];
    }
    return b;
  }

  private float[] drawn(int batch, SplittableRandom random) {
    float[] b = new float[2 * batch];
    for (int i = 0; i < batch; i++) {
      int j = random.nextInt(n);
      b[2 * i] = data[2 * j];
      b[2 * i + 1] = data[2 * j + 1];
    }
    return b;
  }
}
