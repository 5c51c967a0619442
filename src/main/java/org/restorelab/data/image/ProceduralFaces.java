package org.restorelab.data.image;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Graphics2D;
import java.awt.RadialGradientPaint;
import java.awt.Shape;
import java.awt.geom.Area;
import java.awt.geom.Ellipse2D;
import java.awt.geom.Line2D;
import java.awt.geom.Path2D;
import java.awt.geom.QuadCurve2D;
import java.awt.geom.Rectangle2D;
import java.awt.geom.RoundRectangle2D;
import java.awt.image.BufferedImage;
import java.awt.image.DataBufferInt;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ProceduralFacesConfig;
import org.restorelab.run.Seeds;

/**
 * Synthetic cartoon faces drawn with Java2D, for CPU-scale inpainting experiments and tests.
 *
 * <p>Image {@code i} of a split is drawn from {@code Seeds.random(seed, "faces/<split>/<i>")}
 * alone: ten independent, uniformly drawn discrete factors (see {@link Factors}), then a
 * deterministic rendering of those factors ({@link #render(Factors, int)}), antialiased and
 * supersampled (drawn at 2-4x, box-averaged).
 *
 * <p><b>Fixed factors.</b> {@code faces { fixed { factor: "brows" value: "thick" } }} holds a
 * factor at one value ({@link #fixedCodes()}): all ten factors are still drawn as above, then the
 * fixed ones are overwritten, so image i's free factors (and the random stream) are exactly those
 * of the same set without {@code fixed}.
 *
 * <p><b>Where the factors show.</b> Let {@code b = floor(3 * size / 4)}; rows {@code 0 .. b-1}
 * are the upper three quarters (the region the inpainting task masks), rows {@code b ..
 * size-1} the bottom quarter (what the inpainting model sees).
 *
 * <ul>
 *   <li>Upper three quarters only: {@code hair_style}, {@code hair_color}, {@code eye_color},
 *       {@code glasses}, {@code brows}. Their drawing is clipped to rows {@code < b}, so changing
 *       any of them leaves the bottom quarter bit-identical (long hair ends just above row b).
 *   <li>Bottom quarter only: {@code mouth}, {@code shirt} (clipped to rows {@code >= b}).
 *   <li>Both: {@code skin_tone} (face, chin, neck), {@code face_width} (the chin's width),
 *       {@code background}.
 * </ul>
 *
 * <p>All factors are independent, so given the bottom quarter the identity factors (hair, eyes,
 * glasses, brows) are still uniform: the posterior of the upper three quarters is a known
 * mixture of 5 * 6 * 4 * 4 * 3 = 1440 equally likely modes (fewer distinct ones where sunglasses
 * darken the eyes; the eye colour stays faintly visible through them). The bottom quarter only
 * tells the pixel-level context shared with the top: skin tone, face width, background. With
 * fixed factors the posterior is uniform over the free hidden factors only (hair_style, eye_color
 * and brows fixed: 6 * 4 = 24 modes).
 *
 * <p>Reads are thread-safe: nothing mutable is shared between calls.
 */
public final class ProceduralFaces implements ImageSet {

  /** The code of a factor that is not fixed, in {@link #fixedCodes()}. */
  public static final int FREE = -1;

  /** Hair style. BALD keeps tufts above the ears, so hair colour is always visible. */
  public enum HairStyle {
    SHORT,
    LONG,
    BALD,
    FRINGE,
    CURLY
  }

  /** Hair colour (the brows take a darker shade of it). */
  public enum HairColor {
    BLACK(0.11, 0.10, 0.10),
    BROWN(0.45, 0.28, 0.15),
    BLOND(0.95, 0.82, 0.45),
    RED(0.78, 0.30, 0.12),
    GREY(0.72, 0.72, 0.74),
    BLUE(0.22, 0.42, 0.88);

    final double[] rgb;

    HairColor(double r, double g, double b) {
      this.rgb = new double[] {r, g, b};
    }
  }

  public enum EyeColor {
    BROWN(0.42, 0.24, 0.10),
    BLUE(0.20, 0.50, 0.95),
    GREEN(0.15, 0.65, 0.25),
    GREY(0.62, 0.64, 0.68);

    final double[] rgb;

    EyeColor(double r, double g, double b) {
      this.rgb = new double[] {r, g, b};
    }
  }

  public enum Glasses {
    NONE,
    ROUND,
    SQUARE,
    SUNGLASSES
  }

