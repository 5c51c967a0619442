package org.restorelab.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.types.TFloat32;

/**
 * A SavedModel built by a separate code path (no RestoreLab layers, no variables, other tensor
 * names): the hand-crafted X_hat_alpha = (y, sqrt(1 - y^2) sin(alpha y)), with a z input that
 * it ignores.
 */
final class ClosedFormSavedModel {
  private ClosedFormSavedModel() {}

  static void write(Path dir, double alpha, String yName, String zName, String outName, String signature)
      throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("measurement").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Operand<TFloat32> height = tf.math.sqrt(tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.square(y)), tf.constant(0f)));
      Operand<TFloat32> g2 = tf.math.add(tf.math.mul(height, tf.math.sin(tf.math.mul(y, tf.constant((float) alpha)))),
          tf.math.mul(z, tf.constant(0f)));
      Operand<TFloat32> out = tf.withName("estimate").concat(java.util.List.of(y, g2), tf.constant(1));
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(Signature.builder().key(signature)
            .input(yName, y).input(zName, z).output(outName, out).build()).export();
      }
    }
  }

  /**
   * A stochastic one: X_hat = (y, a sqrt(1 - y^2) (2 z - 1)), for z ~ U[0, 1] the posterior
   * U[-c, c] shrunk by a (a = 1: the exact posterior sampler). Signature "predict", inputs "yy"
   * and "zz", output "xx".
   */
  static void writeShrunkPosteriorSampler(Path dir, double a) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("measurement").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("latent").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Operand<TFloat32> height = tf.math.sqrt(tf.math.maximum(tf.math.sub(tf.constant(1f), tf.math.square(y)), tf.constant(0f)));
      Operand<TFloat32> centred = tf.math.sub(tf.math.mul(z, tf.constant(2f)), tf.constant(1f));
      Operand<TFloat32> g2 = tf.math.mul(tf.math.mul(height, centred), tf.constant((float) a));
      Operand<TFloat32> out = tf.withName("estimate").concat(java.util.List.of(y, g2), tf.constant(1));
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(Signature.builder().key("predict")
            .input("yy", y).input("zz", z).output("xx", out).build()).export();
      }
    }
  }
}
