package org.restorelab.estimator;

import org.restorelab.config.NoiseConfig;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.TInt64;
import org.tensorflow.types.family.TFloating;

/** The latent Z of G(y, z): draws z [n, dz] statelessly from a [2] int64 seed: zeros, U[0, 1) or N(0, 1). */
public final class LatentNoise {
  private LatentNoise() {}

  public static <T extends TFloating> Operand<T> sample(Ops tf, NoiseConfig config, Operand<TInt64> rows,
      Operand<TInt64> seed, Class<T> type) {
    return sample(tf, config.getDistribution(), config.getDim(), rows, seed, type);
  }

  /** z [rows, dim] of the given distribution (the image estimators' dim comes from their shape). */
  public static <T extends TFloating> Operand<T> sample(Ops tf, NoiseConfig.Distribution distribution, long dim,
      Operand<TInt64> rows, Operand<TInt64> seed, Class<T> type) {
    return sample(tf, distribution, tf.constant(dim), rows, seed, type);
  }

  /** z [rows, dim] with dim read at run time (an estimator of any image size). */
  public static <T extends TFloating> Operand<T> sample(Ops tf, NoiseConfig.Distribution distribution,
      Operand<TInt64> dim, Operand<TInt64> rows, Operand<TInt64> seed, Class<T> type) {
    Operand<TInt64> shape = tf.stack(java.util.List.of(rows, dim));
    return switch (distribution) {
      case ZERO -> tf.zeros(shape, type);
      case UNIFORM -> tf.random.statelessRandomUniform(shape, seed, type);
      case NORMAL -> tf.random.statelessRandomNormal(shape, seed, type);
    };
  }

  /** Whether the estimator is stochastic (z is not fixed at 0). */
  public static boolean stochastic(NoiseConfig config) {
    return config.getDistribution() != NoiseConfig.Distribution.ZERO;
  }
}
