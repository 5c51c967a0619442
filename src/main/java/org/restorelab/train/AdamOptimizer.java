package org.restorelab.train;

import java.util.ArrayList;
import java.util.List;
import org.restorelab.config.OptimizerConfig;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Initializer;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * Adam for one network, over that network's variables only (a GAN has two optimizers; an
 * optimizer over "all variables" would also move the other network and the other's slots).
 * The learning rate and the bias-correction powers beta^t are fed each step, so a schedule
 * and a resumed step count need no graph change. Slots are variables named
 * {@code <variable>_adam_m} and {@code <variable>_adam_v}, saved with checkpoints.
 */
public final class AdamOptimizer {
  private final Ops tf;
  private final Parameters<TFloat32> params;
  private final OptimizerConfig config;
  private final Parameters<TFloat32> slots;
  private final List<Parameters.Parameter<TFloat32>> m = new ArrayList<>();
  private final List<Parameters.Parameter<TFloat32>> v = new ArrayList<>();
  private final Placeholder<TFloat32> lr;
  private final Placeholder<TFloat32> beta1Power;
  private final Placeholder<TFloat32> beta2Power;

  public AdamOptimizer(Ops tf, Parameters<TFloat32> params, OptimizerConfig config) {
    this.tf = tf;
    this.params = params;
    this.config = config;
    this.slots = new Parameters<>(tf, params.network() + "_adam", 0, TFloat32.class);
    for (Parameters.Parameter<TFloat32> p : params.list()) {
      m.add(slots.create(p.name().substring(params.network().length() + 1) + "_m", p.shape(), Initializer.zeros()));
      v.add(slots.create(p.name().substring(params.network().length() + 1) + "_v", p.shape(), Initializer.zeros()));
    }
    String n = params.network();
    lr = tf.withName(n + "_lr").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta1Power = tf.withName(n + "_beta1_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
    beta2Power = tf.withName(n + "_beta2_power").placeholder(TFloat32.class, Placeholder.shape(Shape.scalar()));
  }

  /**
   * One Adam update of every variable with {@code grads} (in {@link Parameters#list()} order).
   * Every update waits for every gradient: an update runs in place on the variable's buffer,
   * which the variable's reads alias, so an update that ran as soon as its own gradient was
   * ready would race with backprop ops of lower layers that still read the old value.
   */
  public Op apply(List<Operand<TFloat32>> grads) {
    List<Op> updates = new ArrayList<>();
    List<Parameters.Parameter<TFloat32>> list = params.list();
    List<Op> gradientsDone = new ArrayList<>();
    for (Operand<TFloat32> g : grads) {
      gradientsDone.add(tf.identity(g));
    }
    Ops after = tf.withControlDependencies(gradientsDone);
    for (int i = 0; i < list.size(); i++) {
      updates.add(after.train.applyAdam(list.get(i).variable(), m.get(i).variable(), v.get(i).variable(),
          beta1Power, beta2Power, lr,
          Graphs.constant(tf, config.getBeta1(), TFloat32.class),
          Graphs.constant(tf, config.getBeta2(), TFloat32.class),
          Graphs.constant(tf, config.getEpsilon(), TFloat32.class), grads.get(i)));
    }
    return tf.withControlDependencies(updates).noOp();
  }

  /** Feeds the learning rate of {@code step} (0-based) and the bias corrections of update t = step + 1. */
  public Session.Runner feed(Session.Runner runner, long step, List<AutoCloseable> toClose) {
    long t = step + 1;
    TFloat32 lrValue = TFloat32.scalarOf((float) LearningRateSchedule.at(config, step));
    TFloat32 b1 = TFloat32.scalarOf((float) Math.pow(config.getBeta1(), t));
    TFloat32 b2 = TFloat32.scalarOf((float) Math.pow(config.getBeta2(), t));
    toClose.add(lrValue);
    toClose.add(b1);
    toClose.add(b2);
    return runner.feed(lr, lrValue).feed(beta1Power, b1).feed(beta2Power, b2);
  }

  /** The slot variables (m and v of every parameter). */
  public Parameters<TFloat32> slots() {
    return slots;
  }
}
