package org.restorelab.estimator.flow;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.restorelab.config.ConditionalFlowArchitecture;
import org.restorelab.graph.Graphs;
import org.restorelab.graph.Parameters;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/**
 * The conditional flow on tiny tensors in float64: invertibility, the exact log-determinant
 * against a brute-force (finite-difference) Jacobian, the one-pass data-dependent ActNorm init, and
 * the gradient of samples w.r.t. y that I-FGSM needs.
 */
class ConditionalFlowTest {
  static final int SIDE = 8;
  static final int SCALE = 2;
  static final int D = SIDE * SIDE * 3;

  /** A float64 flow with every parameter moved off its (partly zero) initialization. */
  static final class Tiny implements AutoCloseable {
    final Graph graph = new Graph();
    final Ops tf = Ops.create(graph);
    final Parameters<TFloat64> params = new Parameters<>(tf, "flow", 7, TFloat64.class);
    final Parameters<TFloat64> fixed = new Parameters<>(tf, "flow_fixed", 7, TFloat64.class);
    final ConditionalFlow<TFloat64> flow;
    final Placeholder<TFloat64> x = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, SIDE, SIDE, 3)));
    final Placeholder<TFloat64> y = tf.placeholder(TFloat64.class,
        Placeholder.shape(Shape.of(-1, SIDE / SCALE, SIDE / SCALE, 3)));
    final Placeholder<TFloat64> eps;
    final Placeholder<TFloat64> temperature = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.scalar()));
    final Operand<TFloat64> latents;
    final Operand<TFloat64> logDet;
    final Operand<TFloat64> logLikelihood;
    final Operand<TFloat64> decoded;
    final Operand<TFloat64> initLatents;
    final DataInitialization init = new DataInitialization();
    final Session session;

    Tiny(int levels, int stepsPerLevel) {
      ConditionalFlowArchitecture a = ConditionalFlowArchitecture.newBuilder().setLevels(levels)
          .setStepsPerLevel(stepsPerLevel).setHiddenChannels(8).setEncoderChannels(4).setEncoderBlocks(1).build();
      flow = new ConditionalFlow<>(params, fixed, a, SIDE, SCALE);
      eps = tf.placeholder(TFloat64.class, Placeholder.shape(Shape.of(-1, flow.latentSize())));
      ConditionalFlow.Encoded<TFloat64> e = flow.encode(tf, x, y, null);
      latents = flow.flattenLatents(tf, e.latents());
      logDet = e.logDet();
      logLikelihood = flow.logLikelihood(tf, e);
      decoded = flow.decode(tf, flow.splitLatents(tf, eps), y, temperature);
      initLatents = flow.flattenLatents(tf, flow.encode(tf, x, y, init).latents());
      session = new Session(graph);
      Session.Runner r = session.runner();
      params.initializers().forEach(r::addTarget);
      fixed.initializers().forEach(r::addTarget);
      r.run().close();
    }

    /** Every trained variable += N(0, sigma^2) (the zero-initialized last layers become non-trivial). */
    void perturb(double sigma) {
      Session.Runner r = session.runner();
      int i = 0;
      for (Parameters.Parameter<TFloat64> p : params.list()) {
        Operand<TFloat64> noise = tf.random.statelessRandomNormal(tf.constant(p.shape().asArray()),
            tf.constant(new long[] {11, i++}), TFloat64.class);
        r.addTarget(tf.assign(p.variable(), tf.math.add(p.read(), tf.math.mul(noise, Graphs.constant(tf, sigma, TFloat64.class)))));
      }
      r.run().close();
    }

    double[] run(Operand<TFloat64> out, double[] xv, double[] yv, int n) {
      try (TFloat64 tx = tensor(xv, Shape.of(n, SIDE, SIDE, 3)); TFloat64 ty = tensor(yv, Shape.of(n, SIDE / SCALE, SIDE / SCALE, 3));
          Result r = session.runner().feed(x, tx).feed(y, ty).fetch(out).run()) {
        return values((TFloat64) r.get(0));
      }
    }

    double[] decode(double[] ev, double[] yv, int n, double t) {
      try (TFloat64 te = tensor(ev, Shape.of(n, flow.latentSize()));
          TFloat64 ty = tensor(yv, Shape.of(n, SIDE / SCALE, SIDE / SCALE, 3)); TFloat64 tt = TFloat64.scalarOf(t);
          Result r = session.runner().feed(eps, te).feed(y, ty).feed(temperature, tt).fetch(decoded).run()) {
        return values((TFloat64) r.get(0));
      }
    }

    @Override
    public void close() {
      session.close();
      graph.close();
    }
  }

  static TFloat64 tensor(double[] v, Shape s) {
    return TFloat64.tensorOf(s, DataBuffers.of(v, true, false));
  }

  static double[] values(TFloat64 t) {
    double[] out = new double[(int) t.shape().size()];
    t.asRawTensor().data().asDoubles().read(out);
    return out;
  }

  static double[] random(SplittableRandom r, int n, double lo, double hi) {
    double[] v = new double[n];
    for (int i = 0; i < n; i++) {
      v[i] = lo + (hi - lo) * r.nextDouble();
    }
    return v;
  }

  static double[] repeat(double[] row, int n) {
    double[] out = new double[row.length * n];
    for (int i = 0; i < n; i++) {
      System.arraycopy(row, 0, out, i * row.length, row.length);
    }
    return out;
  }

  @Test
  void latentsKeepTheDimensionAndSplitPerLevel() {
    try (Tiny t = new Tiny(2, 1)) {
      assertEquals(List.of(Shape.of(4, 4, 6), Shape.of(2, 2, 24)), t.flow.latentShapes());
      assertEquals(D, t.flow.latentSize());
    }
  }

  @Test
  void decodeInvertsEncodeToFloat64Precision() {
    SplittableRandom r = new SplittableRandom(1);
    int n = 3;
    try (Tiny t = new Tiny(2, 2)) {
      t.perturb(0.2);
      double[] x = random(r, n * D, -0.5, 0.5);
      double[] y = random(r, n * D / (SCALE * SCALE), 0, 1);
      double[] eps = t.run(t.latents, x, y, n);
      double[] back = t.decode(eps, y, n, 1.0);
      double worst = 0;
      for (int i = 0; i < x.length; i++) {
        worst = Math.max(worst, Math.abs(back[i] - x[i]));
      }
      assertTrue(worst < 1e-10, "max |decode(encode(x)) - x| = " + worst);
    }
    // and the other way round: encode(decode(eps)) = eps for standard normal eps (milder weights:
    // the reverse of a heavily perturbed random flow can overflow for arbitrary eps)
    try (Tiny t = new Tiny(2, 2)) {
      t.perturb(0.05);
      double[] y = random(r, n * D / (SCALE * SCALE), 0, 1);
      double worst;
      double[] e = new double[n * D];
      for (int i = 0; i < e.length; i++) {
        e[i] = Math.sqrt(-2 * Math.log(1 - r.nextDouble())) * Math.cos(2 * Math.PI * r.nextDouble());
      }
      double[] decoded = t.decode(e, y, n, 1.0);
      double largest = 0;
      for (double v : decoded) {
        largest = Math.max(largest, Math.abs(v));
      }
      assertTrue(largest < 100, "decoded images stay finite and moderate: max |x| = " + largest);
      double[] again = t.run(t.latents, decoded, y, n);
      worst = 0;
      for (int i = 0; i < e.length; i++) {
        worst = Math.max(worst, Math.abs(again[i] - e[i]));
      }
      assertTrue(worst < 1e-9, "max |encode(decode(eps)) - eps| = " + worst);
    }
  }

  @Test
  void logDeterminantMatchesTheBruteForceJacobian() {
    SplittableRandom r = new SplittableRandom(2);
    try (Tiny t = new Tiny(2, 2)) {
      t.perturb(0.2);
      double[] x0 = random(r, D, -0.5, 0.5);
      double[] y0 = random(r, D / (SCALE * SCALE), 0, 1);
      double h = 1e-5;
      double[] xs = repeat(x0, 2 * D);
      for (int j = 0; j < D; j++) {
        xs[(2 * j) * D + j] += h;
        xs[(2 * j + 1) * D + j] -= h;
      }
      double[] out = t.run(t.latents, xs, repeat(y0, 2 * D), 2 * D);
      double[][] jac = new double[D][D];
      for (int j = 0; j < D; j++) {
        for (int i = 0; i < D; i++) {
          jac[i][j] = (out[(2 * j) * D + i] - out[(2 * j + 1) * D + i]) / (2 * h);
        }
      }
      double bruteForce = logAbsDet(jac);
      double exact = t.run(t.logDet, x0, y0, 1)[0];
      assertEquals(bruteForce, exact, 1e-6 * Math.max(1, Math.abs(exact)),
          "log |det J| by finite differences " + bruteForce + " vs the flow's " + exact);
      assertTrue(Math.abs(exact) > 1, "the perturbed flow is not volume preserving: " + exact);
      // log p(x | y) = log N(latents) + log |det|
      double[] z = t.run(t.latents, x0, y0, 1);
      double normal = 0;
      for (double v : z) {
        normal += -0.5 * v * v - 0.5 * Math.log(2 * Math.PI);
      }
      assertEquals(normal + exact, t.run(t.logLikelihood, x0, y0, 1)[0], 1e-9);
    }
  }

  @Test
  void oneDataInitializationPassNormalizesEveryActNormAndMatchesTheInitializedForward() {
    SplittableRandom r = new SplittableRandom(3);
    int n = 16;
    try (Tiny t = new Tiny(2, 2)) {
      t.perturb(0.2);
      double[] x = random(r, n * D, -0.5, 0.5);
      double[] y = random(r, n * D / (SCALE * SCALE), 0, 1);
      double[] duringInit;
      try (TFloat64 tx = tensor(x, Shape.of(n, SIDE, SIDE, 3));
          TFloat64 ty = tensor(y, Shape.of(n, SIDE / SCALE, SIDE / SCALE, 3))) {
        Session.Runner run = t.session.runner().feed(t.x, tx).feed(t.y, ty).fetch(t.initLatents);
        for (Op a : t.init.assignments()) {
          run.addTarget(a);
        }
        try (Result res = run.run()) {
          duringInit = values((TFloat64) res.get(0));
        }
      }
      assertEquals(2 * 2 * 2, t.init.assignments().size());
      double[] after = t.run(t.latents, x, y, n);
      for (int i = 0; i < after.length; i++) {
        assertEquals(duringInit[i], after[i], 1e-9);
      }
    }
  }

  @Test
  void samplesHaveTheAnalyticGradientWithRespectToTheLowResolutionInput() {
    SplittableRandom r = new SplittableRandom(4);
    try (Tiny t = new Tiny(2, 1)) {
      t.perturb(0.2);
      double[] w = random(r, D, -1, 1);
      Operand<TFloat64> objective = Graphs.sumAll(t.tf, t.tf.math.mul(t.decoded,
          t.tf.constant(Shape.of(1, SIDE, SIDE, 3), DataBuffers.of(w, true, false))));
      Operand<TFloat64> grad = Graphs.gradients(t.tf, objective, List.of(t.y)).get(0);
      double[] e = random(r, D, -1, 1);
      double[] y0 = random(r, D / 4, 0.2, 0.8);
      double[] analytic = sample(t, grad, e, y0);
      double h = 1e-6;
      for (int j = 0; j < y0.length; j += 7) {
        double[] up = y0.clone();
        double[] down = y0.clone();
        up[j] += h;
        down[j] -= h;
        double fd = (sample(t, objective, e, up)[0] - sample(t, objective, e, down)[0]) / (2 * h);
        assertEquals(fd, analytic[j], 1e-6 * Math.max(1, Math.abs(fd)), "d objective / d y[" + j + "]");
      }
    }
  }

  /** An operand of the sampling path for one input (temperature 0.9). */
  private static double[] sample(Tiny t, Operand<TFloat64> out, double[] e, double[] y) {
    try (TFloat64 te = tensor(e, Shape.of(1, D)); TFloat64 ty = tensor(y, Shape.of(1, SIDE / SCALE, SIDE / SCALE, 3));
        TFloat64 tt = TFloat64.scalarOf(0.9);
        Result res = t.session.runner().feed(t.eps, te).feed(t.y, ty).feed(t.temperature, tt).fetch(out).run()) {
      return values((TFloat64) res.get(0));
    }
  }

  @Test
  void theCpuArchitectureInvertsToFloat32Precision() {
    // configs/cpu/sr4-SRFlow.pbtxt's flow (3 levels of 4 steps, 48 hidden channels) on 32x32 images, float32
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Parameters<org.tensorflow.types.TFloat32> p = new Parameters<>(tf, "flow", 1, org.tensorflow.types.TFloat32.class);
      Parameters<org.tensorflow.types.TFloat32> f = new Parameters<>(tf, "flow_fixed", 1, org.tensorflow.types.TFloat32.class);
      ConditionalFlow<org.tensorflow.types.TFloat32> flow = new ConditionalFlow<>(p, f, ConditionalFlowArchitecture
          .newBuilder().setLevels(3).setStepsPerLevel(4).setHiddenChannels(48).setEncoderChannels(32)
          .setEncoderBlocks(2).build(), 32, 4);
      var x = tf.random.statelessRandomUniform(tf.constant(new long[] {4, 32, 32, 3}), tf.constant(new long[] {1, 2}),
          org.tensorflow.types.TFloat32.class);
      var centred = tf.math.sub(x, Graphs.constant(tf, 0.5, org.tensorflow.types.TFloat32.class));
      var y = org.restorelab.graph.Pooling.average(tf, x, 4, 32, 32, 3);
      DataInitialization init = new DataInitialization();
      flow.encode(tf, centred, y, init);
      var back = flow.decode(tf, flow.encode(tf, centred, y, null).latents(), y, Graphs.constant(tf, 1,
          org.tensorflow.types.TFloat32.class));
      var error = tf.max(tf.reshape(tf.math.abs(tf.math.sub(back, centred)), tf.constant(new long[] {-1})),
          tf.constant(0));
      try (Session s = new Session(g)) {
        Session.Runner r = s.runner();
        p.initializers().forEach(r::addTarget);
        f.initializers().forEach(r::addTarget);
        r.run().close();
        Session.Runner i = s.runner();
        init.assignments().forEach(i::addTarget);
        i.run().close();
        try (Result res = s.runner().fetch(error).run()) {
          float worst = ((org.tensorflow.types.TFloat32) res.get(0)).getFloat();
          assertTrue(worst < 1e-4, "max |decode(encode(x)) - x| in float32 = " + worst);
        }
      }
    }
  }

  /** log |det a| by Gaussian elimination with partial pivoting. */
  static double logAbsDet(double[][] a) {
    int n = a.length;
    double[][] m = new double[n][];
    for (int i = 0; i < n; i++) {
      m[i] = a[i].clone();
    }
    double sum = 0;
    for (int k = 0; k < n; k++) {
      int p = k;
      for (int i = k + 1; i < n; i++) {
        if (Math.abs(m[i][k]) > Math.abs(m[p][k])) {
          p = i;
        }
      }
      double[] tmp = m[k];
      m[k] = m[p];
      m[p] = tmp;
      sum += Math.log(Math.abs(m[k][k]));
      for (int i = k + 1; i < n; i++) {
        double f = m[i][k] / m[k][k];
        for (int j = k; j < n; j++) {
          m[i][j] -= f * m[k][j];
        }
      }
    }
    return sum;
  }
}
