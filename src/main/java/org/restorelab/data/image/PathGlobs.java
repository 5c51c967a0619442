package org.restorelab.data.image;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * Expands file patterns with {@code java.nio} glob syntax ({@code *}, {@code ?}, {@code [..]},
 * {@code {a,b}}, {@code **} across folders) into the regular files they match, sorted by path. A
 * pattern without glob characters is taken as it is, existing or not.
 */
public final class PathGlobs {
  private PathGlobs() {}

  /** The files matching {@code pattern}, sorted; a glob that matches nothing is an error. */
  public static List<Path> expand(String pattern) {
    String[] segments = pattern.split("/", -1);
    int globAt = 0;
    while (globAt < segments.length && !isGlob(segments[globAt])) {
      globAt++;
    }
    if (globAt == segments.length) {
      return List.of(Path.of(pattern));
    }
    String baseText = String.join("/", java.util.Arrays.copyOf(segments, globAt));
    boolean relative = globAt == 0;
    Path base = relative ? Path.of(".") : baseText.isEmpty() ? Path.of("/") : Path.of(baseText);
    String rest = String.join("/", java.util.Arrays.copyOfRange(segments, globAt, segments.length));
    PathMatcher matcher = FileSystems.getDefault().getPathMatcher("glob:" + rest);
    int depth = rest.contains("**") ? Integer.MAX_VALUE : segments.length - globAt;
    List<Path> out = new ArrayList<>();
    if (Files.isDirectory(base)) {
      try (Stream<Path> walk = Files.walk(base, depth)) {
        walk.filter(p -> Files.isRegularFile(p) && matcher.matches(base.relativize(p)))
            .map(p -> relative ? base.relativize(p) : p)
            .forEach(out::add);
      } catch (IOException | UncheckedIOException e) {
        throw new ImageDataException("cannot list the files matching '" + pattern + "': " + e, e);
      }
    }
    if (out.isEmpty()) {
      throw new ImageDataException("no files match '" + pattern + "'"
          + (Files.isDirectory(base) ? "" : " (folder " + base + " does not exist)"));
    }
    out.sort(java.util.Comparator.comparing(Path::toString));
    return out;
  }

  private static boolean isGlob(String segment) {
    return segment.chars().anyMatch(c -> c == '*' || c == '?' || c == '[' || c == '{');
  }
}
