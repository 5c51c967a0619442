package org.restorelab.estimator.flow;

import org.restorelab.config.ConditionalFlowArchitecture;

/**
 * How an affine flow layer bounds its scale: scale = sigmoid(h + offset) + eps, in (eps, 1 + eps)
 * (SRFlow: offset 2, eps 1e-4; Glow: offset 2, eps 0).
 */
public record ScaleBound(double offset, double eps) {
  public ScaleBound {
    if (!(eps >= 0 && eps < 1) || !Double.isFinite(offset)) {
      throw new IllegalArgumentException("scale bound needs a finite offset and 0 <= eps < 1, got offset "
          + offset + ", eps " + eps);
    }
  }

  /** The bound of {@code config} (scale_offset, scale_eps). */
  public static ScaleBound of(ConditionalFlowArchitecture config) {
    return new ScaleBound(config.getScaleOffset(), config.getScaleEps());
  }
}
