package org.restorelab.run;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** Versions fixed at build time (from {@code restorelab.properties}, filtered by Maven). */
public final class BuildInfo {
  private static final Properties PROPS = load();

  private BuildInfo() {}

  /** RestoreLab's own version. */
  public static String version() {
    return PROPS.getProperty("version", "unknown");
  }

  /** The protobuf-java runtime the build pins. */
  public static String protobufVersion() {
    return PROPS.getProperty("protobuf.version", "unknown");
  }

  /** TensorFlow Java's Maven version. */
  public static String tensorflowJavaVersion() {
    return PROPS.getProperty("tensorflow.java.version", "unknown");
  }

  /** The native classifier the build was packaged with (linux-x86_64 or linux-x86_64-gpu). */
  public static String nativeClassifier() {
    return PROPS.getProperty("tensorflow.native.classifier", "unknown");
  }

  /**
   * The git commit the classes were built from ("unknown" for a build outside a repository),
   * which can differ from the working directory's ({@link Provenance#gitCommit}) when a jar built
   * earlier runs.
   */
  public static String commit() {
    return known(PROPS.getProperty("build.commit"));
  }

  /** Whether the build's tracked files differed from {@link #commit} ("unknown" outside a repository). */
  public static String dirty() {
    return known(PROPS.getProperty("build.dirty"));
  }

  /** An unfiltered ${...} placeholder (no git when built) or a missing value reads as "unknown". */
  private static String known(String value) {
    return value == null || value.isBlank() || value.startsWith("${") ? "unknown" : value.trim();
  }

  private static Properties load() {
    Properties props = new Properties();
    try (InputStream in = BuildInfo.class.getClassLoader().getResourceAsStream("restorelab.properties")) {
      if (in != null) {
        props.load(in);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot read restorelab.properties", e);
    }
    return props;
  }
}
