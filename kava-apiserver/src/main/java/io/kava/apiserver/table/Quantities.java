package io.kava.apiserver.table;

import io.kava.api.quantity.Quantity;
import tools.jackson.databind.JsonNode;

/**
 * Quantities as table cells print them: upstream's canonical form ("1024Mi" prints "1Gi", "0.5" prints "500m"), which
 * is what kube-apiserver shows after parsing what the client sent. Text that is not a quantity prints as it is.
 */
final class Quantities {
  private Quantities() {
  }

  /** The canonical form of the quantity in {@code node}; "0" when missing (a zero Quantity). */
  static String canonical(JsonNode node) {
    if (node == null || node.isNull() || node.isMissingNode()) {
      return "0";
    }
    return canonical(Nodes.text(node).trim());
  }

  /** The canonical form of {@code s}; {@code s} itself when it does not parse as a quantity. */
  static String canonical(String s) {
    if (s == null || s.isEmpty()) {
      return "0";
    }
    return Quantity.tryParse(s).map(Quantity::toString).orElse(s);
  }
}