  public enum Brows {
    THIN,
    THICK,
    RAISED
  }

  public enum SkinTone {
    PALE(1.00, 0.88, 0.79),
    LIGHT(0.96, 0.78, 0.64),
    MEDIUM(0.85, 0.63, 0.46),
    TAN(0.68, 0.47, 0.32),
    DARK(0.44, 0.30, 0.21);

    final double[] rgb;

    SkinTone(double r, double g, double b) {
      this.rgb = new double[] {r, g, b};
    }
  }

  /** Half-width of the face (the jaw and chin show in the bottom quarter). */
  public enum FaceWidth {
    NARROW(0.195),
    MEDIUM(0.225),
    WIDE(0.255);

    final double halfWidth;

    FaceWidth(double halfWidth) {
      this.halfWidth = halfWidth;
    }
  }

  public enum Background {
    SKY(0.60, 0.78, 0.95),
    MINT(0.62, 0.88, 0.70),
    LAVENDER(0.78, 0.70, 0.92),
    SLATE(0.22, 0.27, 0.34),
    TEAL(0.18, 0.52, 0.55),
    WHITE(0.94, 0.94, 0.94);

    final double[] rgb;

    Background(double r, double g, double b) {
      this.rgb = new double[] {r, g, b};
    }
  }

  /** Mouth expression (bottom quarter only). */
  public enum Mouth {
    NEUTRAL,
    SMILE,
    OPEN
  }

  /** Shirt colour (bottom quarter only). */
  public enum Shirt {
    RED(0.80, 0.18, 0.20),
    GREEN(0.20, 0.58, 0.28),
    NAVY(0.15, 0.22, 0.55),
    YELLOW(0.96, 0.80, 0.20),
    BLACK(0.12, 0.12, 0.13);

    final double[] rgb;

    Shirt(double r, double g, double b) {
      this.rgb = new double[] {r, g, b};
    }
  }

  private static final List<Class<? extends Enum<?>>> FACTOR_TYPES =
      List.of(
          HairStyle.class,
          HairColor.class,
          EyeColor.class,
          Glasses.class,
          Brows.class,
          SkinTone.class,
          FaceWidth.class,
          Background.class,
          Mouth.class,
          Shirt.class);

  private static final List<String> FACTOR_NAMES =
      List.of(
          "hair_style",
          "hair_color",
          "eye_color",
          "glasses",
          "brows",
          "skin_tone",
          "face_width",
          "background",
          "mouth",
          "shirt");

  private static final List<String> BOTTOM_QUARTER_FACTORS =
      List.of("skin_tone", "face_width", "background", "mouth", "shirt");

  /**
   * The hidden factors of one face, in {@link #factorNames()} order. All are drawn independently
   * and uniformly.
   */
  public record Factors(
      HairStyle hairStyle,
      HairColor hairColor,
      EyeColor eyeColor,
      Glasses glasses,
      Brows brows,
      SkinTone skinTone,
      FaceWidth faceWidth,
      Background background,
      Mouth mouth,
      Shirt shirt) {

    /** The factors as codes (enum ordinals), in {@link #factorNames()} order. */
    public int[] codes() {
      return new int[] {
        hairStyle.ordinal(),
        hairColor.ordinal(),
        eyeColor.ordinal(),
        glasses.ordinal(),
        brows.ordinal(),
        skinTone.ordinal(),
        faceWidth.ordinal(),
        background.ordinal(),
        mouth.ordinal(),
        shirt.ordinal()
      };
    }

    /** The factor values by lower-case name ("curly", "blond", ...), in factor order. */
    public List<String> valueNames() {
      int[] c = codes();
      List<String> out = new ArrayList<>(c.length);
      for (int j = 0; j < c.length; j++) {
        out.add(Procedural.lower(FACTOR_TYPES.get(j).getEnumConstants()[c[j]]));
      }
      return out;
    }

    /** The factors with codes, in {@link #factorNames()} order. */
    public static Factors fromCodes(int... codes) {
      int[] card = factorCardinalities();
      if (codes.length != card.length) {
        throw new IllegalArgumentException(
            "expected " + card.length + " factor codes, got " + codes.length);
      }
      for (int j = 0; j < codes.length; j++) {
        if (codes[j] < 0 || codes[j] >= card[j]) {
          throw new IllegalArgumentException(
              FACTOR_NAMES.get(j) + " code " + codes[j] + " not in [0, " + card[j] + ")");
        }
      }
      return new Factors(
          HairStyle.values()[codes[0]],
          HairColor.values()[codes[1]],
          EyeColor.values()[codes[2]],
          Glasses.values()[codes[3]],
          Brows.values()[codes[4]],
          SkinTone.values()[codes[5]],
          FaceWidth.values()[codes[6]],
          Background.values()[codes[7]],
          Mouth.values()[codes[8]],
          Shirt.values()[codes[9]]);
    }

    /** These factors with factor {@code factor} (an index into factorNames) set to {@code code}. */
    public Factors with(int factor, int code) {
      int[] c = codes();
      c[factor] = code;
      return fromCodes(c);
    }
  }

