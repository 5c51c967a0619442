package org.restorelab.estimator.flow;

import java.util.List;
import org.restorelab.graph.Parameters;
import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/**
 * One step of flow of SRFlow (Lugmayr et al. 2020, Fig. 3): ActNorm, invertible 1 x 1
 * convolution, conditional affine injector, conditional affine coupling. Its log-determinant is
 * the sum of theirs.
 */
public final class FlowStep<T extends TFloating> implements FlowLayer<T> {
  private final List<FlowLayer<T>> layers;

  public FlowStep(Parameters<T> params, Parameters<T> fixed, String name, int height, int width, int channels,
      int conditionChannels, int hidden, ScaleBound bound) {
    layers = List.of(new ActNorm<>(params, name + "_actnorm", height, width, channels),
        new InvertibleConv1x1<>(params, fixed, name + "_conv1x1", height, width, channels),
        new AffineInjector<>(params, name + "_injector", channels, conditionChannels, hidden, bound),
        new AffineCoupling<>(params, name + "_coupling", channels, conditionChannels, hidden, bound));
  }

  @Override
  public Transformed<T> forward(Ops tf, Operand<T> x, Operand<T> u, DataInitialization init) {
    Operand<T> logDet = null;
    for (FlowLayer<T> layer : layers) {
      Transformed<T> t = layer.forward(tf, x, u, init);
      x = t.value();
      logDet = logDet == null ? t.logDet() : tf.math.add(logDet, t.logDet());
    }
    return new Transformed<>(x, logDet);
  }

  @Override
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u) {
    return reverse(tf, y, u, null);
  }

  /** {@link #reverse}, handing each layer's inverse output to {@code trace} (when not null) under the layer's class name. */
  public Operand<T> reverse(Ops tf, Operand<T> y, Operand<T> u,
      java.util.function.BiConsumer<String, Operand<T>> trace) {
    for (int i = layers.size() - 1; i >= 0; i--) {
      y = layers.get(i).reverse(tf, y, u);
      if (trace != null) {
        trace.accept(layers.get(i).getClass().getSimpleName(), y);
      }
    }
    return y;
  }

}
