package org.restorelab.data.image;

import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.Shape;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Path2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.SplittableRandom;
import org.restorelab.config.ProceduralTexturesConfig;
import org.restorelab.run.Seeds;

/**
 * Synthetic textures and sharp-edged shapes for super-resolution: stripes, checkerboards,
 * smooth band-limited noise, discs and polygons on gradients, and shapes over a texture.
 *
 * <p>Image {@code i} of a split is drawn from {@code Seeds.random(seed, "textures/<split>/<i>")}
 * alone: first its discrete factors ({@link Factors}), then its continuous parameters
 * (orientation, exact frequency, phase, colours, shape positions) from the same stream. Textures
 * are evaluated analytically at 2-4x the image size and box-averaged; shapes are drawn with
 * antialiased Java2D at the same resolution. Frequencies are in periods per image side, so an
 * image looks the same, up to resolution, at every size.
 *
 * <p>Factors: {@code kind} (STRIPES, CHECKERBOARD, NOISE, SHAPES, COMPOSITE; uniform); {@code
 * frequency} (LOW 1.5-3, MID 3-6, HIGH 6-12 periods per side, log-uniform inside the bucket; for
 * SHAPES the shapes' scale, from one or two large shapes to many small ones; for COMPOSITE the
 * frequency of the texture under the shapes); {@code overlay} (NONE for the pure textures, else
 * DISCS or POLYGONS); {@code base} (the layer under any shapes: the texture itself for the pure
 * textures, a two-colour GRADIENT for SHAPES, one of the three textures for COMPOSITE).
 *
 * <p>Reads are thread-safe: nothing mutable is shared between calls.
 */
public final class ProceduralTextures implements ImageSet {

  public enum Kind {
    STRIPES,
    CHECKERBOARD,
    NOISE,
    SHAPES,
    COMPOSITE
  }

  /** Periods per image side, log-uniform in [low, 2 * low). */
  public enum Frequency {
    LOW(1.5),
    MID(3.0),
    HIGH(6.0);

    final double low;

    Frequency(double low) {
      this.low = low;
    }

    /** Lowest frequency of the bucket, in periods per image side. */
    public double lowest() {
      return low;
    }

    /** Highest frequency of the bucket (exclusive), in periods per image side. */
    public double highest() {
      return 2 * low;
    }
  }

  /** Sharp-edged shapes drawn over the base layer. */
  public enum Overlay {
    NONE,
    DISCS,
    POLYGONS
  }

  /** The layer under any shapes. */
  public enum Base {
    GRADIENT,
    STRIPES,
    CHECKERBOARD,
    NOISE
  }

  private static final List<Class<? extends Enum<?>>> FACTOR_TYPES =
      List.of(Kind.class, Frequency.class, Overlay.class, Base.class);

  private static final List<String> FACTOR_NAMES = List.of("kind", "frequency", "overlay", "base");

  /** The discrete factors of one texture, in {@link #factorNames()} order. */
  public record Factors(Kind kind, Frequency frequency, Overlay overlay, Base base) {
    /** The factors as codes (enum ordinals), in {@link #factorNames()} order. */
    public int[] codes() {
      return new int[] {kind.ordinal(), frequency.ordinal(), overlay.ordinal(), base.ordinal()};
    }

    /** The factor values by lower-case name, in factor order. */
    public List<String> valueNames() {
      return List.of(
          Procedural.lower(kind),
          Procedural.lower(frequency),
          Procedural.lower(overlay),
          Procedural.lower(base));
    }
  }

  private final int trainSize;
  private final int validationSize;
  private final int imageSize;
  private final long seed;
  private final Split split;

  public ProceduralTextures(
      ProceduralTexturesConfig config, int imageSize, long seed, Split split) {
    Procedural.checkSize(imageSize);
    Procedural.checkCount("textures train_size", config.getTrainSize());
    Procedural.checkCount("textures validation_size", config.getValidationSize());
    this.trainSize = config.getTrainSize();
    this.validationSize = config.getValidationSize();
    this.imageSize = imageSize;
    this.seed = seed;
    this.split = split;
  }

  /** Factor names, in the order of {@link Factors#codes()}. */
  public static List<String> factorNames() {
    return FACTOR_NAMES;
  }

  /** Number of values of each factor, in {@link #factorNames()} order. */
  public static int[] factorCardinalities() {
    return Procedural.cardinalities(FACTOR_TYPES);
  }

  /** Lower-case value names of each factor, indexed by code. */
  public static List<List<String>> factorValueNames() {
    return Procedural.valueNames(FACTOR_TYPES);
  }

  @Override
  public int size() {
    return split == Split.TRAIN ? trainSize : validationSize;
  }

  @Override
  public int height() {
    return imageSize;
  }

  @Override
  public int width() {
    return imageSize;
  }

