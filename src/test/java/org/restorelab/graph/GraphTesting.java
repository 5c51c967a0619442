package org.restorelab.graph;

import java.util.ArrayList;
import java.util.List;
import org.tensorflow.Operand;
import org.tensorflow.Result;
import org.tensorflow.Session;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.op.Op;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat64;

/** float64 helpers for finite-difference checks: read and overwrite variables, evaluate scalars. */
public final class GraphTesting {
  private final Ops tf;
  private final List<Parameters.Parameter<TFloat64>> params;
  private final List<Placeholder<TFloat64>> inputs = new ArrayList<>();
  private final List<Op> assigns = new ArrayList<>();

  public GraphTesting(Ops tf, List<Parameters.Parameter<TFloat64>> params) {
    this.tf = tf;
    this.params = params;
    for (Parameters.Parameter<TFloat64> p : params) {
      Placeholder<TFloat64> in = tf.placeholder(TFloat64.class, Placeholder.shape(p.shape()));
      inputs.add(in);
      assigns.add(tf.assign(p.variable(), in));
    }
  }

  public static double scalar(Session s, Operand<TFloat64> x) {
    try (Result r = s.runner().fetch(x).run()) {
      return ((TFloat64) r.get(0)).getDouble();
    }
  }

  public static double[] values(Session s, Operand<TFloat64> x) {
    try (Result r = s.runner().fetch(x).run()) {
      TFloat64 t = (TFloat64) r.get(0);
      double[] v = new double[(int) t.shape().size()];
      t.asRawTensor().data().asDoubles().read(v);
      return v;
    }
  }

  public double[] get(Session s, int i) {
    return values(s, params.get(i).read());
  }

  public void set(Session s, int i, double[] v) {
    try (TFloat64 t = TFloat64.tensorOf(params.get(i).shape(), DataBuffers.of(v, true, false))) {
      s.runner().feed(inputs.get(i), t).addTarget(assigns.get(i)).run().close();
    }
  }

  /** Central finite difference of {@code f} w.r.t. element j of parameter i. */
  public double finiteDifference(Session s, Operand<TFloat64> f, int i, int j, double h) {
    double[] v = get(s, i);
    double orig = v[j];
    v[j] = orig + h;
    set(s, i, v);
    double plus = scalar(s, f);
    v[j] = orig - h;
    set(s, i, v);
    double minus = scalar(s, f);
    v[j] = orig;
    set(s, i, v);
    return (plus - minus) / (2 * h);
  }

  /**
   * Checks every variable's analytic gradient against central finite differences of {@code f}
   * (about 8 entries per variable, step h = 1e-6, tolerance 1e-7 + 1e-5 |fd|).
   */
  public void assertGradientsMatch(Session s, Operand<TFloat64> f, List<Operand<TFloat64>> grads) {
    assertGradientsMatch(s, f, grads, 8);
  }

  /** As above, with about {@code entries} entries per variable (spread over it). */
  public void assertGradientsMatch(Session s, Operand<TFloat64> f, List<Operand<TFloat64>> grads, int entries) {
    for (int i = 0; i < params.size(); i++) {
      double[] analytic = values(s, grads.get(i));
      for (int j = 0; j < analytic.length; j += Math.max(1, analytic.length / (entries - 1))) {
        double fd = finiteDifference(s, f, i, j, 1e-6);
        org.assertj.core.api.Assertions.assertThat(analytic[j]).as("%s[%d]", params.get(i).name(), j)
            .isCloseTo(fd, org.assertj.core.api.Assertions.within(1e-7 + 1e-5 * Math.abs(fd)));
      }
    }
  }

  public static TFloat64 tensor(double[] v, long... shape) {
    return TFloat64.tensorOf(Shape.of(shape), DataBuffers.of(v, true, false));
  }
}
