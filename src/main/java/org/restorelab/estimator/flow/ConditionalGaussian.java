package org.restorelab.estimator.flow;

import java.util.OptionalDouble;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * The learned prior of one latent level: z ~ N(mean(c), diag(exp(2 logs(c)))) with (mean, logs) from
 * a zero-initialized network of the conditioning c (for a split, the kept channels and the
 * encoder features; for the top level, the encoder features), as Glow's split prior
 * (Kingma and Dhariwal 2018) and SRFlow's Split. Standardizing eps = (z - mean) exp(-logs) is a
 * bijection for a fixed c with log-determinant -sum logs; sampling draws
 * z = mean + exp(logs) T eps, eps ~ N(0, I), at temperature T (SRFlow's "heat"). With a bound
 * {@code logScaleMax}, logs = min(logs(c), logScaleMax) in both directions, so exp(logs) stays
 * finite however large c grows.
 */
public final class ConditionalGaussian<T extends TFloating> {
  private final CouplingNetwork<T> network;
  private final int channels;
  private final OptionalDouble logScaleMax;

  public ConditionalGaussian(Parameters<T> params, String name, int channels, int conditionChannels, int hidden) {
    this(params, name, channels, conditionChannels, hidden, OptionalDouble.empty());
  }

  /** A prior whose log standard deviation is at most {@code logScaleMax} (empty: unbounded). */
  public ConditionalGaussian(Parameters<T> params, String name, int channels, int conditionChannels, int hidden,
      OptionalDouble logScaleMax) {
    this.network = new CouplingNetwork<>(params, name, conditionChannels, hidden, 2 * channels);
    this.channels = channels;
    this.logScaleMax = logScaleMax;
  }

  /** logs(c), bounded above by logScaleMax when there is one. */
  private Operand<T> logScale(Ops tf, Operand<T> h) {
    Operand<T> logs = Channels.take(tf, h, channels, 2 * channels);
    return logScaleMax.isPresent() ? tf.math.minimum(logs, Graphs.constant(tf, logScaleMax.getAsDouble(), h.type()))
        : logs;
  }

  /** eps = (z - mean(c)) exp(-logs(c)), with log-determinant -sum logs per row. */
  public Transformed<T> standardize(Ops tf, Operand<T> z, Operand<T> c) {
    Operand<T> h = network.apply(tf, c);
    Operand<T> mean = Channels.take(tf, h, 0, channels);
    Operand<T> logs = logScale(tf, h);
    Operand<T> eps = tf.math.mul(tf.math.sub(z, mean), tf.math.exp(tf.math.neg(logs)));
    return new Transformed<>(eps, tf.math.neg(Graphs.sumPerRow(tf, logs)));
  }

  /** z = mean(c) + exp(logs(c)) T eps. */
  public Operand<T> sample(Ops tf, Operand<T> eps, Operand<T> c, Operand<T> temperature) {
    Operand<T> h = network.apply(tf, c);
    Operand<T> mean = Channels.take(tf, h, 0, channels);
    Operand<T> logs = logScale(tf, h);
    return tf.math.add(mean, tf.math.mul(tf.math.exp(logs), tf.math.mul(eps, temperature)));
  }

  /** log N(eps; 0, I) per row [n]. */
  public static <T extends TFloating> Operand<T> standardNormalLogDensity(Ops tf, Operand<T> eps, long elements) {
    Operand<T> quadratic = tf.math.mul(Graphs.sumPerRow(tf, tf.math.square(eps)), Graphs.constant(tf, -0.5, eps.type()));
    return tf.math.sub(quadratic, Graphs.constant(tf, 0.5 * elements * Math.log(2 * Math.PI), eps.type()));
  }

}
