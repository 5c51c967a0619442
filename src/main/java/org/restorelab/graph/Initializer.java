package org.restorelab.graph;

import org.tensorflow.Operand;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.types.family.TFloating;

/** The initial value of a parameter, drawn with a stateless op from the parameter's own seed. */
@FunctionalInterface
public interface Initializer {
  <T extends TFloating> Operand<T> build(Ops tf, Shape shape, long seed, Class<T> type);

  /** U(-limit, limit). */
  static Initializer uniform(double limit) {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> build(Ops tf, Shape shape, long seed, Class<T> type) {
        Operand<T> u = tf.random.statelessRandomUniform(tf.constant(shape.asArray()),
            tf.constant(new long[] {seed, seed ^ 0x5bd1e995L}), type);
        // 2 limit u - limit
        return tf.math.sub(tf.math.mul(u, Graphs.constant(tf, 2 * limit, type)), Graphs.constant(tf, limit, type));
      }
    };
  }

  /**
   * PyTorch's default for Linear and Conv layers (kaiming_uniform with a = sqrt(5) for weights,
   * and the same bound for biases): U(-1/sqrt(fan_in), 1/sqrt(fan_in)). The paper's code is
   * PyTorch, so this is the default of our layers.
   */
  static Initializer torchDefault(long fanIn) {
    return uniform(1 / Math.sqrt(fanIn));
  }

  /** All zeros. */
  static Initializer zeros() {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> build(Ops tf, Shape shape, long seed, Class<T> type) {
        return tf.zeros(tf.constant(shape.asArray()), type);
      }
    };
  }

  /** All ones. */
  static Initializer ones() {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> build(Ops tf, Shape shape, long seed, Class<T> type) {
        return tf.fill(tf.constant(shape.asArray()), Graphs.constant(tf, 1, type));
      }
    };
  }

  /** Given values, row-major in the parameter's shape (computed in Java, e.g. a decomposition). */
  static Initializer values(double[] values) {
    return new Initializer() {
      @Override
      public <T extends TFloating> Operand<T> build(Ops tf, Shape shape, long seed, Class<T> type) {
        if (shape.size() != values.length) {
          throw new IllegalArgumentException(values.length + " values cannot fill a parameter of shape " + shape);
        }
        return tf.dtypes.cast(tf.reshape(tf.constant(values), tf.constant(shape.asArray())), type);
      }
    };
  }
}
