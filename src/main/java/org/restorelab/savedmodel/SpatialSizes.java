package org.restorelab.savedmodel;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;

/**
 * Which image sizes an image estimator SavedModel accepts, as its {@code restorelab.json}
 * records them under {@code "sizes"}:
 * <pre>
 *   "sizes": {"any_size": true, "spatial_multiple": 16, "scale": 4, "other_sizes": "reflect_pad",
 *             "noise_levels": [{"divisor": 1, "channels": 1}, ...]}
 *   "sizes": {"any_size": false, "height": 64, "width": 64}
 * </pre>
 * An any-size model takes low-resolution inputs y [n, h, w, 3] of any h, w: inside the graph y is
 * reflection-padded at the bottom and right until the output side is a multiple of
 * lcm(spatial_multiple, scale), and the output is cropped back to [n, scale h, scale w, 3]. Its flat
 * z is as long as the noise levels of the padded output: the sum over levels of
 * (H / divisor) (W / divisor) channels. A model whose metadata has no {@code sizes} (every export
 * before any-size exports, anyone else's) is read as fixed-size: {@link #read} returns null.
 */
public record SpatialSizes(boolean anySize, int multiple, int scale, List<NoiseLevel> noiseLevels) {
  /** One level of z: the padded output's spatial size divided by {@code divisor}, {@code channels} deep. */
  public record NoiseLevel(int divisor, int channels) {}

  /** What an any-size model does with a size the network cannot take itself. */
  public static final String REFLECT_PAD = "reflect_pad";

  /** An any-size model of a network that needs multiples of {@code multiple}, upscaling by {@code scale}. */
  public static SpatialSizes anySize(int multiple, int scale, List<NoiseLevel> noiseLevels) {
    if (multiple < 1 || scale < 1) {
      throw new IllegalArgumentException("spatial_multiple " + multiple + " and scale " + scale + " must be >= 1");
    }
    return new SpatialSizes(true, multiple, scale, List.copyOf(noiseLevels));
  }

  /** The "sizes" record of a fixed-size model of h x w outputs. */
  public static JsonObject fixed(long height, long width) {
    JsonObject o = new JsonObject();
    o.addProperty("any_size", false);
    o.addProperty("height", height);
    o.addProperty("width", width);
    return o;
  }

  /** The model's sizes, or null for a fixed-size model (no metadata, no "sizes", or any_size false). */
  public static SpatialSizes read(JsonObject meta) {
    if (meta == null || !meta.has("sizes") || !meta.get("sizes").isJsonObject()) {
      return null;
    }
    JsonObject o = meta.getAsJsonObject("sizes");
    if (!o.has("any_size") || !o.get("any_size").getAsBoolean()) {
      return null;
    }
    List<NoiseLevel> levels = new ArrayList<>();
    if (o.has("noise_levels")) {
      for (JsonElement e : o.getAsJsonArray("noise_levels")) {
        JsonObject l = e.getAsJsonObject();
        levels.add(new NoiseLevel(l.get("divisor").getAsInt(), l.get("channels").getAsInt()));
      }
    }
    return anySize(o.get("spatial_multiple").getAsInt(), o.get("scale").getAsInt(), levels);
  }

  /** This record as the "sizes" object of restorelab.json. */
  public JsonObject toJson() {
    JsonObject o = new JsonObject();
    o.addProperty("any_size", anySize);
    o.addProperty("spatial_multiple", multiple);
    o.addProperty("scale", scale);
    o.addProperty("other_sizes", REFLECT_PAD);
    JsonArray levels = new JsonArray();
    for (NoiseLevel l : noiseLevels) {
      JsonObject e = new JsonObject();
      e.addProperty("divisor", l.divisor());
      e.addProperty("channels", l.channels());
      levels.add(e);
    }
    o.add("noise_levels", levels);
    return o;
  }

  /** What the low-resolution side is padded to a multiple of: spatial_multiple / gcd(spatial_multiple, scale). */
  public int lowResolutionMultiple() {
    return multiple / gcd(multiple, scale);
  }

  /** The output side the network runs at for an output side {@code side} (a multiple of the scale). */
  public int padded(int side) {
    int step = scale * lowResolutionMultiple();
    return (side + step - 1) / step * step;
  }

  /** The length of the flat z for outputs of h x w (h, w multiples of the scale). */
  public long noiseDim(int height, int width) {
    long total = 0;
    for (NoiseLevel l : noiseLevels) {
      total += (long) (padded(height) / l.divisor()) * (padded(width) / l.divisor()) * l.channels();
    }
    return total;
  }

  private static int gcd(int a, int b) {
    return b == 0 ? a : gcd(b, a % b);
  }
}
