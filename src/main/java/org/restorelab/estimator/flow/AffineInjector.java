package org.restorelab.estimator.flow;

import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * SRFlow's conditional affine injector: every channel is shifted and scaled by a network of the
 * encoder features alone, y = (x + shift(u)) scale(u) (Lugmayr et al. 2020, section 3.2, Eq. 6);
 * log-determinant sum log scale(u). It is invertible for any u because u does not depend on x.
 */
public final class AffineInjector<T extends TFloating> implements FlowLayer<T> {
  private final CouplingNetwork<T> network;
  private final int channels;
  private final ScaleBound bound;

  public AffineInjector(Parameters<T> params, String name, int channels, int conditionChannels, int hidden,
      ScaleBound bound) {
    this.network = new CouplingNetwork<>(params, name, conditionChannels, hidden, 2 * channels);
    this.channels = channels;
    this.bound = bound;
  }

  private AffineParameters<T> affine(Ops tf, Operand<T> u) {
    return AffineParameters.of(tf, network.apply(tf, u), channels, bound);
  }

  @Override
  public Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init) {
    AffineParameters<T> a = affine(tf, u);
    return new Transformed<>(a.forward(tf, x), a.logDet(tf));
  }

  @Override
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u) {
    return affine(tf, u).reverse(tf, y);
  }

}