  @Override
  public void read(int index, float[] dst, int offset) {
    Procedural.checkIndex(index, size(), describe(index));
    Procedural.checkDst(dst, offset, pixels());
    SplittableRandom random = Seeds.random(seed, describe(index));
    Factors factors = sample(random);
    render(factors, random, imageSize, dst, offset);
  }

  @Override
  public String describe(int index) {
    return "textures/" + split.label() + "/" + index;
  }

  /** The discrete factors of image {@code index}. */
  public Factors factors(int index) {
    Procedural.checkIndex(index, size(), describe(index));
    return sample(Seeds.random(seed, describe(index)));
  }

  /** Writes {@code index,source,<factor>...} rows (values by name) for {@code indices}. */
  public void writeFactorsCsv(Path csv, int[] indices) throws IOException {
    for (int index : indices) {
      Procedural.checkIndex(index, size(), describe(index));
    }
    Procedural.writeFactorsCsv(
        csv, FACTOR_NAMES, indices, this::describe, i -> factors(i).valueNames());
  }

  /** Draws the factors (always the same four numbers from the stream). */
  static Factors sample(SplittableRandom random) {
    Kind kind = Kind.values()[random.nextInt(Kind.values().length)];
    Frequency frequency = Frequency.values()[random.nextInt(Frequency.values().length)];
    Overlay shapes = random.nextBoolean() ? Overlay.DISCS : Overlay.POLYGONS;
    Base texture = Base.values()[1 + random.nextInt(3)];
    return switch (kind) {
      case STRIPES -> new Factors(kind, frequency, Overlay.NONE, Base.STRIPES);
      case CHECKERBOARD -> new Factors(kind, frequency, Overlay.NONE, Base.CHECKERBOARD);
      case NOISE -> new Factors(kind, frequency, Overlay.NONE, Base.NOISE);
      case SHAPES -> new Factors(kind, frequency, shapes, Base.GRADIENT);
      case COMPOSITE -> new Factors(kind, frequency, shapes, texture);
    };
  }

