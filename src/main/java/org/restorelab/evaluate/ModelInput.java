package org.restorelab.evaluate;

import java.nio.file.Path;
import org.restorelab.config.ConfigException;
import org.tensorflow.Graph;
import org.tensorflow.Output;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.ndarray.buffer.DataBuffers;
import org.tensorflow.types.TFloat32;

/**
 * A float32 input of a loaded SavedModel's signature, with the shape the signature declares.
 * Every tensor fed to a loaded model goes through {@link #tensor}, which checks its shape against
 * the signature and the graph (rank, and every fixed dim) before any session run: TensorFlow does
 * not check a fed shape against a placeholder's, and some kernels abort the JVM on a wrong rank
 * ({@code tensor_format.h Check failed}).
 */
record ModelInput(String key, Output<TFloat32> output, Shape declared, Path dir, String shapeField) {

  /**
   * The signature's input {@code key} (float32), or an error naming the folder and the keys it has;
   * {@code shapeField} names the config field that sets its shape (null for y, whose shape is the task's).
   */
  static ModelInput of(Graph g, Signature sig, String key, Path dir, String shapeField) {
    Output<TFloat32> out = LoadedEstimator.tensor(g, sig, key, true, dir);
    return new ModelInput(key, out, sig.getInputs().get(key).shape, dir, shapeField);
  }

  /** Whether a tensor of {@code shape} fits both the signature's and the graph's shape of this input. */
  boolean accepts(Shape shape) {
    return fits(declared, shape) && fits(output.shape(), shape);
  }

  private static boolean fits(Shape declared, Shape shape) {
    if (declared == null || declared.isUnknown()) {
      return true;
    }
    if (declared.numDimensions() != shape.numDimensions()) {
      return false;
    }
    for (int i = 0; i < shape.numDimensions(); i++) {
      if (declared.size(i) >= 0 && declared.size(i) != shape.size(i)) {
        return false;
      }
    }
    return true;
  }

  /** The shape the model declares: the signature's, or the graph's where the signature leaves it unknown. */
  Shape shape() {
    return declared == null || declared.isUnknown() ? output.shape() : declared;
  }

  /**
   * The per-example shape (batch dimension dropped) when the declared rank and every non-batch
   * dim are known; null otherwise.
   */
  Shape knownPerExample() {
    Shape s = shape();
    if (s.isUnknown() || s.numDimensions() < 1) {
      return null;
    }
    for (int i = 1; i < s.numDimensions(); i++) {
      if (s.size(i) < 0) {
        return null;
      }
    }
    return s.tail();
  }

  /** A tensor of {@code shape} holding {@code v}, after checking that this input takes that shape. */
  TFloat32 tensor(float[] v, Shape shape) {
    if (!accepts(shape)) {
      throw new ConfigException("SavedModel " + dir + ": input '" + key + "' takes " + shape() + ", the evaluation"
          + " would feed " + shape + (shapeField == null ? "" : "; give its per-example shape in " + shapeField));
    }
    if (v.length != shape.size()) {
      throw new IllegalArgumentException(v.length + " values cannot fill " + shape + " for input '" + key + "'");
    }
    return TFloat32.tensorOf(shape, DataBuffers.of(v, true, false));
  }
}
