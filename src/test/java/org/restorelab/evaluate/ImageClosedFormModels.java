package org.restorelab.evaluate;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
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
 * Image SavedModels built by a separate code path (plain TF ops, no variables, other tensor
 * names), whose metrics are known in closed form:
 * <ul>
 *   <li>an affine estimator x_hat = a * NN_up_s(y) + b + c * z (z has one value per output pixel);
 *   <li>feature extractors: average pooling flattened to [n, d] (or, for the error case,
 *       left 4-D).
 * </ul>
 */
public final class ImageClosedFormModels {
  private ImageClosedFormModels() {}

  /** x_hat = a * NN_up_scale(y) + b + c * z, for y [n, side/scale, side/scale, 3]. */
  public static void affine(Path dir, int side, int scale, float a, float b, float c) throws IOException {
    affine(dir, side, scale, side, a, b, c);
  }

  /** As above, but the output has side {@code outSide} (a model that does not fit the data). */
  public static void affine(Path dir, int side, int scale, int outSide, float a, float b, float c) throws IOException {
    int low = side / scale;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("low_res_or_masked").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, low, low, 3)));
      Placeholder<TFloat32> z = tf.withName("noise").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, (long) outSide * outSide * 3)));
      Operand<TFloat32> up = low == outSide ? y : tf.image.resizeNearestNeighbor(y, tf.constant(new int[] {outSide, outSide}));
      Operand<TFloat32> zImage = tf.reshape(z, tf.constant(new long[] {-1, outSide, outSide, 3}));
      Operand<TFloat32> out = tf.withName("restored").math.add(
          tf.math.add(tf.math.mul(up, tf.constant(a)), tf.constant(b)), tf.math.mul(zImage, tf.constant(c)));
      export(g, dir, "restore", List.of("measurement", y, "latent", z), "image", out);
    }
  }

  /** x_hat = reshape(flatten(y) W) + 0 z: a dense linear model, W [low^2 * 3, side^2 * 3] row-major. */
  public static void linear(Path dir, int side, int low, float[] w) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("lr").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, low, low, 3)));
      Placeholder<TFloat32> z = tf.withName("noise").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, (long) side * side * 3)));
      Operand<TFloat32> flat = tf.reshape(y, tf.constant(new long[] {-1, (long) low * low * 3}));
      Operand<TFloat32> weights = tf.constant(Shape.of((long) low * low * 3, (long) side * side * 3),
          org.tensorflow.ndarray.buffer.DataBuffers.of(w, true, false));
      Operand<TFloat32> out = tf.math.add(tf.reshape(tf.linalg.matMul(flat, weights), tf.constant(new long[] {-1, side, side, 3})),
          tf.reshape(tf.math.mul(z, tf.constant(0f)), tf.constant(new long[] {-1, side, side, 3})));
      export(g, dir, "restore", List.of("measurement", y, "latent", z), "image", tf.withName("hr").identity(out));
    }
  }

  /** A model's signature key and tensor keys; an empty {@code z} means no z input. */
  public record Names(String signature, String y, String z, String output) {
    /** What our own exports use: serving_default, (y, z) -> x_hat. */
    public static final Names DEFAULT = new Names("serving_default", "y", "z", "x_hat");
  }

  /**
   * A deterministic, nonlinear x{@code scale} upsampler under the given names:
   * x_hat = sigmoid(4 (u - 1/2)) + u^2 / 10 with u = NN_up_scale(y) [+ 0 z, z [n, side^2 * 3]].
   * The graph's own op names differ from the signature keys, as in models exported elsewhere.
   */
  public static void namedUpsampler(Path dir, int side, int scale, Names names) throws IOException {
    int low = side / scale;
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("input_image_op").placeholder(TFloat32.class,
          Placeholder.shape(Shape.of(-1, low, low, 3)));
      Operand<TFloat32> u = tf.image.resizeNearestNeighbor(y, tf.constant(new int[] {side, side}));
      Operand<TFloat32> out = tf.math.add(tf.math.sigmoid(tf.math.mul(tf.math.sub(u, tf.constant(0.5f)), tf.constant(4f))),
          tf.math.mul(tf.math.square(u), tf.constant(0.1f)));
      List<Object> inputs = new java.util.ArrayList<>(List.of(names.y(), y));
      if (!names.z().isEmpty()) {
        Placeholder<TFloat32> z = tf.withName("latent_op").placeholder(TFloat32.class,
            Placeholder.shape(Shape.of(-1, (long) side * side * 3)));
        out = tf.math.add(out, tf.math.mul(tf.reshape(z, tf.constant(new long[] {-1, side, side, 3})), tf.constant(0f)));
        inputs.addAll(List.of(names.z(), z));
      }
      export(g, dir, names.signature(), inputs, names.output(), tf.withName("output_image_op").identity(out));
    }
  }

  /** Features: 4x4 average pooling of [n, side, side, 3] images, flattened (or kept 4-D). */
  public static void poolingFeatures(Path dir, int side, boolean flatten) throws IOException {
    poolingFeatures(dir, side, 4, flatten);
  }

  /** Features: pool x pool average pooling (VALID) of [n, side, side, 3] images. */
  public static void poolingFeatures(Path dir, int side, int pool, boolean flatten) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> x = tf.withName("pixels").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, side, side, 3)));
      Operand<TFloat32> pooled = tf.nn.avgPool(x, List.of(1L, (long) pool, (long) pool, 1L), List.of(1L, (long) pool, (long) pool, 1L), "VALID");
      Operand<TFloat32> out = flatten
          ? tf.reshape(pooled, tf.constant(new long[] {-1, (long) (side / pool) * (side / pool) * 3})) : pooled;
      export(g, dir, "serving_default", List.of("images", x), "features", tf.withName("embedding").identity(out));
    }
  }

  @SuppressWarnings("unchecked")
  private static void export(Graph g, Path dir, String key, List<Object> inputs, String outName, Operand<TFloat32> out)
      throws IOException {
    try (Session s = new Session(g)) {
      Signature.Builder sig = Signature.builder().key(key);
      for (int i = 0; i < inputs.size(); i += 2) {
        sig.input((String) inputs.get(i), (Operand<TFloat32>) inputs.get(i + 1));
      }
      SavedModelBundle.exporter(dir.toString()).withSession(s).withSignature(sig.output(outName, out).build()).export();
    }
  }
}
