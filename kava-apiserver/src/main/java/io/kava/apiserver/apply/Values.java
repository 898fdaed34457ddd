package io.kava.apiserver.apply;

import java.util.Iterator;
import java.util.Map;
import tools.jackson.databind.JsonNode;

/** Value equality of JSON trees as decoded Go values compare: numbers by value (integers apart from floats). */
final class Values {
  private Values() {}

  static boolean equal(JsonNode a, JsonNode b) {
    if (a == b) return true;
    if (a == null || b == null) return false;
    if (a.isNumber() && b.isNumber()) {
      if (a.isIntegralNumber() != b.isIntegralNumber()) return false;
      return a.isIntegralNumber() ? a.bigIntegerValue().equals(b.bigIntegerValue()) : a.decimalValue().compareTo(b.decimalValue()) == 0;
    }
    if (a.getNodeType() != b.getNodeType()) return false;
    if (a.isObject()) {
      if (a.size() != b.size()) return false;
      for (Map.Entry<String, JsonNode> e : a.properties()) {
        if (!equal(e.getValue(), b.get(e.getKey()))) return false;
      }
      return true;
    }
    if (a.isArray()) {
      if (a.size() != b.size()) return false;
      Iterator<JsonNode> ia = a.values().iterator();
      Iterator<JsonNode> ib = b.values().iterator();
      while (ia.hasNext()) if (!equal(ia.next(), ib.next())) return false;
      return true;
    }
    return a.equals(b);
  }
}
