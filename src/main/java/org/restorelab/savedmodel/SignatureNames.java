package org.restorelab.savedmodel;

/**
 * The names of RestoreLab's SavedModel interface: the tag, the signature keys and the tensor keys
 * that exporters write and loaders look up by default. A model of another origin may use other
 * names; its {@code model} config entry maps them.
 */
public final class SignatureNames {
  /** The tag every RestoreLab SavedModel is exported with and loaded by. */
  public static final String TAG = "serve";
  /** The method name of every signature. */
  public static final String PREDICT_METHOD = "tensorflow/serving/predict";

  /** (y, z) -> x_hat, the interface every evaluation loads ({@code Signature.DEFAULT_KEY}). */
  public static final String SERVING_DEFAULT = "serving_default";
  /** (y, seed) -> x_hat, z drawn inside the graph. */
  public static final String SAMPLE = "sample";
  /** (y, z1 .. zL) -> x_hat, one latent per flow level. */
  public static final String PER_LEVEL = "per_level";

  /** The measurement, [n, measurement shape]. */
  public static final String Y = "y";
  /** The noise, [n, dz] or [n, h, w, c]. */
  public static final String Z = "z";
  /** The stateless seed of {@link #SAMPLE}, [2] int64. */
  public static final String SEED = "seed";
  /** A flow's sampling temperature, a float32 scalar. */
  public static final String TEMPERATURE = "temperature";
  /** The estimate. */
  public static final String X_HAT = "x_hat";
  /** A feature extractor's input images, [n, S, S, 3]. */
  public static final String IMAGES = "images";
  /** A feature extractor's features, [n, feature_dim]. */
  public static final String FEATURES = "features";
  /** A factor classifier's logits, [n, sum of cardinalities]. */
  public static final String LOGITS = "logits";

  private SignatureNames() {}
}