  /**
   * Draws a texture with the given factors, taking its continuous parameters from {@code
   * random}, into {@code dst[offset .. offset + size*size*3)}.
   */
  static void render(
      Factors f, SplittableRandom random, int size, float[] dst, int offset) {
    int k = Procedural.supersample(size);
    int side = size * k;
    BufferedImage img = Procedural.canvas(side);
    int[] pix = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    double[] c1 = randomColor(random);
    double[] c2 = contrasting(random, c1);
    drawBase(f.base(), f.frequency(), random, c1, c2, pix, side);
    if (f.overlay() != Overlay.NONE) {
      Graphics2D g = Procedural.graphics(img);
      g.scale(side, side);
      int count;
      double rMin;
      double rMax;
      if (f.kind() == Kind.SHAPES) {
        switch (f.frequency()) {
          case LOW -> {
            count = 1 + random.nextInt(2);
            rMin = 0.18;
            rMax = 0.32;
          }
          case MID -> {
            count = 3 + random.nextInt(3);
            rMin = 0.09;
            rMax = 0.18;
          }
          default -> {
            count = 6 + random.nextInt(7);
            rMin = 0.04;
            rMax = 0.09;
          }
        }
      } else {
        count = 1 + random.nextInt(3);
        rMin = 0.12;
        rMax = 0.26;
      }
      for (int i = 0; i < count; i++) {
        double r = rMin + (rMax - rMin) * random.nextDouble();
        double x = 0.1 + 0.8 * random.nextDouble();
        double y = 0.1 + 0.8 * random.nextDouble();
        Shape s =
            f.overlay() == Overlay.DISCS
                ? new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r)
                : polygon(random, x, y, r);
        double[] c = randomColor(random);
        g.setColor(new Color(Procedural.rgb(c[0], c[1], c[2])));
        g.fill(s);
      }
      g.dispose();
    }
    Procedural.boxDownsample(img, k, size, dst, offset);
  }

  private static void drawBase(
      Base base,
      Frequency bucket,
      SplittableRandom random,
      double[] c1,
      double[] c2,
      int[] pix,
      int side) {
    double theta = Math.PI * random.nextDouble();
    double cos = Math.cos(theta);
    double sin = Math.sin(theta);
    double freq = frequency(bucket, random);
    double phase = random.nextDouble();
    switch (base) {
      case GRADIENT -> {
        double gTheta = 2 * Math.PI * random.nextDouble();
        double gc = Math.cos(gTheta);
        double gs = Math.sin(gTheta);
        for (int y = 0; y < side; y++) {
          double v = (y + 0.5) / side - 0.5;
          for (int x = 0; x < side; x++) {
            double u = (x + 0.5) / side - 0.5;
            double t = clamp01(0.5 + 0.9 * (u * gc + v * gs));
            pix[y * side + x] = mix(c1, c2, t);
          }
        }
      }
      case STRIPES -> {
        double duty = 0.35 + 0.3 * random.nextDouble();
        int a = mix(c1, c2, 0);
        int b = mix(c1, c2, 1);
        for (int y = 0; y < side; y++) {
          double v = (y + 0.5) / side;
          for (int x = 0; x < side; x++) {
            double u = (x + 0.5) / side;
            double p = freq * (u * cos + v * sin) + phase;
            pix[y * side + x] = p - Math.floor(p) < duty ? a : b;
          }
        }
      }
      case CHECKERBOARD -> {
        double phase2 = random.nextDouble();
        int a = mix(c1, c2, 0);
        int b = mix(c1, c2, 1);
        for (int y = 0; y < side; y++) {
          double v = (y + 0.5) / side;
          for (int x = 0; x < side; x++) {
            double u = (x + 0.5) / side;
            long i = (long) Math.floor(2 * (freq * (u * cos + v * sin) + phase));
            long j = (long) Math.floor(2 * (freq * (v * cos - u * sin) + phase2));
            pix[y * side + x] = ((i + j) & 1) == 0 ? a : b;
          }
        }
      }
      case NOISE -> {
        int n = 3 + random.nextInt(4);
        double[] kx = new double[n];
        double[] ky = new double[n];
        double[] ph = new double[n];
        double[] amp = new double[n];
        double total = 0;
        for (int i = 0; i < n; i++) {
          double th = 2 * Math.PI * random.nextDouble();
          double fi = i == 0 ? freq : frequency(bucket, random);
          kx[i] = 2 * Math.PI * fi * Math.cos(th);
          ky[i] = 2 * Math.PI * fi * Math.sin(th);
          ph[i] = 2 * Math.PI * random.nextDouble();
          amp[i] = 0.5 + 0.5 * random.nextDouble();
          total += amp[i] * amp[i];
        }
        // unit variance, then most of the range in [0, 1]
        double norm = 1 / Math.sqrt(total / 2);
        for (int y = 0; y < side; y++) {
          double v = (y + 0.5) / side;
          for (int x = 0; x < side; x++) {
            double u = (x + 0.5) / side;
            double s = 0;
            for (int i = 0; i < n; i++) {
              s += amp[i] * Math.sin(kx[i] * u + ky[i] * v + ph[i]);
            }
            pix[y * side + x] = mix(c1, c2, clamp01(0.5 + 0.3 * s * norm));
          }
        }
      }
    }
  }

  private static double frequency(Frequency bucket, SplittableRandom random) {
    return bucket.low * Math.pow(2, random.nextDouble());
  }

  private static Shape polygon(SplittableRandom random, double x, double y, double r) {
    int n = 3 + random.nextInt(5);
    double start = 2 * Math.PI * random.nextDouble();
    Path2D.Double p = new Path2D.Double();
    for (int i = 0; i < n; i++) {
      double a = start + 2 * Math.PI * (i + 0.3 * (random.nextDouble() - 0.5)) / n;
      double ri = r * (0.75 + 0.25 * random.nextDouble());
      double px = x + ri * Math.cos(a);
      double py = y + ri * Math.sin(a);
      if (i == 0) {
        p.moveTo(px, py);
      } else {
        p.lineTo(px, py);
      }
    }
    p.closePath();
    return p;
  }

  /** A colour from HSV with moderate-to-full saturation and value. */
  private static double[] randomColor(SplittableRandom random) {
    double h = random.nextDouble();
    double s = 0.15 + 0.85 * random.nextDouble();
    double v = 0.15 + 0.85 * random.nextDouble();
    Color c = Color.getHSBColor((float) h, (float) s, (float) v);
    return new double[] {c.getRed() / 255.0, c.getGreen() / 255.0, c.getBlue() / 255.0};
  }

  /** A colour whose luma differs from {@code c}'s by at least 0.25 (a bounded number of tries). */
  private static double[] contrasting(SplittableRandom random, double[] c) {
    double[] best = null;
    double bestDiff = -1;
    for (int attempt = 0; attempt < 16; attempt++) {
      double[] d = randomColor(random);
      double diff = Math.abs(luma(d) - luma(c));
      if (diff > bestDiff) {
        best = d;
        bestDiff = diff;
      }
      if (diff >= 0.25) {
        break;
      }
    }
    return best;
  }

  private static double luma(double[] c) {
    return 0.299 * c[0] + 0.587 * c[1] + 0.114 * c[2];
  }

  private static int mix(double[] a, double[] b, double t) {
    return Procedural.rgb(
        a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t);
  }

  private static double clamp01(double v) {
    return Math.max(0, Math.min(1, v));
  }
}
