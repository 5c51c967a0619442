package org.restorelab.estimator.flow;

import java.util.List;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * Conditional affine coupling (Dinh et al. 2017; SRFlow's Eq. 5): x = (x_a, x_b) split by
 * channels; x_a passes unchanged and y_b = (x_b + shift) scale with (shift, scale) =
 * NN(x_a, u), u the encoder features. Log-determinant sum log scale. Inverse: x_b = y_b / scale -
 * shift, with the same NN(y_a, u) since y_a = x_a.
 */
public final class AffineCoupling<T extends TFloating> implements FlowLayer<T> {
  private final CouplingNetwork<T> network;
  private final int passed;
  private final int transformed;
  private final ScaleBound bound;

  public AffineCoupling(Parameters<T> params, String name, int channels, int conditionChannels, int hidden,
      ScaleBound bound) {
    this.bound = bound;
    this.passed = channels / 2;
    this.transformed = channels - passed;
    this.network = new CouplingNetwork<>(params, name, passed + conditionChannels, hidden, 2 * transformed);
  }

  private AffineParameters<T> affine(Ops tf, Operand<T> xa, Operand<T> u) {
    return AffineParameters.of(tf, network.apply(tf, Channels.concat(tf, List.of(xa, u))), transformed, bound);
  }

  @Override
  public Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init) {
    Operand<T> xa = Channels.take(tf, x, 0, passed);
    AffineParameters<T> a = affine(tf, xa, u);
    Operand<T> yb = a.forward(tf, Channels.take(tf, x, passed, passed + transformed));
    return new Transformed<>(Channels.concat(tf, List.of(xa, yb)), a.logDet(tf));
  }

  @Override
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u) {
    Operand<T> ya = Channels.take(tf, y, 0, passed);
    Operand<T> xb = affine(tf, ya, u).reverse(tf, Channels.take(tf, y, passed, passed + transformed));
    return Channels.concat(tf, List.of(ya, xb));
  }

}
