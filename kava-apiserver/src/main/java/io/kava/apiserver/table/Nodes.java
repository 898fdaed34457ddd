package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import tools.jackson.databind.JsonNode;

/** Null-safe reads of Kubernetes JSON, with Go's zero values for missing fields. */
final class Nodes {
  private Nodes() {
  }

  /** The node at {@code path}, or null when any step is missing or JSON null. */
  static JsonNode at(JsonNode node, String... path) {
    JsonNode n = node;
    for (String p : path) {
      if (n == null || !n.isObject()) {
        return null;
      }
      n = n.get(p);
    }
    if (n == null || n.isNull() || n.isMissingNode()) {
      return null;
    }
    return n;
  }

  static boolean has(JsonNode node, String... path) {
    return at(node, path) != null;
  }

  /** The string at {@code path}; "" when missing (Go's zero value). Scalars of other types print as text. */
  static String str(JsonNode node, String... path) {
    String s = strOrNull(node, path);
    return s == null ? "" : s;
  }

  /** The string at {@code path}, or null when missing (a nil *string upstream). */
  static String strOrNull(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null) {
      return null;
    }
    if (n.isString()) {
      return n.stringValue();
    }
    if (n.isValueNode()) {
      return n.asString();
    }
    return null;
  }

  /** Text of a scalar node (strings raw, numbers and booleans as written); "" for null, objects and arrays. */
  static String text(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode() || n.isContainer()) {
      return "";
    }
    return n.isString() ? n.stringValue() : n.asString();
  }

  /** The integer at {@code path}; 0 when missing. */
  static long lng(JsonNode node, String... path) {
    Long l = lngOrNull(node, path);
    return l == null ? 0 : l;
  }

  /** The integer at {@code path}, or null when missing (a nil *int32 upstream). */
  static Long lngOrNull(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null) {
      return null;
    }
    if (n.isNumber()) {
      if (n.isIntegralNumber()) {
        return n.canConvertToLong() ? n.longValue() : null;
      }
      return (long) n.doubleValue();
    }
    if (n.isString()) {
      try {
        return Long.parseLong(n.stringValue().trim());
      } catch (NumberFormatException e) {
        return null;
      }
    }
    return null;
  }

  static boolean bool(JsonNode node, String... path) {
    Boolean b = boolOrNull(node, path);
    return b != null && b;
  }

  static Boolean boolOrNull(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null) {
      return null;
    }
    if (n.isBoolean()) {
      return n.booleanValue();
    }
    if (n.isString()) {
      String s = n.stringValue();
      if ("true".equalsIgnoreCase(s)) {
        return true;
      }
      if ("false".equalsIgnoreCase(s)) {
        return false;
      }
    }
    return null;
  }

  /** The array elements at {@code path}; empty when missing or not an array. */
  static List<JsonNode> arr(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isArray()) {
      return List.of();
    }
    List<JsonNode> out = new ArrayList<>(n.size());
    for (JsonNode e : n) {
      out.add(e);
    }
    return out;
  }

  /** Number of entries in the array or object at {@code path} (Go's len of a slice or map). */
  static int size(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !(n.isArray() || n.isObject())) {
      return 0;
    }
    return n.size();
  }

  /** The string values of the object at {@code path}, sorted by key; empty when missing. */
  static Map<String, String> stringMap(JsonNode node, String... path) {
    JsonNode n = at(node, path);
    if (n == null || !n.isObject()) {
      return Collections.emptyMap();
    }
    Map<String, String> out = new TreeMap<>();
    for (Map.Entry<String, JsonNode> e : n.properties()) {
      JsonNode v = e.getValue();
      out.put(e.getKey(), text(v));
    }
    return out;
  }

  /** The RFC 3339 timestamp at {@code path}, or null when missing, unparsable or Go's zero time. */
  static Instant time(JsonNode node, String... path) {
    String s = strOrNull(node, path);
    if (s == null || s.isEmpty()) {
      return null;
    }
    Instant t = parseTime(s);
    return HumanDuration.isUnset(t) ? null : t;
  }

  static Instant parseTime(String s) {
    try {
      return OffsetDateTime.parse(s).toInstant();
    } catch (DateTimeParseException e) {
      try {
        return Instant.parse(s);
      } catch (DateTimeParseException e2) {
        return null;
      }
    }
  }

  static String name(JsonNode obj) {
    return str(obj, "metadata", "name");
  }

  /** Age of the object: upstream's translateTimestampSince(creationTimestamp). */
  static String age(JsonNode obj, Instant now) {
    return HumanDuration.since(time(obj, "metadata", "creationTimestamp"), now);
  }

  /** Age of the timestamp at {@code path}, {@code <unknown>} when missing. */
  static String since(JsonNode node, Instant now, String... path) {
    return HumanDuration.since(time(node, path), now);
  }

  static boolean deleting(JsonNode obj) {
    return has(obj, "metadata", "deletionTimestamp");
  }

  static String orNone(String s) {
    return s == null || s.isEmpty() ? "<none>" : s;
  }

  static String firstNonEmpty(String... ss) {
    for (String s : ss) {
      if (s != null && !s.isEmpty()) {
        return s;
      }
    }
    return "";
  }

  /** The first condition of {@code type} in the array at {@code path}, or null. */
  static JsonNode condition(JsonNode conditionsArrayOwner, String type, String... path) {
    for (JsonNode c : arr(conditionsArrayOwner, path)) {
      if (type.equals(str(c, "type"))) {
        return c;
      }
    }
    return null;
  }

  /** Upstream's printBoolPtr: "True"/"False", or {@code <unset>} for a nil pointer. */
  static String boolPtr(Boolean b) {
    if (b == null) {
      return "<unset>";
    }
    return b ? "True" : "False";
  }

  /** Upstream's listWithMoreString: "a,b,c + N more...", {@code <unset>} for an empty list. */
  static String listWithMore(List<String> list, boolean more, int count, int max) {
    String ret = String.join(",", list);
    if (more) {
      return ret + " + " + (count - max) + " more...";
    }
    return ret.isEmpty() ? "<unset>" : ret;
  }

  /** Upstream's layoutContainerCells: names and images of the containers, comma separated. */
  static String[] containerCells(JsonNode podSpec) {
    StringBuilder names = new StringBuilder();
    StringBuilder images = new StringBuilder();
    List<JsonNode> containers = arr(podSpec, "containers");
    for (int i = 0; i < containers.size(); i++) {
      names.append(str(containers.get(i), "name"));
      images.append(str(containers.get(i), "image"));
      if (i != containers.size() - 1) {
        names.append(',');
        images.append(',');
      }
    }
    return new String[] {names.toString(), images.toString()};
  }
}
