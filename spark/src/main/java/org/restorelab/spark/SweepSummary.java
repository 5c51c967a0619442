package org.restorelab.spark;

import org.restorelab.metric.MeanStd;
import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.restorelab.run.AtomicFiles;
import org.restorelab.run.FiniteJson;
import org.restorelab.run.RunFolder;

/**
 * The sweep's summaries in its output root: {@code summary.md}, {@code summary.csv} and
 * {@code results.json}, one row per point with its status and headline numbers (from the point's
 * results.json), and, for the points that differ only by seed, the mean +- sample standard
 * deviation (n - 1) over their seeds.
 */
public final class SweepSummary {
  /** Version of the layout of the sweep's results.json. */
  public static final String SCHEMA = "restorelab.sweep/1";
  public static final String MARKDOWN = "summary.md";
  public static final String CSV = "summary.csv";
  public static final String RESULTS = "results.json";
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().serializeNulls().create();

  /** One point's row. */
  record Row(SweepPoint point, PointRunner.Outcome outcome, Map<String, Double> metrics) {}

  /** A set of points that differ only by seed, with mean and spread per metric. */
  record Group(List<String> overrides, List<Row> rows, Map<String, double[]> meanStdN) {}

  private SweepSummary() {}

  /** Reads each point's results.json and writes the three summaries; returns the rows. */
  public static List<Row> write(SweepPlan plan, List<PointRunner.Outcome> outcomes, String master, JsonObject provenance)
      throws IOException {
    Map<String, PointRunner.Outcome> byName = new LinkedHashMap<>();
    outcomes.forEach(o -> byName.put(o.name(), o));
    List<Row> rows = new ArrayList<>();
    for (SweepPoint p : plan.points()) {
      Path results = plan.outputRoot().resolve(p.name()).resolve(RunFolder.RESULTS);
      Map<String, Double> metrics = Files.isRegularFile(results)
          ? Metrics.of(JsonParser.parseString(Files.readString(results)).getAsJsonObject(), plan.metrics())
          : Map.of();
      rows.add(new Row(p, byName.get(p.name()), metrics));
    }
    List<String> columns = columns(rows);
    List<Group> groups = groups(rows, columns);
    AtomicFiles.writeString(plan.outputRoot().resolve(CSV), csv(rows, columns));
    AtomicFiles.writeString(plan.outputRoot().resolve(MARKDOWN), markdown(plan, rows, groups, columns, master));
    AtomicFiles.writeString(plan.outputRoot().resolve(RESULTS), GSON.toJson(FiniteJson.of(json(plan, rows, groups, master, provenance))) + "\n");
    return rows;
  }

  private static List<String> columns(List<Row> rows) {
    Set<String> columns = new LinkedHashSet<>();
    rows.forEach(r -> columns.addAll(r.metrics().keySet()));
    return new ArrayList<>(columns);
  }

  private static List<Group> groups(List<Row> rows, List<String> columns) {
    Map<List<String>, List<Row>> byOverrides = new LinkedHashMap<>();
    rows.forEach(r -> byOverrides.computeIfAbsent(r.point().overrides(), k -> new ArrayList<>()).add(r));
    List<Group> groups = new ArrayList<>();
    for (Map.Entry<List<String>, List<Row>> e : byOverrides.entrySet()) {
      if (e.getValue().size() < 2) {
        continue;
      }
      Map<String, double[]> stats = new LinkedHashMap<>();
      for (String c : columns) {
        double[] values = e.getValue().stream().filter(r -> r.metrics().containsKey(c))
            .mapToDouble(r -> r.metrics().get(c)).toArray();
        if (values.length > 0) {
          stats.put(c, meanStd(values));
        }
      }
      groups.add(new Group(e.getKey(), e.getValue(), stats));
    }
    return groups;
  }

  /** {mean, sample standard deviation (n - 1; 0 for one value), n}: the core's {@link MeanStd}. */
  static double[] meanStd(double[] values) {
    MeanStd m = MeanStd.of(values);
    return new double[] {m.mean(), m.std(), m.count()};
  }

