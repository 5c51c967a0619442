package org.restorelab.reliability;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.BiFunction;
import org.tensorflow.Graph;
import org.tensorflow.Operand;
import org.tensorflow.SavedModelBundle;
import org.tensorflow.Session;
import org.tensorflow.Signature;
import org.tensorflow.ndarray.Shape;
import org.tensorflow.op.Ops;
import org.tensorflow.op.core.Placeholder;
import org.tensorflow.op.core.Variable;
import org.tensorflow.types.TFloat32;

/**
 * SavedModels as other people export them, built with raw TF-Java ops and
 * {@code SavedModelBundle.exporter} (not our exporters), signature {@code serving_default}
 * (y, z[, z2]) -> x_hat, whose numbers are known in closed form.
 */
final class ExternalModels {
  private ExternalModels() {}

  /**
   * A x{@code scale} super-resolution model with spatial noise: x_hat = NN_up(y) + a z (+ b z2),
   * y [n, low, low, 3], z declared {@code zShape} (e.g. [-1, H, W, 1], broadcast over the
   * channels), z2 (when {@code z2Shape} is not null) declared {@code z2Shape}, e.g. [-1, 1, 1, 3].
   */
  static void spatialUpsampler(Path dir, int low, int scale, long[] zShape, float a, long[] z2Shape, float b)
      throws IOException {
    int side = low * scale;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, low, low, 3)));
      Placeholder<TFloat32> z = tf.withName("noise_map").placeholder(TFloat32.class, Placeholder.shape(Shape.of(zShape)));
      Operand<TFloat32> up = tf.image.resizeNearestNeighbor(y, tf.constant(new int[] {side, side}));
      Operand<TFloat32> out = tf.math.add(up, tf.math.mul(z, tf.constant(a)));
      Signature.Builder sig = Signature.builder().key("serving_default").input("y", y).input("z", z);
      if (z2Shape != null) {
        Placeholder<TFloat32> z2 = tf.withName("noise_offset").placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(z2Shape)));
        out = tf.math.add(out, tf.math.mul(z2, tf.constant(b)));
        sig.input("z2", z2);
      }
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withSession(s)
            .withSignature(sig.output("x_hat", tf.withName("sr").identity(out)).build()).export();
      }
    }
  }

  /**
   * A toy model y [n, 1], z [n, 1] -> x_hat = f(y, z) (whatever shape f gives), no variables,
   * no restorelab.json.
   */
  static void toy(Path dir, BiFunction<Ops, Operand<TFloat32>[], Operand<TFloat32>> f) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("y_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("z_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      @SuppressWarnings("unchecked")
      Operand<TFloat32>[] yz = new Operand[] {y, z};
      Operand<TFloat32> out = tf.withName("out").identity(f.apply(tf, yz));
      try (Session s = new Session(g)) {
        SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(Signature.builder()
            .key("serving_default").input("y", y).input("z", z).output("x_hat", out).build()).export();
      }
    }
  }

  /** x_hat = (y, c y + 0 z) with c = 0.5 held in a variable (so the folder has variables/). */
  static void toyWithVariable(Path dir) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("y_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Placeholder<TFloat32> z = tf.withName("z_in").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, 1)));
      Variable<TFloat32> c = tf.withName("gain").variable(Shape.of(1, 1), TFloat32.class);
      var init = tf.assign(c, tf.constant(new float[][] {{0.5f}}));
      Operand<TFloat32> g2 = tf.math.add(tf.linalg.matMul(y, tf.identity(c)), tf.math.mul(z, tf.constant(0f)));
      Operand<TFloat32> out = tf.withName("out").concat(List.of(y, g2), tf.constant(1));
      try (Session s = new Session(g)) {
        s.runner().addTarget(init).run();
        SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(Signature.builder()
            .key("serving_default").input("y", y).input("z", z).output("x_hat", out).build()).export();
      }
    }
  }
}
