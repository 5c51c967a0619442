package org.restorelab.config;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * Reads experiment configs (Protobuf text format) and applies {@code --set path=value}
 * overrides. Unknown fields are errors; every error names the file (with line and column) or
 * the override path. Every config this class returns has been validated
 * ({@link ConfigValidator#validate}: every numeric field in its declared range and finite, and
 * the cross-field rules of {@link ConfigConsistency}), so a bad value is refused before any work.
 */
public final class ConfigLoader {

  /** Classpath folder of the configs shipped under {@code configs/}. */
  public static final String EMBEDDED_PREFIX = "configs/";

  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z_][A-Za-z0-9_]*)(?:\\[(\\d+)])?");

  private ConfigLoader() {}

  /** Parses a text-format config file. */
  public static ExperimentConfig load(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("config file not found: " + file);
    } catch (java.nio.charset.CharacterCodingException e) {
      throw new ConfigException("config file " + file + " is not UTF-8 text: expected a Protobuf text config"
          + " (an ExperimentConfig, see configs/)");
    } catch (IOException e) {
      throw new ConfigException("cannot read config file " + file + ": " + e.getMessage(), e);
    }
    return parse(text, file.toString());
  }

  /** Parses a config shipped inside the jar, e.g. {@code toy/analytic.pbtxt}. */
  public static ExperimentConfig loadEmbedded(String name) {
    String resource = EMBEDDED_PREFIX + name;
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(resource)) {
      if (in == null) {
        throw new ConfigException("no embedded config named " + name);
      }
      return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), "embedded:" + resource);
    } catch (IOException e) {
      throw new ConfigException("cannot read embedded config " + resource, e);
    }
  }

  /** Parses config text; {@code source} names it in error messages. */
  public static ExperimentConfig parse(String text, String source) {
    ExperimentConfig.Builder builder = ExperimentConfig.newBuilder();
    try {
      TextFormat.getParser().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException(
          "config error in " + source + " at line " + e.getLine() + ", column " + e.getColumn()
              + ": " + stripPosition(e.getMessage()), e);
    }
    ExperimentConfig config = builder.build();
    ConfigValidator.validate(config, "config error in " + source);
    return config;
  }

  /**
   * Applies overrides of the form {@code path.to.field=value}. A repeated field takes a
   * comma-separated list (it is replaced, not appended to), or one element is addressed as
   * {@code field[i]}. Strings may be given with or without quotes; enums by name.
   */
  public static ExperimentConfig applyOverrides(ExperimentConfig config, List<String> overrides) {
    ExperimentConfig.Builder builder = config.toBuilder();
    for (String override : overrides) {
      apply(builder, override);
    }
    ExperimentConfig result = builder.build();
    Optional<ConfigValidator.Problem> problem = ConfigValidator.problem(result);
    if (problem.isPresent()) {
      throw new ConfigException(overrideSource(overrides, problem.get().path()) + ": " + problem.get().message());
    }
    return result;
  }

  /** The override that set the field at {@code path} (or one holding it), else all of them. */
  private static String overrideSource(List<String> overrides, String path) {
    for (String o : overrides) {
      String target = o.substring(0, Math.max(0, o.indexOf('='))).trim();
      if (!target.isEmpty() && (path.equals(target) || path.startsWith(target + ".") || path.startsWith(target + "["))) {
        return "--set " + o;
      }
    }
    return overrides.isEmpty() ? "config error" : "config error (with --set " + String.join(" --set ", overrides) + ")";
  }

  private static void apply(Message.Builder root, String override) {
    int eq = override.indexOf('=');
    if (eq <= 0) {
      throw new ConfigException("--set " + override + ": expected path.to.field=value");
    }
    String path = override.substring(0, eq).trim();
    String value = override.substring(eq + 1).trim();
    String[] segments = path.split("\\.");
    Message.Builder builder = root;
    for (int i = 0; i < segments.length; i++) {
      Matcher m = SEGMENT.matcher(segments[i]);
      if (!m.matches()) {
        throw new ConfigException("--set " + override + ": bad path segment '" + segments[i] + "'");
      }
      FieldDescriptor field = field(builder.getDescriptorForType(), m.group(1), path);
      Integer index = m.group(2) == null ? null : Integer.parseInt(m.group(2));
      boolean last = i == segments.length - 1;
      if (index != null && !field.isRepeated()) {
        throw new ConfigException("--set " + path + ": field " + field.getName() + " is not repeated");
      }
      if (!last) {
        if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
          throw new ConfigException("--set " + path + ": field " + field.getName()
              + " is a " + field.getType() + ", it has no sub-fields");
        }
        if (field.isRepeated()) {
          if (index == null) {
            throw new ConfigException("--set " + path + ": repeated message field "
                + field.getName() + " needs an index, e.g. " + field.getName() + "[0]");
          }
          checkIndex(builder, field, index, path);
          builder = builder.getRepeatedFieldBuilder(field, index);
        } else {
          builder = builder.getFieldBuilder(field);
        }
      } else {
        setValue(builder, field, index, value, path);
      }
    }
  }

  private static void setValue(
      Message.Builder builder, FieldDescriptor field, Integer index, String value, String path) {
    if (field.getJavaType() == FieldDescriptor.JavaType.MESSAGE && index == null && !value.startsWith("{")) {
      throw new ConfigException("--set " + path + ": field " + field.getName()
          + " is a message; set one of its fields, e.g. " + path + ".<field>=..., or give {...}");
    }
    Message.Builder scratch = builder.build().toBuilder();
    scratch.clearField(field);
    String text;
    if (field.isRepeated() && index == null && field.getJavaType() != FieldDescriptor.JavaType.MESSAGE) {
      text = List.of(value.split(",")).stream()
          .map(v -> field.getName() + ": " + literal(field, v.trim()))
          .collect(Collectors.joining("\n"));
    } else {
      text = field.getName() + ": " + literal(field, value);
    }
    try {
      TextFormat.getParser().merge(text, scratch);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException("--set " + path + "=" + value + ": not a valid "
          + field.getType().name().toLowerCase() + " for field " + field.getName() + " ("
          + stripPosition(e.getMessage()) + ")", e);
    }
    if (field.isRepeated() && index != null) {
      checkIndex(builder, field, index, path);
      builder.setRepeatedField(field, index, scratch.getRepeatedField(field, 0));
    } else {
      builder.clearField(field);
      builder.setField(field, scratch.getField(field));
    }
  }

  private static String literal(FieldDescriptor field, String value) {
    if (field.getJavaType() == FieldDescriptor.JavaType.STRING && !value.startsWith("\"")) {
      return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
    }
    return value;
  }

  private static void checkIndex(Message.Builder builder, FieldDescriptor field, int index, String path) {
    int size = builder.getRepeatedFieldCount(field);
    if (index >= size) {
      throw new ConfigException("--set " + path + ": index " + index + " out of range, "
          + field.getName() + " has " + size + " element(s)");
    }
  }

  private static FieldDescriptor field(Descriptor type, String name, String path) {
    FieldDescriptor field = type.findFieldByName(name);
    if (field == null) {
      String known = type.getFields().stream().map(FieldDescriptor::getName)
          .collect(Collectors.joining(", "));
      throw new ConfigException("--set " + path + ": unknown field '" + name + "' in "
          + type.getName() + " (known fields: " + known + ")");
    }
    return field;
  }

  private static String stripPosition(String message) {
    return message.replaceFirst("^\\d+:\\d+: ", "");
  }
}
