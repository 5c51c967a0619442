package org.restorelab.estimator.flow;

import org.tensorflow.Operand;
import org.tensorflow.types.family.TFloating;

/**
 * The output of one bijection applied forward (image towards latent), with the log-determinant
 * of its Jacobian per row, log |det d value / d input| [n]: what the change of variables adds to
 * the log-likelihood (Dinh et al. 2017, Eq. 3).
 */
public record Transformed<T extends TFloating>(Operand<T> value, Operand<T> logDet) {}
