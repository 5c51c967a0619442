package org.restorelab.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The generic value check of any config message: every int, float and double field, set or
 * defaulted, of the message and of every message it holds (nested, repeated, the chosen oneof
 * case), lies in the range its schema declares with {@code [(range) = "[1, inf)"]}
 * ({@code validation.proto}), and every float and double value is finite. Messages that are not
 * set are not walked: their schema defaults are checked once, by a test of the schema.
 *
 * <p>Problems name the field's full path as a user writes it in {@code --set}, e.g.
 * {@code toy_gan.estimator_optimizer.lr = NaN: expected a finite number}. Cross-field rules live
 * in {@link ConfigConsistency}; {@link #validate} runs both, and {@link ConfigLoader} calls it for
 * every config it parses and after every set of overrides.
 */
public final class ConfigValidator {
  private ConfigValidator() {}

  /** One thing wrong with a config: the field's path and the sentence after it. */
  public record Problem(String path, String message) {
    @Override
    public String toString() {
      return message;
    }
  }

  /** A declared interval; {@code inf} bounds are always open. */
  public record Range(double low, boolean lowClosed, double high, boolean highClosed, String text) {
    /** Parses {@code "[1, inf)"}, {@code "(0, 1]"}, {@code "(-inf, inf)"}, ... */
    public static Range parse(String text) {
      String t = text.trim();
      String[] bounds = t.length() < 2 ? new String[0] : t.substring(1, t.length() - 1).split(",");
      if (bounds.length != 2 || "[(".indexOf(t.charAt(0)) < 0 || "])".indexOf(t.charAt(t.length() - 1)) < 0) {
        throw new IllegalArgumentException("bad range \"" + text + "\": expected e.g. \"[1, inf)\" or \"(0, 1]\"");
      }
      double low = bound(bounds[0], text);
      double high = bound(bounds[1], text);
      if (!(low <= high)) {
        throw new IllegalArgumentException("bad range \"" + text + "\": the lower bound exceeds the upper one");
      }
      return new Range(low, t.charAt(0) == '[' && Double.isFinite(low), high,
          t.charAt(t.length() - 1) == ']' && Double.isFinite(high), t);
    }

    private static double bound(String s, String text) {
      String b = s.trim().toLowerCase(Locale.ROOT);
      switch (b) {
        case "inf", "+inf" -> {
          return Double.POSITIVE_INFINITY;
        }
        case "-inf" -> {
          return Double.NEGATIVE_INFINITY;
        }
        default -> {
          try {
            return Double.parseDouble(b);
          } catch (NumberFormatException e) {
            throw new IllegalArgumentException("bad range \"" + text + "\": '" + s.trim() + "' is not a number");
          }
        }
      }
    }

    public boolean contains(double v) {
      return (lowClosed ? v >= low : v > low) && (highClosed ? v <= high : v < high);
    }
  }

  /**
   * Throws a {@link ConfigException} for the first problem of {@code config}: a value out of its
   * declared range ({@link #check}) or a cross-field rule ({@link ConfigConsistency}).
   * {@code source} names the config in the message (a file, or the {@code --set} overrides).
   */
  public static void validate(ExperimentConfig config, String source) {
    Optional<Problem> p = problem(config);
    if (p.isPresent()) {
      throw new ConfigException(source + ": " + p.get().message());
    }
  }

  /** The first problem of {@code config}: a range ({@link #check}), then a cross-field rule. */
  public static Optional<Problem> problem(ExperimentConfig config) {
    return check(config, "").or(() -> ConfigConsistency.check(config));
  }

  /**
   * Throws a {@link ConfigException} naming the field when a value of {@code message} is out of
   * its declared range; {@code path} is the message's own path ("toy_gan", ...). For the per-job
   * validators, which also receive configs that did not come through {@link ConfigLoader}.
   */
  public static void requireInRange(Message message, String path) {
    check(message, path).ifPresent(p -> {
      throw new ConfigException(p.message());
    });
  }

  /** The first value of {@code message} outside its declared range (or not finite), if any. */
  public static Optional<Problem> check(Message message, String path) {
    List<Problem> problems = new ArrayList<>();
    walk(message, path, problems);
    return problems.stream().findFirst();
  }

  /** The declared range of a numeric field, or null when it has none. */
  public static Range range(FieldDescriptor field) {
    String text = field.getOptions().getExtension(ValidationProto.range);
    return text.isEmpty() ? null : Range.parse(text);
  }

  /** Whether a field holds integers or floating-point numbers (the fields that need a range). */
  public static boolean isNumeric(FieldDescriptor field) {
    return switch (field.getJavaType()) {
      case INT, LONG, FLOAT, DOUBLE -> true;
      default -> false;
    };
  }

  private static void walk(Message m, String path, List<Problem> problems) {
    Descriptor type = m.getDescriptorForType();
    for (FieldDescriptor f : type.getFields()) {
      if (!problems.isEmpty()) {
        return;
      }
      String name = path.isEmpty() ? f.getName() : path + "." + f.getName();
      boolean inUnsetOneof = f.getContainingOneof() != null && !m.hasField(f);
      if (f.getJavaType() == FieldDescriptor.JavaType.MESSAGE) {
        if (f.isRepeated()) {
          for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
            walk((Message) m.getRepeatedField(f, i), name + "[" + i + "]", problems);
          }
        } else if (m.hasField(f)) {
          walk((Message) m.getField(f), name, problems);
        }
      } else if (isNumeric(f) && !inUnsetOneof) {
        if (f.isRepeated()) {
          for (int i = 0; i < m.getRepeatedFieldCount(f); i++) {
            checkValue(f, m.getRepeatedField(f, i), name + "[" + i + "]", problems);
          }
        } else {
          checkValue(f, m.getField(f), name, problems);
        }
      }
    }
  }

  private static void checkValue(FieldDescriptor f, Object value, String name, List<Problem> problems) {
    boolean floating = value instanceof Float || value instanceof Double;
    boolean unsigned = f.getType() == FieldDescriptor.Type.UINT32 || f.getType() == FieldDescriptor.Type.UINT64
        || f.getType() == FieldDescriptor.Type.FIXED32 || f.getType() == FieldDescriptor.Type.FIXED64;
    double v = unsigned ? unsignedValue(value) : ((Number) value).doubleValue();
    String shown = text(value, unsigned);
    if (floating && !Double.isFinite(v)) {
      problems.add(new Problem(name, name + " = " + shown + ": expected a finite number"));
      return;
    }
    Range range = range(f);
    if (range != null && !range.contains(v)) {
      problems.add(new Problem(name, name + " = " + shown + ": expected " + (floating ? "a number" : "an integer")
          + " in " + range.text()));
    }
  }

  private static double unsignedValue(Object value) {
    if (value instanceof Integer i) {
      return Integer.toUnsignedLong(i);
    }
    long l = (Long) value;
    return l >= 0 ? l : Math.scalb((double) (l >>> 1), 1);
  }

  private static String text(Object value, boolean unsigned) {
    if (unsigned && value instanceof Long l) {
      return Long.toUnsignedString(l);
    }
    if (unsigned && value instanceof Integer i) {
      return Integer.toUnsignedString(i);
    }
    if (value instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
      return String.valueOf(d.longValue());
    }
    if (value instanceof Float fl && fl == Math.rint(fl) && Math.abs(fl) < 1e7f) {
      return String.valueOf(fl.longValue());
    }
    return String.valueOf(value);
  }
}
