package org.restorelab.spark;

import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.OneofDescriptor;
import com.google.protobuf.Message;
import com.google.protobuf.TextFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.restorelab.config.ConfigException;
import org.restorelab.config.ConfigLoader;
import org.restorelab.config.ExperimentConfig;
import org.restorelab.job.Job;
import org.restorelab.job.Jobs;

/**
 * Reads a sweep config and expands its grid into points, each resolved (base config, the core's
 * --set overrides from {@link ConfigLoader#applyOverrides}, the seed) and its job built by
 * {@link Jobs#create} (with its preflight once per set of overrides: a seed changes no file or
 * memory need), all before anything is submitted. Every refusal is one
 * {@link ConfigException} line that names the sweep file and the offending path.
 */
public final class SweepGrid {
  private SweepGrid() {}

  /** The validated plan of the sweep config in {@code file}. */
  public static SweepPlan load(Path file) {
    SweepConfig sweep = parse(file);
    String where = "sweep config " + file;
    Path dir = file.toAbsolutePath().getParent();
    if (!sweep.hasBaseConfig() || sweep.getBaseConfig().isBlank()) {
      throw new ConfigException(where + ": base_config is required (the experiment config every point starts from)");
    }
    if (!sweep.hasOutputRoot() || sweep.getOutputRoot().isBlank()) {
      throw new ConfigException(where + ": output_root is required (the folder of the points' run folders)");
    }
    Path basePath = dir.resolve(sweep.getBaseConfig()).normalize();
    ExperimentConfig base;
    try {
      base = ConfigLoader.load(basePath);
    } catch (ConfigException e) {
      throw new ConfigException(where + ": base_config " + sweep.getBaseConfig() + ": " + e.getMessage(), e);
    }
    List<List<String>> axes = new ArrayList<>();
    List<String> keys = axisKeys(sweep.getAxisList(), where);
    for (SweepAxis axis : sweep.getAxisList()) {
      String path = axis.getPath().trim();
      if (axis.getValuesCount() == 0) {
        throw new ConfigException(where + ": axis " + path + " has no values, so the grid is empty");
      }
      List<String> overrides = new ArrayList<>();
      for (String value : axis.getValuesList()) {
        String override = path + "=" + value;
        checkOverride(base, override, where + ": axis " + path);
        overrides.add(override);
      }
      axes.add(overrides);
    }
    if (axes.isEmpty() && sweep.getSeedsCount() == 0) {
      throw new ConfigException(where + ": the grid is empty: give at least one axis or seeds");
    }
    List<Long> seeds = new ArrayList<>();
    if (sweep.getSeedsCount() == 0) {
      seeds.add(null);
    } else {
      seeds.addAll(sweep.getSeedsList());
    }
    Path outputRoot = writableRoot(dir.resolve(sweep.getOutputRoot()).normalize(), where);
    List<SweepPoint> points = new ArrayList<>();
    Map<String, String> names = new HashMap<>();
    for (List<String> overrides : cartesian(axes)) {
      boolean preflight = true; // once per set of overrides: the seed changes no file or memory need
      for (Long seed : seeds) {
        String name = folderName(keys, overrides, seed);
        String label = String.join(" ", overrides) + (seed == null ? "" : " seed " + Long.toUnsignedString(seed));
        String earlier = names.put(name, label);
        if (earlier != null) {
          throw new ConfigException(where + ": points '" + earlier + "' and '" + label
              + "' get the same run folder " + name + " (a value or seed listed twice?)");
        }
        ExperimentConfig config = resolve(base, overrides, seed, preflight, where + ": point " + name);
        preflight = false;
        checkFinishedRun(outputRoot.resolve(name), config, where);
        points.add(new SweepPoint(name, overrides, seed, config.toByteArray()));
      }
    }
    for (String metric : sweep.getMetricsList()) {
      Metrics.parse(metric, where + ": metrics");
    }
    return new SweepPlan(file, basePath, outputRoot, points, sweep.getMetricsList());
  }

