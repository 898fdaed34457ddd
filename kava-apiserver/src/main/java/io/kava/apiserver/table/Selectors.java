package io.kava.apiserver.table;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Label maps and label selectors printed as upstream prints them. */
final class Selectors {
  private Selectors() {
  }

  /** labels.FormatLabels: "a=1,b=2" sorted by key, {@code <none>} when empty. */
  static String formatLabels(Map<String, String> labels) {
    String s = labelsString(labels);
    return s.isEmpty() ? "<none>" : s;
  }

  /** labels.Set.String(): "a=1,b=2" sorted by key ("" when empty). */
  static String labelsString(Map<String, String> labels) {
    List<String> keys = new ArrayList<>(labels.keySet());
    keys.sort(Comparator.naturalOrder());
    StringBuilder sb = new StringBuilder();
    for (String k : keys) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(k).append('=').append(labels.get(k));
    }
    return sb.toString();
  }

  /**
   * metav1.FormatLabelSelector: the selector as a string, {@code <none>} for a nil or empty selector and
   * {@code <error>} for one that does not convert.
   */
  static String formatLabelSelector(JsonNode selector) {
    String s;
    try {
      s = selectorString(selector);
    } catch (IllegalArgumentException e) {
      return "<error>";
    }
    return s.isEmpty() ? "<none>" : s;
  }

  /**
   * metav1.LabelSelectorAsSelector(selector).String(): "" for a nil or empty selector.
   *
   * @throws IllegalArgumentException for an operator upstream rejects
   */
  static String selectorString(JsonNode selector) {
    if (selector == null || selector.isNull() || selector.isMissingNode() || !selector.isObject()) {
      return "";
    }
    record Req(String key, String text) {
    }
    List<Req> reqs = new ArrayList<>();
    for (Map.Entry<String, String> e : Nodes.stringMap(selector, "matchLabels").entrySet()) {
      reqs.add(new Req(e.getKey(), e.getKey() + "=" + e.getValue()));
    }
    for (JsonNode expr : Nodes.arr(selector, "matchExpressions")) {
      String key = Nodes.str(expr, "key");
      String op = Nodes.str(expr, "operator");
      List<String> values = new ArrayList<>();
      for (JsonNode v : Nodes.arr(expr, "values")) {
        values.add(Nodes.text(v));
      }
      String text = switch (op) {
        case "In", "NotIn" -> {
          if (values.isEmpty()) {
            throw new IllegalArgumentException("for 'in', 'notin' operators, values set can't be empty");
          }
          values.sort(Comparator.naturalOrder());
          yield key + ("In".equals(op) ? " in (" : " notin (") + String.join(",", values) + ")";
        }
        case "Exists" -> {
          if (!values.isEmpty()) {
            throw new IllegalArgumentException("values set must be empty for exists and does not exist");
          }
          yield key;
        }
        case "DoesNotExist" -> {
          if (!values.isEmpty()) {
            throw new IllegalArgumentException("values set must be empty for exists and does not exist");
          }
          yield "!" + key;
        }
        default -> throw new IllegalArgumentException("\"" + op + "\" is not a valid label selector operator");
      };
      reqs.add(new Req(key, text));
    }
    reqs.sort(Comparator.comparing(Req::key)); // stable, as upstream's small-slice sort
    StringBuilder sb = new StringBuilder();
    for (Req r : reqs) {
      if (!sb.isEmpty()) {
        sb.append(',');
      }
      sb.append(r.text());
    }
    return sb.toString();
  }
}
