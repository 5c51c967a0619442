package org.restorelab;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The package structure of {@code src/main/java}: no cycle among org.restorelab packages (a
 * subpackage is a package of its own), the harness below the training side, and render/ a leaf.
 * Dependencies are read from the sources (imports and fully qualified names in code, comments and
 * string literals removed), not from class files, because javac inlines constants such as a
 * {@code static final String} and its class would then not show.
 */
class ArchitectureTest {
  private static final Path SOURCES = Path.of("src/main/java");
  private static final Pattern PACKAGE = Pattern.compile("^package\\s+([\\w.]+)\\s*;", Pattern.MULTILINE);
  /** org.restorelab.a.b.Type or org.restorelab.a.b.* : the package is the run of lower-case segments. */
  private static final Pattern REFERENCE = Pattern.compile("\\borg\\.restorelab((?:\\.[a-z_][a-z0-9_]*)+)\\.(?:[A-Z]|\\*)");
  private static final Pattern NOISE = Pattern.compile(
      "/\\*.*?\\*/|//[^\\n]*|\"\"\".*?\"\"\"|\"(?:\\\\.|[^\"\\\\\\n])*\"|'(?:\\\\.|[^'\\\\\\n])+'", Pattern.DOTALL);

  /** The harness loads anyone's SavedModel: it must not reach training, export, benchmarks, CLI or reports. */
  private static final List<String> HARNESS = List.of("evaluate", "evaluate.images", "evaluate.posterior", "metric",
      "savedmodel");
  private static final List<String> ABOVE_HARNESS = List.of("train", "export", "bench", "cli", "report");

  /** The jobs sit above everything but the CLI: what job/ may use (a subpackage counts as its parent). */
  private static final List<String> JOB_MAY_USE = List.of("config", "data", "task", "estimator", "critic", "attack",
      "graph", "train", "export", "evaluate", "metric", "report", "render", "run", "savedmodel", "analytic");

  /** package -> the packages it uses, each with the classes (file -> type) that make the edge. */
  private static Map<String, Map<String, Set<String>>> graph;

  @BeforeAll
  static void readSources() throws IOException {
    graph = dependencies(SOURCES);
  }

  @Test
  void readsThePackagesOfTheTree() {
    assertThat(graph).containsKeys("config", "evaluate", "evaluate.posterior", "job", "render", "report",
        "savedmodel", "train", "train.log");
    assertThat(graph.get("export")).containsKey("savedmodel");
  }

  @Test
  void noPackageCycle() {
    List<List<String>> cycles = cycles(edges(graph));
    StringBuilder why = new StringBuilder();
    for (List<String> c : cycles) {
      why.append("\n  cycle ").append(String.join(" -> ", c));
      for (int i = 0; i + 1 < c.size(); i++) {
        why.append("\n    ").append(c.get(i)).append(" -> ").append(c.get(i + 1)).append(": ")
            .append(graph.get(c.get(i)).get(c.get(i + 1)));
      }
    }
    assertThat(cycles).as("package cycles among org.restorelab packages:%s", why).isEmpty();
  }

  @Test
  void harnessDoesNotDependOnTrainingExportBenchCliOrReports() {
    List<String> violations = new ArrayList<>();
    for (String from : HARNESS) {
      graph.getOrDefault(from, Map.of()).forEach((to, why) -> {
        if (ABOVE_HARNESS.stream().anyMatch(a -> to.equals(a) || to.startsWith(a + "."))) {
          violations.add(from + " -> " + to + ": " + why);
        }
      });
    }
    assertThat(violations).as("layer rule: %s must not use %s", HARNESS, ABOVE_HARNESS).isEmpty();
  }

  @Test
  void jobUsesTheLayersBelowItAndOnlyTheCliUsesJob() {
    List<String> violations = new ArrayList<>();
    graph.getOrDefault("job", Map.of()).forEach((to, why) -> {
      if (JOB_MAY_USE.stream().noneMatch(a -> to.equals(a) || to.startsWith(a + "."))) {
        violations.add("job -> " + to + ": " + why);
      }
    });
    graph.forEach((from, uses) -> {
      if (!from.equals("job") && !from.equals("cli") && uses.containsKey("job")) {
        violations.add(from + " -> job: " + uses.get("job"));
      }
    });
    assertThat(violations).as("layer rule: job uses only %s, and only cli uses job", JOB_MAY_USE).isEmpty();
  }

  @Test
  void renderIsALeafAboveRunAndConfig() {
    assertThat(graph.get("render").keySet()).as("render uses %s", graph.get("render"))
        .allMatch(to -> to.equals("run") || to.equals("config"));
  }

  @Test
  void findsACycleInAGraphThatHasOne() {
    Map<String, Set<String>> g = new TreeMap<>();
    g.put("a", Set.of("b"));
    g.put("b", Set.of("c", "d"));
    g.put("c", Set.of("a"));
    g.put("d", Set.of());
    assertThat(cycles(g)).containsExactly(List.of("a", "b", "c", "a"));
    g.put("c", Set.of("d"));
    assertThat(cycles(g)).isEmpty();
  }