  private static SweepConfig parse(Path file) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.UTF_8);
    } catch (NoSuchFileException e) {
      throw new ConfigException("sweep config not found: " + file);
    } catch (IOException e) {
      throw new ConfigException("cannot read sweep config " + file + ": " + e.getMessage(), e);
    }
    SweepConfig.Builder builder = SweepConfig.newBuilder();
    try {
      TextFormat.getParser().merge(text, builder);
    } catch (TextFormat.ParseException e) {
      throw new ConfigException("sweep config " + file + " at line " + e.getLine() + ", column " + e.getColumn()
          + ": " + e.getMessage().replaceFirst("^\\d+:\\d+: ", ""), e);
    }
    return builder.build();
  }

  /**
   * Applies one override to the base config with the core's --set code; refuses one that switches
   * a {@code oneof} (e.g. {@code image_gan.steps} on a toy_gan config): that path does not exist
   * in the base config.
   */
  private static void checkOverride(ExperimentConfig base, String override, String where) {
    String path = override.substring(0, override.indexOf('='));
    if (path.isBlank()) {
      throw new ConfigException(where + ": the axis has no path");
    }
    ExperimentConfig changed;
    try {
      changed = ConfigLoader.applyOverrides(base, List.of(override));
    } catch (ConfigException e) {
      throw new ConfigException(where + ": " + e.getMessage(), e);
    }
    String switched = switchedOneof(base, changed, "");
    if (switched != null) {
      throw new ConfigException(where + ": the path does not exist in the base config: " + switched);
    }
  }

  /** The first oneof whose case differs between {@code a} and {@code b}, described, or null. */
  static String switchedOneof(Message a, Message b, String prefix) {
    for (OneofDescriptor oneof : a.getDescriptorForType().getOneofs()) {
      FieldDescriptor was = a.getOneofFieldDescriptor(oneof);
      FieldDescriptor now = b.getOneofFieldDescriptor(oneof);
      if (was != null && now != null && !was.equals(now)) {
        return prefix + oneof.getName() + " is " + was.getName() + " there, not " + now.getName();
      }
    }
    for (FieldDescriptor field : a.getDescriptorForType().getFields()) {
      if (field.getJavaType() != FieldDescriptor.JavaType.MESSAGE || field.isRepeated()
          || !a.hasField(field) || !b.hasField(field)) {
        continue;
      }
      String inner = switchedOneof((Message) a.getField(field), (Message) b.getField(field),
          prefix + field.getName() + ".");
      if (inner != null) {
        return inner;
      }
    }
    return null;
  }

  private static ExperimentConfig resolve(ExperimentConfig base, List<String> overrides, Long seed, boolean preflight,
      String where) {
    try {
      ExperimentConfig config = ConfigLoader.applyOverrides(base, overrides);
      if (seed != null) {
        config = config.toBuilder().setSeed(seed).build();
      }
      Job job = Jobs.create(config);
      if (preflight) {
        job.preflight();
      }
      return config;
    } catch (ConfigException e) {
      throw new ConfigException(where + ": " + e.getMessage(), e);
    }
  }

  /**
   * A point that finished earlier is skipped, so its folder's config must be the point's: a
   * finished run of another config (the base config or the output root changed) is refused
   * rather than reported as this sweep's.
   */
  private static void checkFinishedRun(Path dir, ExperimentConfig config, String where) {
    if (!PointRunner.finished(dir)) {
      return;
    }
    ExperimentConfig earlier;
    try {
      earlier = ConfigLoader.load(dir.resolve(org.restorelab.run.RunFolder.CONFIG));
    } catch (ConfigException e) {
      earlier = null;
    }
    if (!config.equals(earlier)) {
      throw new ConfigException(where + ": " + dir + " holds a finished run of another config (its "
          + org.restorelab.run.RunFolder.CONFIG + " differs from the point's); give another output_root, or remove"
          + " the folder to run the point again");
    }
  }

  /** The output root, created if missing, refused unless a file can be written in it. */
  private static Path writableRoot(Path root, String where) {
    try {
      Files.createDirectories(root);
      Path probe = Files.createTempFile(root, ".sweep-probe", ".tmp");
      Files.delete(probe);
    } catch (IOException | SecurityException e) {
      throw new ConfigException(where + ": output_root " + root + " is not a writable folder ("
          + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()) + ")", e);
    }
    return root;
  }

  /**
   * Each axis's key in folder names: the last segment of its path ("r1_gamma"), or the whole path
   * where two axes share their last segment.
   */
  private static List<String> axisKeys(List<SweepAxis> axes, String where) {
    List<String> last = new ArrayList<>();
    for (SweepAxis axis : axes) {
      String path = axis.getPath().trim();
      if (path.isEmpty()) {
        throw new ConfigException(where + ": an axis has no path");
      }
      last.add(path.substring(path.lastIndexOf('.') + 1));
    }
    List<String> keys = new ArrayList<>();
    for (int i = 0; i < axes.size(); i++) {
      String key = last.get(i);
      keys.add(java.util.Collections.frequency(last, key) > 1 ? axes.get(i).getPath().trim() : key);
    }
    return keys;
  }

  /** "r1_gamma=1,seed=2": key=value per axis, then the seed; a value's commas become '+'. */
  static String folderName(List<String> keys, List<String> overrides, Long seed) {
    List<String> parts = new ArrayList<>();
    for (int i = 0; i < overrides.size(); i++) {
      String value = overrides.get(i).substring(overrides.get(i).indexOf('=') + 1).trim();
      parts.add(safe(keys.get(i)) + "=" + safe(value.replace(',', '+')));
    }
    if (seed != null) {
      parts.add("seed=" + Long.toUnsignedString(seed));
    }
    return String.join(",", parts);
  }

  private static String safe(String s) {
    return s.replaceAll("[^A-Za-z0-9._+\\-\\[\\]]", "_");
  }

  private static List<List<String>> cartesian(List<List<String>> axes) {
    List<List<String>> out = new ArrayList<>();
    out.add(List.of());
    for (List<String> axis : axes) {
      List<List<String>> next = new ArrayList<>();
      for (List<String> prefix : out) {
        for (String value : axis) {
          List<String> p = new ArrayList<>(prefix);
          p.add(value);
          next.add(p);
        }
      }
      out = next;
    }
    return out;
  }
}
