package io.kava.apiserver.apply;

import java.util.HashMap;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/**
 * The path elements of the items of a {@link ApplyType.ListType#SET set} or {@link ApplyType.ListType#MAP map} list:
 * {@code v:<value>} or {@code k:<keys>} per item, and where each element first occurs. A list that cannot be indexed
 * (an item without its key, a set item that is not a scalar) has an {@link #error}; duplicates are recorded.
 */
final class ListIndex {
  final String[] elements;
  final Map<String, Integer> first;
  final String error;
  final String duplicate;

  private ListIndex(String[] elements, Map<String, Integer> first, String error, String duplicate) {
    this.elements = elements;
    this.first = first;
    this.error = error;
    this.duplicate = duplicate;
  }

  /** Indexes {@code list}, which sits at a position of type {@code type} whose list type is SET or MAP. */
  static ListIndex of(JsonNode list, ApplyType type) {
    int n = list.size();
    String[] elements = new String[n];
    Map<String, Integer> first = new HashMap<>(n * 2);
    String duplicate = null;
    boolean set = type.listType() == ApplyType.ListType.SET;
    ApplyType element = set ? null : type.element();
    for (int i = 0; i < n; i++) {
      JsonNode item = list.get(i);
      String pe;
      if (set) {
        if (item == null || item.isContainer()) return failed("element " + i + ": set items must be scalars");
        pe = PathElements.value(item);
      } else {
        pe = PathElements.key(item, type.listMapKeys(), element);
        if (pe == null) return failed(missingKey(item, i, type, element));
      }
      elements[i] = pe;
      if (first.putIfAbsent(pe, i) != null && duplicate == null) duplicate = pe;
    }
    return new ListIndex(elements, first, null, duplicate);
  }

  private static ListIndex failed(String error) { return new ListIndex(null, null, error, null); }

  private static String missingKey(JsonNode item, int i, ApplyType type, ApplyType element) {
    if (!item.isObject()) return "element " + i + ": associative list with keys has an element that is not a map";
    for (String k : type.listMapKeys()) {
      JsonNode v = item.get(k);
      if ((v == null || v.isNull()) && element.keyDefault(k) == null) {
        return "element " + i + ": associative list with keys has an element that omits key field \"" + k + "\" (and doesn't have default value)";
      }
      if (v != null && v.isContainer()) return "element " + i + ": associative list with keys has an element whose key field \"" + k + "\" is not a scalar";
    }
    return "element " + i + ": associative list with keys has an invalid element";
  }
}
