package org.restorelab.run;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * JSON has no NaN or infinity. Before a record is written, every non-finite number in it becomes
 * {@code null}, and a sibling {@code <field>_reason} says what it was ("not finite: NaN"); an array
 * element's reason goes to {@code <array>_reason} of the enclosing object, with its index.
 */
public final class FiniteJson {
  private FiniteJson() {}

  /** A copy of {@code json} with every non-finite number replaced as above. */
  public static JsonObject of(JsonObject json) {
    JsonObject out = new JsonObject();
    for (Map.Entry<String, JsonElement> e : json.entrySet()) {
      List<String> reasons = new ArrayList<>();
      out.add(e.getKey(), clean(e.getValue(), "", reasons));
      if (!reasons.isEmpty() && !json.has(e.getKey() + "_reason")) {
        out.addProperty(e.getKey() + "_reason", String.join("; ", reasons));
      }
    }
    return out;
  }

  private static JsonElement clean(JsonElement value, String where, List<String> reasons) {
    if (value.isJsonObject()) {
      return of(value.getAsJsonObject());
    }
    if (value.isJsonArray()) {
      JsonArray out = new JsonArray();
      JsonArray in = value.getAsJsonArray();
      for (int i = 0; i < in.size(); i++) {
        out.add(clean(in.get(i), where + "[" + i + "]", reasons));
      }
      return out;
    }
    if (value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      double d = value.getAsJsonPrimitive().getAsDouble();
      if (!Double.isFinite(d)) {
        reasons.add((where.isEmpty() ? "" : where + " ") + "not finite: " + d);
        return JsonNull.INSTANCE;
      }
    }
    return value instanceof JsonPrimitive || value.isJsonNull() ? value : value.deepCopy();
  }
}