  @Test
  void readsImportsAndQualifiedNamesButNotCommentsOrStrings() {
    String src = """
        package org.restorelab.x;
        import org.restorelab.a.Type;
        import static org.restorelab.b.c.Other.member;
        import org.restorelab.w.*;
        /** {@link org.restorelab.comment.Type} */
        class Y { Object o = new org.restorelab.d.Z(); String s = "org.restorelab.string.Type"; } // org.restorelab.e.T
        """;
    assertThat(referencedPackages(src)).containsExactlyInAnyOrder("a", "b.c", "w", "d");
  }

  // ------------------------------------------------------------------------------------ reading

  private static Map<String, Map<String, Set<String>>> dependencies(Path root) throws IOException {
    Map<String, Map<String, Set<String>>> g = new TreeMap<>();
    List<Path> files;
    try (Stream<Path> s = Files.walk(root)) {
      files = s.filter(p -> p.toString().endsWith(".java")).sorted().toList();
    }
    for (Path file : files) {
      String src = Files.readString(file);
      Matcher m = PACKAGE.matcher(src);
      if (!m.find() || !m.group(1).startsWith("org.restorelab")) {
        continue;
      }
      String pkg = shortName(m.group(1));
      Map<String, Set<String>> out = g.computeIfAbsent(pkg, k -> new TreeMap<>());
      String type = file.getFileName().toString().replace(".java", "");
      for (String to : referencedPackages(src)) {
        if (!to.equals(pkg)) {
          out.computeIfAbsent(to, k -> new TreeSet<>()).add(type);
        }
      }
    }
    return g;
  }

  /** The org.restorelab packages (short names, e.g. {@code evaluate.posterior}) a source file names in code. */
  static Set<String> referencedPackages(String source) {
    String code = NOISE.matcher(source).replaceAll(" ");
    code = PACKAGE.matcher(code).replaceAll(" ");
    Set<String> out = new TreeSet<>();
    Matcher m = REFERENCE.matcher(code);
    while (m.find()) {
      out.add(m.group(1).substring(1));
    }
    return out;
  }

  private static String shortName(String pkg) {
    return pkg.equals("org.restorelab") ? "" : pkg.substring("org.restorelab.".length());
  }

  private static Map<String, Set<String>> edges(Map<String, Map<String, Set<String>>> g) {
    Map<String, Set<String>> e = new TreeMap<>();
    g.forEach((from, to) -> e.put(from, new TreeSet<>(to.keySet())));
    return e;
  }

  // ------------------------------------------------------------------------------------- cycles

  /**
   * One cycle per strongly connected component of more than one package (Tarjan), each as a path
   * that starts and ends at the component's first package, shortest first (breadth-first search).
   */
  static List<List<String>> cycles(Map<String, Set<String>> g) {
    List<List<String>> out = new ArrayList<>();
    for (Set<String> component : new Tarjan(g).components) {
      if (component.size() > 1) {
        out.add(shortestCycle(g, component.iterator().next(), component));
      }
    }
    return out;
  }

  private static List<String> shortestCycle(Map<String, Set<String>> g, String start, Set<String> within) {
    Map<String, String> parent = new HashMap<>();
    Deque<String> queue = new ArrayDeque<>(List.of(start));
    while (!queue.isEmpty()) {
      String v = queue.poll();
      for (String w : g.getOrDefault(v, Set.of())) {
        if (w.equals(start)) {
          List<String> path = new ArrayList<>(List.of(start));
          for (String u = v; !u.equals(start); u = parent.get(u)) {
            path.add(1, u);
          }
          path.add(start);
          return path;
        }
        if (within.contains(w) && !parent.containsKey(w)) {
          parent.put(w, v);
          queue.add(w);
        }
      }
    }
    throw new IllegalStateException("no cycle through " + start);
  }

  private static final class Tarjan {
    final Map<String, Set<String>> g;
    final Map<String, Integer> index = new HashMap<>();
    final Map<String, Integer> low = new HashMap<>();
    final Deque<String> stack = new ArrayDeque<>();
    final Set<String> onStack = new TreeSet<>();
    final List<Set<String>> components = new ArrayList<>();

    Tarjan(Map<String, Set<String>> g) {
      this.g = g;
      Set<String> all = new TreeSet<>(g.keySet());
      g.values().forEach(all::addAll);
      for (String v : all) {
        if (!index.containsKey(v)) {
          visit(v);
        }
      }
    }

    private void visit(String v) {
      index.put(v, index.size());
      low.put(v, index.get(v));
      stack.push(v);
      onStack.add(v);
      for (String w : g.getOrDefault(v, Set.of())) {
        if (!index.containsKey(w)) {
          visit(w);
          low.put(v, Math.min(low.get(v), low.get(w)));
        } else if (onStack.contains(w)) {
          low.put(v, Math.min(low.get(v), index.get(w)));
        }
      }
      if (low.get(v).equals(index.get(v))) {
        Set<String> component = new TreeSet<>();
        String w;
        do {
          w = stack.pop();
          onStack.remove(w);
          component.add(w);
        } while (!w.equals(v));
        components.add(component);
      }
    }
  }
}
