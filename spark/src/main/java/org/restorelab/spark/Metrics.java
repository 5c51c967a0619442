package org.restorelab.spark;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.restorelab.config.ConfigException;

/**
 * A point's headline numbers, read from its results.json: the paths of the sweep's
 * {@code metrics} ("a.b[name].c", where [name] picks the element of an array of objects whose
 * "name" or "config" is name, [i] its i-th element), or every number at the top level.
 */
final class Metrics {
  private static final Pattern SEGMENT = Pattern.compile("([A-Za-z0-9_]+)(?:\\[([^\\]]+)])?");

  private Metrics() {}

  /** The segments of a metric path; refuses a malformed one, naming it. */
  static List<Matcher> parse(String path, String where) {
    List<Matcher> segments = new ArrayList<>();
    for (String segment : path.split("\\.", -1)) {
      Matcher m = SEGMENT.matcher(segment);
      if (!m.matches()) {
        throw new ConfigException(where + ": bad path " + path + " (expected key.key[name].key)");
      }
      segments.add(m);
    }
    return segments;
  }

  /** The numbers of {@code results}, in the order of {@code paths} (absent ones left out). */
  static Map<String, Double> of(JsonObject results, List<String> paths) {
    Map<String, Double> out = new LinkedHashMap<>();
    if (paths.isEmpty()) {
      for (Map.Entry<String, JsonElement> e : results.entrySet()) {
        Double v = number(e.getValue());
        if (v != null) {
          out.put(e.getKey(), v);
        }
      }
      return out;
    }
    for (String path : paths) {
      Double v = number(find(results, path));
      if (v != null) {
        out.put(path, v);
      }
    }
    return out;
  }

  private static JsonElement find(JsonObject results, String path) {
    JsonElement at = results;
    for (Matcher m : parse(path, "metric")) {
      if (at == null || !at.isJsonObject()) {
        return null;
      }
      at = at.getAsJsonObject().get(m.group(1));
      if (m.group(2) != null) {
        at = named(at, m.group(2));
      }
    }
    return at;
  }

  private static JsonElement named(JsonElement array, String name) {
    if (array == null || !array.isJsonArray()) {
      return null;
    }
    JsonArray a = array.getAsJsonArray();
    for (JsonElement e : a) {
      if (e.isJsonObject()) {
        JsonElement n = e.getAsJsonObject().has("name") ? e.getAsJsonObject().get("name") : e.getAsJsonObject().get("config");
        if (n != null && n.isJsonPrimitive() && n.getAsString().equals(name)) {
          return e;
        }
      }
    }
    if (name.matches("\\d+") && Integer.parseInt(name) < a.size()) {
      return a.get(Integer.parseInt(name));
    }
    return null;
  }

  private static Double number(JsonElement e) {
    if (e == null || !e.isJsonPrimitive() || !e.getAsJsonPrimitive().isNumber()) {
      return null;
    }
    return e.getAsDouble();
  }
}