  private static String csv(List<Row> rows, List<String> columns) {
    StringBuilder s = new StringBuilder("point,overrides,seed,status,seconds");
    columns.forEach(c -> s.append(',').append(quote(c)));
    s.append('\n');
    for (Row r : rows) {
      s.append(quote(r.point().name())).append(',').append(quote(String.join(" ", r.point().overrides()))).append(',')
          .append(r.point().seed() == null ? "" : Long.toUnsignedString(r.point().seed())).append(',')
          .append(status(r)).append(',').append(seconds(r));
      for (String c : columns) {
        s.append(',');
        if (r.metrics().containsKey(c)) {
          double v = r.metrics().get(c);
          s.append(v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v));
        }
      }
      s.append('\n');
    }
    return s.toString();
  }

  private static String quote(String s) {
    return s.contains(",") || s.contains("\"") || s.contains("\n") ? "\"" + s.replace("\"", "\"\"") + "\"" : s;
  }

  /** The point's seconds in this sweep; blank when it did not run here (skipped or not run). */
  private static String seconds(Row r) {
    return r.outcome() == null || r.outcome().status().equals(PointRunner.Outcome.SKIPPED) ? ""
        : String.format(Locale.ROOT, "%.1f", r.outcome().seconds());
  }

  private static String status(Row r) {
    return r.outcome() == null ? "not run" : r.outcome().status();
  }

  private static String markdown(SweepPlan plan, List<Row> rows, List<Group> groups, List<String> columns, String master) {
    StringBuilder s = new StringBuilder();
    s.append("# Sweep ").append(plan.source().getFileName()).append("\n\n");
    s.append(String.format(Locale.ROOT, "%d points of `%s` on Spark master `%s`; each point's run folder is named by its"
        + " overrides. Numbers from each point's results.json.%n%n", rows.size(), plan.baseConfig(), master));
    s.append("| point | status | seconds |");
    columns.forEach(c -> s.append(' ').append(c).append(" |"));
    s.append("\n|---|---|---:|");
    columns.forEach(c -> s.append("---:|"));
    s.append('\n');
    for (Row r : rows) {
      s.append("| `").append(r.point().name()).append("` | ").append(status(r)).append(" | ")
          .append(seconds(r)).append(" |");
      for (String c : columns) {
        s.append(' ').append(r.metrics().containsKey(c) ? fmt(r.metrics().get(c)) : "").append(" |");
      }
      s.append('\n');
      if (r.outcome() != null && r.outcome().error() != null) {
        s.append("|  | error: ").append(r.outcome().error().replace("|", "\\|").replace("\n", " ")).append(" | |")
            .append(" |".repeat(columns.size())).append('\n');
      }
    }
    if (!groups.isEmpty()) {
      s.append("\n## Over seeds\n\nMean +- sample standard deviation (n - 1) over the points that differ only by seed"
          + " (n: how many of them have the number).\n\n| overrides | n |");
      columns.forEach(c -> s.append(' ').append(c).append(" |"));
      s.append("\n|---|---:|");
      columns.forEach(c -> s.append("---:|"));
      s.append('\n');
      for (Group g : groups) {
        s.append("| `").append(g.overrides().isEmpty() ? "(base)" : String.join(" ", g.overrides())).append("` | ")
            .append(g.rows().size()).append(" |");
        for (String c : columns) {
          double[] m = g.meanStdN().get(c);
          s.append(' ').append(m == null ? "" : fmt(m[0]) + " +- " + fmt(m[1])
              + (m[2] < g.rows().size() ? " (n " + (int) m[2] + ")" : "")).append(" |");
        }
        s.append('\n');
      }
    }
    return s.toString();
  }

  /** An integral value as an integer, anything else to 6 significant digits. */
  static String fmt(double v) {
    if (v == Math.rint(v) && Math.abs(v) < 1e15) {
      return Long.toString((long) v);
    }
    return String.format(Locale.ROOT, "%.6g", v);
  }

  private static JsonObject json(SweepPlan plan, List<Row> rows, List<Group> groups, String master,
      JsonObject provenance) {
    JsonObject json = new JsonObject();
    json.addProperty("schema", SCHEMA);
    json.addProperty("sweep_config", plan.source().toString());
    json.addProperty("base_config", plan.baseConfig().toString());
    json.addProperty("master", master);
    json.add("provenance", provenance);
    JsonArray points = new JsonArray();
    for (Row r : rows) {
      JsonObject p = new JsonObject();
      p.addProperty("point", r.point().name());
      JsonArray overrides = new JsonArray();
      r.point().overrides().forEach(overrides::add);
      p.add("overrides", overrides);
      if (r.point().seed() != null) {
        p.addProperty("seed", Long.toUnsignedString(r.point().seed()));
      }
      p.addProperty("status", status(r));
      if (r.outcome() != null && !r.outcome().status().equals(PointRunner.Outcome.SKIPPED)) {
        p.addProperty("seconds", r.outcome().seconds());
      }
      if (r.outcome() != null) {
        if (r.outcome().error() != null) {
          p.addProperty("error", r.outcome().error());
        }
        if (r.outcome().resumed()) {
          p.addProperty("resumed", true);
        }
      }
      JsonObject metrics = new JsonObject();
      r.metrics().forEach(metrics::addProperty);
      p.add("metrics", metrics);
      points.add(p);
    }
    json.add("points", points);
    JsonArray gs = new JsonArray();
    for (Group g : groups) {
      JsonObject o = new JsonObject();
      JsonArray overrides = new JsonArray();
      g.overrides().forEach(overrides::add);
      o.add("overrides", overrides);
      o.add("points", GSON.toJsonTree(g.rows().stream().map(r -> r.point().name()).collect(Collectors.toList())));
      JsonObject metrics = new JsonObject();
      g.meanStdN().forEach((k, m) -> {
        JsonObject v = new JsonObject();
        v.addProperty("mean", m[0]);
        v.addProperty("std", m[1]);
        v.addProperty("n", (int) m[2]);
        metrics.add(k, v);
      });
      o.add("metrics", metrics);
      gs.add(o);
    }
    json.add("over_seeds", gs);
    return json;
  }
}
