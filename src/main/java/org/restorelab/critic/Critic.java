package org.restorelab.critic;

import org.tensorflow.Operand;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** A GAN critic D(x) (the toy MLP, the image ResNet): signals x [n, signal shape] -> logits. */
public interface Critic<T extends TFloating> {
  /** D(x): logits, one per row. */
  Operand<T> logits(Ops tf, Operand<T> x);

  /** Trainable scalars. */
  long parameterCount();
}