  private final int trainSize;
  private final int validationSize;
  private final int imageSize;
  private final long seed;
  private final Split split;
  private final int[] fixed;

  /**
   * The {@code split} of the faces {@code config} describes; its {@code fixed} factors are checked
   * here too (errors name {@code data.faces.fixed[i]}; per-job validators check them first, with
   * their own path, through {@link ImageSets#validate}).
   */
  public ProceduralFaces(ProceduralFacesConfig config, int imageSize, long seed, Split split) {
    Procedural.checkSize(imageSize);
    Procedural.checkCount("faces train_size", config.getTrainSize());
    Procedural.checkCount("faces validation_size", config.getValidationSize());
    this.trainSize = config.getTrainSize();
    this.validationSize = config.getValidationSize();
    this.imageSize = imageSize;
    this.seed = seed;
    this.split = split;
    this.fixed = fixedCodes(config, "data.faces");
  }

  /**
   * The codes {@code config.fixed} holds, by factor in {@link #factorNames()} order, {@link #FREE}
   * for a factor it leaves free. An unknown factor or value, or a factor fixed twice, is a
   * {@link ConfigException} of one line naming the element under {@code path} (the faces block's
   * own path), e.g. {@code image_gan.data.faces.fixed[1].value: "blu" is not a value of hair_color
   * (expected one of black, brown, blond, red, grey, blue)}.
   */
  public static int[] fixedCodes(ProceduralFacesConfig config, String path) {
    int[] codes = new int[FACTOR_NAMES.size()];
    int[] element = new int[FACTOR_NAMES.size()];
    Arrays.fill(codes, FREE);
    List<List<String>> values = factorValueNames();
    for (int i = 0; i < config.getFixedCount(); i++) {
      ProceduralFacesConfig.FixedFactor f = config.getFixed(i);
      String at = path + ".fixed[" + i + "]";
      int j = FACTOR_NAMES.indexOf(f.getFactor());
      if (j < 0) {
        throw new ConfigException(at + ".factor: \"" + f.getFactor() + "\" is not a factor of the faces (expected one of "
            + String.join(", ", FACTOR_NAMES) + ")");
      }
      if (codes[j] != FREE) {
        throw new ConfigException(at + ".factor: \"" + f.getFactor() + "\" is fixed twice (also by " + path + ".fixed["
            + element[j] + "])");
      }
      int v = values.get(j).indexOf(f.getValue());
      if (v < 0) {
        throw new ConfigException(at + ".value: \"" + f.getValue() + "\" is not a value of " + f.getFactor()
            + " (expected one of " + String.join(", ", values.get(j)) + ")");
      }
      codes[j] = v;
      element[j] = i;
    }
    return codes;
  }

