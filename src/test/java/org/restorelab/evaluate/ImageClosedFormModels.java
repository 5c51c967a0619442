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
 *   <li>an any-size, fully convolutional one: x_hat = sigmoid(4 (B NN_up_s(y) - 1/2)), B a 3x3 box
 *       blur with zero padding;
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

  /**
   * x_hat = sigmoid(4 (B NN_up_scale(y) - 1/2)) + 0 mean(z) for y [n, h, w, 3] of any h, w, where
   * B is the 3x3 box blur of each channel with zero padding (SAME); z [n, h w scale^2]. Its
   * restorelab.json says so: task sr{scale}, any size (spatial multiple 1, one noise level of one
   * channel), noise ZERO.
   */
  public static void anySizeBlur(Path dir, int scale) throws IOException {
    try (Graph g = new Graph()) {
      Ops tf = Ops.create(g);
      Placeholder<TFloat32> y = tf.withName("y").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1, -1, 3)));
      Placeholder<TFloat32> z = tf.withName("z").placeholder(TFloat32.class, Placeholder.shape(Shape.of(-1, -1)));
      Operand<org.tensorflow.types.TInt32> hw = tf.math.mul(tf.slice(tf.shape(y), tf.constant(new int[] {1}),
          tf.constant(new int[] {2})), tf.constant(scale));
      Operand<TFloat32> up = tf.image.resizeNearestNeighbor(y, hw);
      float[] box = new float[3 * 3 * 3 * 3];
      for (int k = 0; k < 9; k++) {
        for (int c = 0; c < 3; c++) {
          box[k * 9 + c * 3 + c] = 1f / 9;
        }
      }
      Operand<TFloat32> blurred = tf.nn.conv2d(up, tf.constant(Shape.of(3, 3, 3, 3),
          org.tensorflow.ndarray.buffer.DataBuffers.of(box, true, false)), List.of(1L, 1L, 1L, 1L), "SAME");
      Operand<TFloat32> zTerm = tf.reshape(tf.math.mul(tf.math.mean(z, tf.constant(1)), tf.constant(0f)),
          tf.constant(new long[] {-1, 1, 1, 1}));
      Operand<TFloat32> out = tf.math.add(tf.math.sigmoid(tf.math.mul(tf.math.sub(blurred, tf.constant(0.5f)),
          tf.constant(4f))), zTerm);
      export(g, dir, "serving_default", List.of("y", y, "z", z), "x_hat", tf.withName("x_hat").identity(out));
    }
    com.google.gson.JsonObject meta = new com.google.gson.JsonObject();
    meta.addProperty("format", org.restorelab.savedmodel.ModelMetadata.IMAGE_ESTIMATOR);
    meta.addProperty("task", "sr" + scale);
    meta.addProperty("noise_distribution", "ZERO");
    meta.addProperty("noise_dim", 1);
    meta.add("sizes", org.restorelab.savedmodel.SpatialSizes.anySize(1, scale,
        List.of(new org.restorelab.savedmodel.SpatialSizes.NoiseLevel(1, 1))).toJson());
    org.restorelab.savedmodel.ModelMetadata.write(dir, meta);
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