  /**
   * The code each factor is fixed to in this set, in {@link #factorNames()} order; {@link #FREE}
   * for a factor drawn uniformly (a copy).
   */
  public int[] fixedCodes() {
    return fixed.clone();
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

  /** The factors that show in the bottom quarter (all others only in the upper 3/4). */
  public static List<String> bottomQuarterFactors() {
    return BOTTOM_QUARTER_FACTORS;
  }

  /** First row of the bottom quarter, floor(3 * size / 4). */
  public static int bottomQuarterStart(int size) {
    return 3 * size / 4;
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
    render(factors(index), imageSize, dst, offset);
  }

  @Override
  public String describe(int index) {
    return "faces/" + split.label() + "/" + index;
  }

  /**
   * The hidden factors of image {@code index}: all ten drawn from its stream, then the fixed ones
   * overwritten (the free ones are those of the same set without fixed factors).
   */
  public Factors factors(int index) {
    Procedural.checkIndex(index, size(), describe(index));
    Factors drawn = sample(Seeds.random(seed, describe(index)));
    int[] codes = drawn.codes();
    boolean changed = false;
    for (int j = 0; j < codes.length; j++) {
      if (fixed[j] != FREE && codes[j] != fixed[j]) {
        codes[j] = fixed[j];
        changed = true;
      }
    }
    return changed ? Factors.fromCodes(codes) : drawn;
  }

  /** Writes {@code index,source,<factor>...} rows (values by name) for {@code indices}. */
  public void writeFactorsCsv(Path csv, int[] indices) throws IOException {
    for (int index : indices) {
      Procedural.checkIndex(index, size(), describe(index));
    }
    Procedural.writeFactorsCsv(
        csv, FACTOR_NAMES, indices, this::describe, i -> factors(i).valueNames());
  }

  /** Draws a face with the given factors as a new size x size x 3 HWC float image. */
  public static float[] render(Factors factors, int size) {
    float[] out = new float[size * size * 3];
    render(factors, size, out, 0);
    return out;
  }

  /** Draws a face with the given factors into {@code dst[offset .. offset + size*size*3)}. */
  public static void render(Factors factors, int size, float[] dst, int offset) {
    Procedural.checkSize(size);
    Procedural.checkDst(dst, offset, size * size * 3);
    int k = Procedural.supersample(size);
    BufferedImage img = Procedural.canvas(size * k);
    draw(factors, size, k, img);
    Procedural.boxDownsample(img, k, size, dst, offset);
  }

  static Factors sample(SplittableRandom random) {
    int[] card = factorCardinalities();
    int[] codes = new int[card.length];
    for (int j = 0; j < card.length; j++) {
      codes[j] = random.nextInt(card[j]);
    }
    return Factors.fromCodes(codes);
  }

  // ---------------------------------------------------------------------------------------
  // Drawing, in unit coordinates (x right, y down, the image is [0, 1]^2).

  private static final double CX = 0.5;
  private static final double FACE_CY = 0.56;
  private static final double FACE_RY = 0.35;
  private static final double EYE_Y = 0.47;
  private static final double HAIR_TOP = 0.115;
  private static final double LONG_HAIR_END = 0.745;

  private static void draw(Factors f, int size, int k, BufferedImage img) {
    int side = size * k;
    int split = bottomQuarterStart(size) * k;
    // background: a soft vertical gradient, written straight into the pixels
    double[] bg = f.background().rgb;
    int[] pix = ((DataBufferInt) img.getRaster().getDataBuffer()).getData();
    for (int y = 0; y < side; y++) {
      double t = 1.06 - 0.20 * (y + 0.5) / side;
      Arrays.fill(pix, y * side, (y + 1) * side, Procedural.rgb(bg[0] * t, bg[1] * t, bg[2] * t));
    }
    Graphics2D base = Procedural.graphics(img);
    // "all" draws anywhere; "up" only in the upper 3/4; "low" only in the bottom quarter. The
    // clips are set in device pixels (before scaling), on a block boundary of the downsampling.
    Graphics2D all = (Graphics2D) base.create();
    all.scale(side, side);
    Graphics2D up = (Graphics2D) base.create();
    up.clipRect(0, 0, side, split);
    up.scale(side, side);
    Graphics2D low = (Graphics2D) base.create();
    low.clipRect(0, split, side, side - split);
    low.scale(side, side);

    double w = f.faceWidth().halfWidth;
    double[] skin = f.skinTone().rgb;
    double[] hair = f.hairColor().rgb;

    // hair behind the head
    List<Shape> backHair = backHair(f.hairStyle(), w);
    outlinedUnion(up, backHair, color(hair, 1.0), color(hair, 0.6), 0.010);

    // neck and shirt
    Color neck = color(skin, 0.80);
    all.setColor(neck);
    all.fill(new Rectangle2D.Double(CX - 0.085, 0.70, 0.17, 0.32));
    Shape shirt = new Ellipse2D.Double(CX - 0.44, 0.862, 0.88, 0.50);
    low.setColor(color(f.shirt().rgb, 1.0));
    low.fill(shirt);
    stroke(low, shirt, color(f.shirt().rgb, 0.6), 0.010);
    low.setColor(neck);
    low.fill(new Ellipse2D.Double(CX - 0.085, 0.83, 0.17, 0.08));

    // ears (hidden by long hair)
    if (f.hairStyle() != HairStyle.LONG) {
      for (int s = -1; s <= 1; s += 2) {
        Shape ear = new Ellipse2D.Double(CX + s * w - 0.035, EYE_Y - 0.02, 0.07, 0.11);
        up.setColor(color(skin, 0.92));
        up.fill(ear);
        stroke(up, ear, color(skin, 0.65), 0.008);
      }
    }

    // face
    Shape face = new Ellipse2D.Double(CX - w, FACE_CY - FACE_RY, 2 * w, 2 * FACE_RY);
    all.setPaint(
        new RadialGradientPaint(
            (float) (CX - 0.05),
            (float) 0.47,
            (float) 0.42,
            new float[] {0f, 1f},
            new Color[] {color(skin, 1.05), color(skin, 0.86)}));
    all.fill(face);
    stroke(all, face, color(skin, 0.62), 0.009);

    // nose (fixed, not a factor)
    up.setColor(color(skin, 0.70));
    up.setStroke(new BasicStroke(0.013f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    up.draw(new QuadCurve2D.Double(CX - 0.005, 0.545, CX - 0.035, 0.625, CX + 0.02, 0.628));

    // hair in front of the face
    drawFrontHair(up, f.hairStyle(), w, hair);

    // eyes
    double eyeDx = 0.42 * w;
    Color iris = color(f.eyeColor().rgb, 1.0);
    for (int s = -1; s <= 1; s += 2) {
      double ex = CX + s * eyeDx;
      Shape white = new Ellipse2D.Double(ex - 0.052, EYE_Y - 0.038, 0.104, 0.076);
      up.setColor(new Color(250, 250, 250));
      up.fill(white);
      up.setColor(iris);
      up.fill(circle(ex, EYE_Y + 0.003, 0.033));
      up.setColor(new Color(15, 15, 18));
      up.fill(circle(ex, EYE_Y + 0.003, 0.013));
      up.setColor(Color.WHITE);
      up.fill(circle(ex + 0.011, EYE_Y - 0.008, 0.007));
      stroke(up, white, color(skin, 0.35), 0.009);
    }

    // brows, a darker shade of the hair
    Color browColor = browColor(f.hairColor());
    for (int s = -1; s <= 1; s += 2) {
      double ex = CX + s * eyeDx;
      double by = EYE_Y - 0.078;
      switch (f.brows()) {
        case THIN -> {
          up.setColor(browColor);
          up.setStroke(new BasicStroke(0.014f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          up.draw(new Line2D.Double(ex - s * 0.045, by + 0.004, ex + s * 0.045, by - 0.004));
        }
        case THICK -> {
          up.setColor(browColor);
          up.setStroke(new BasicStroke(0.034f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          up.draw(new Line2D.Double(ex - s * 0.045, by + 0.008, ex + s * 0.045, by + 0.002));
        }
        case RAISED -> {
          up.setColor(browColor);
          up.setStroke(new BasicStroke(0.018f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
          up.draw(
              new QuadCurve2D.Double(
                  ex - 0.052, by - 0.008, ex, by - 0.070, ex + 0.052, by - 0.008));
        }
      }
    }

    // glasses
    drawGlasses(up, f.glasses(), eyeDx, w);

    // mouth
    drawMouth(low, f.mouth(), skin);

    up.dispose();
    low.dispose();
    all.dispose();
    base.dispose();
  }

  /** The shapes of the hair behind the head (drawn as their outlined union). */
  private static List<Shape> backHair(HairStyle style, double w) {
    switch (style) {
      case SHORT, FRINGE -> {
        return List.of(new Ellipse2D.Double(CX - w - 0.028, HAIR_TOP, 2 * w + 0.056, 0.50));
      }
      case LONG -> {
        return List.of(
            new Ellipse2D.Double(CX - w - 0.06, HAIR_TOP, 2 * w + 0.12, 0.44),
            new RoundRectangle2D.Double(
                CX - w - 0.06, 0.30, 2 * w + 0.12, LONG_HAIR_END - 0.30, 0.06, 0.06));
      }
      case CURLY -> {
        List<Shape> shapes = new ArrayList<>();
        shapes.add(new Ellipse2D.Double(CX - w - 0.05, HAIR_TOP - 0.01, 2 * w + 0.1, 0.46));
        int n = 15;
        for (int i = 0; i < n; i++) {
          double t = Math.PI * (0.92 + 1.16 * i / (n - 1)); // around the top, down to the ears
          double x = CX + (w + 0.045) * Math.cos(t);
          double y = 0.34 + 0.22 * Math.sin(t);
          shapes.add(circle(x, y, 0.052));
        }
        return shapes;
      }
      case BALD -> {
        return List.of();
      }
    }
    throw new AssertionError(style);
  }

  /**
   * Fills the union of {@code shapes} with an outline of {@code width} (centred on the union's
   * border): all strokes first, then all fills, which cover the strokes' inner halves.
   */
  private static void outlinedUnion(
      Graphics2D g, List<Shape> shapes, Color fill, Color edge, double width) {
    g.setColor(edge);
    g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    for (Shape s : shapes) {
      g.draw(s);
    }
    g.setColor(fill);
    for (Shape s : shapes) {
      g.fill(s);
    }
  }

  private static void drawFrontHair(Graphics2D up, HairStyle style, double w, double[] hair) {
    Color fill = color(hair, 1.0);
    Color edge = color(hair, 0.6);
    Area front;
    switch (style) {
      case SHORT -> {
        front = new Area(new Ellipse2D.Double(CX - w - 0.028, HAIR_TOP, 2 * w + 0.056, 0.50));
        front.subtract(new Area(new Ellipse2D.Double(CX - 0.92 * w, 0.255, 1.84 * w, 0.36)));
      }
      case FRINGE -> {
        front = new Area(new Ellipse2D.Double(CX - w - 0.028, HAIR_TOP, 2 * w + 0.056, 0.50));
        // straight-cut bangs down to just above the brows, slightly side-swept
        Path2D.Double cut = new Path2D.Double();
        cut.moveTo(0, 0.352);
        cut.lineTo(1, 0.328);
        cut.lineTo(1, 1);
        cut.lineTo(0, 1);
        cut.closePath();
        Area below = new Area(cut);
        Area sides = new Area(new Ellipse2D.Double(CX - 0.95 * w, 0.20, 1.9 * w, 0.60));
        sides.intersect(new Area(new Rectangle2D.Double(0, 0.36, 1, 1)));
        front.subtract(below);
        front.subtract(sides);
      }
      case LONG -> {
        front = new Area(new Ellipse2D.Double(CX - w - 0.06, HAIR_TOP, 2 * w + 0.12, 0.44));
        front.add(
            new Area(
                new RoundRectangle2D.Double(
                    CX - w - 0.06, 0.30, 2 * w + 0.12, LONG_HAIR_END - 0.30, 0.06, 0.06)));
        // the face shows through a window; the hair frames it and parts in the middle
        front.subtract(new Area(new Ellipse2D.Double(CX - 0.80 * w, 0.255, 1.60 * w, 0.62)));
        Path2D.Double part = new Path2D.Double();
        part.moveTo(CX - 0.75 * w, 0.36);
        part.quadTo(CX - 0.1 * w, 0.30, CX, 0.245);
        part.quadTo(CX + 0.1 * w, 0.30, CX + 0.75 * w, 0.36);
        part.lineTo(CX + 0.75 * w, 0.40);
        part.lineTo(CX - 0.75 * w, 0.40);
        part.closePath();
        front.subtract(new Area(part));
      }
      case CURLY -> {
        front = new Area(new Ellipse2D.Double(CX - w - 0.05, HAIR_TOP - 0.01, 2 * w + 0.1, 0.46));
        front.subtract(new Area(new Ellipse2D.Double(CX - 0.9 * w, 0.27, 1.8 * w, 0.40)));
      }
      case BALD -> {
        front = new Area();
        for (int s = -1; s <= 1; s += 2) {
          front.add(
              new Area(new Ellipse2D.Double(CX + s * w - 0.04, 0.325, 0.08, 0.15)));
        }
        // a shine on the scalp
        up.setColor(new Color(255, 255, 255, 70));
        up.fill(new Ellipse2D.Double(CX - 0.10, 0.245, 0.10, 0.05));
      }
      default -> throw new AssertionError(style);
    }
    if (style != HairStyle.LONG) {
      // sideburns end at the top of the ears
      front.intersect(new Area(new Rectangle2D.Double(0, 0, 1, 0.44)));
    }
    up.setColor(fill);
    up.fill(front);
    stroke(up, front, edge, 0.010);
    if (style == HairStyle.CURLY) {
      // curls along the hairline
      List<Shape> curls = new ArrayList<>();
      int n = 6;
      for (int i = 0; i < n; i++) {
        double x = CX - 0.78 * w + 1.56 * w * i / (n - 1);
        double y = 0.262 + 0.03 * Math.pow(Math.abs(x - CX) / w, 2);
        curls.add(circle(x, y, 0.038));
      }
      outlinedUnion(up, curls, fill, edge, 0.010);
    }
  }

  private static void drawGlasses(Graphics2D up, Glasses glasses, double eyeDx, double w) {
    if (glasses == Glasses.NONE) {
      return;
    }
    Color frame = new Color(22, 22, 26);
    up.setStroke(new BasicStroke(0.017f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    double half = Math.min(0.078, eyeDx - 0.012);
    Shape[] lenses = new Shape[2];
    for (int s = -1; s <= 1; s += 2) {
      double ex = CX + s * eyeDx;
      lenses[(s + 1) / 2] =
          switch (glasses) {
            case ROUND -> circle(ex, EYE_Y, half);
            case SQUARE ->
                new RoundRectangle2D.Double(
                    ex - half, EYE_Y - 0.056, 2 * half, 0.108, 0.025, 0.025);
            case SUNGLASSES ->
                new RoundRectangle2D.Double(
                    ex - half, EYE_Y - 0.048, 2 * half, 0.090, 0.05, 0.07);
            default -> throw new AssertionError(glasses);
          };
    }
    for (int s = 0; s < 2; s++) {
      if (glasses == Glasses.SUNGLASSES) {
        up.setColor(new Color(10, 12, 18, 215));
        up.fill(lenses[s]);
      } else {
        up.setColor(new Color(255, 255, 255, 40));
        up.fill(lenses[s]);
      }
      up.setColor(frame);
      up.draw(lenses[s]);
    }
    // bridge and temples
    up.setColor(frame);
    up.draw(new Line2D.Double(CX - eyeDx + half, EYE_Y - 0.01, CX + eyeDx - half, EYE_Y - 0.01));
    up.draw(new Line2D.Double(CX - eyeDx - half, EYE_Y - 0.01, CX - w, EYE_Y - 0.02));
    up.draw(new Line2D.Double(CX + eyeDx + half, EYE_Y - 0.01, CX + w, EYE_Y - 0.02));
  }

  private static void drawMouth(Graphics2D low, Mouth mouth, double[] skin) {
    // lips: the skin pulled towards a dusky red
    double[] lip = {
      0.55 * skin[0] + 0.45 * 0.62, 0.55 * skin[1] + 0.45 * 0.16, 0.55 * skin[2] + 0.45 * 0.20
    };
    Color lipColor = color(lip, 0.75);
    low.setColor(lipColor);
    low.setStroke(new BasicStroke(0.025f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    switch (mouth) {
      case NEUTRAL -> low.draw(new Line2D.Double(CX - 0.06, 0.805, CX + 0.06, 0.805));
      case SMILE ->
          low.draw(new QuadCurve2D.Double(CX - 0.078, 0.785, CX, 0.855, CX + 0.078, 0.785));
      case OPEN -> {
        Shape m = new Ellipse2D.Double(CX - 0.046, 0.78, 0.092, 0.062);
        low.setColor(new Color(70, 14, 20));
        low.fill(m);
        low.setColor(new Color(245, 245, 240));
        low.fill(new Rectangle2D.Double(CX - 0.03, 0.781, 0.06, 0.013));
        low.setColor(lipColor);
        low.setStroke(new BasicStroke(0.014f));
        low.draw(m);
      }
    }
  }

  private static Color browColor(HairColor hair) {
    return switch (hair) {
      case BLOND -> color(hair.rgb, 0.72);
      case GREY -> color(hair.rgb, 0.72);
      case BLACK -> color(hair.rgb, 1.0);
      default -> color(hair.rgb, 0.8);
    };
  }

  private static void stroke(Graphics2D g, Shape s, Color c, double width) {
    g.setColor(c);
    g.setStroke(new BasicStroke((float) width, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND));
    g.draw(s);
  }

  private static Ellipse2D circle(double x, double y, double r) {
    return new Ellipse2D.Double(x - r, y - r, 2 * r, 2 * r);
  }

  private static Color color(double[] rgb, double scale) {
    return new Color(Procedural.rgb(rgb[0] * scale, rgb[1] * scale, rgb[2] * scale));
  }
}
