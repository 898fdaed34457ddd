package io.kava.apiserver.patch;

import io.kava.api.json.Json;
import io.kava.api.validation.FieldError;
import io.kava.apiserver.errors.StatusException;
import java.math.BigDecimal;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;

/** Shared helpers of the patch engines: body parsing, scalar identity, upstream's error shapes and Go value printing. */
final class PatchSupport {
  private PatchSupport() {}

  /** Upstream's message for a 422 built with NewGenericServerResponse: the underlying error text is not sent. */
  static final String GENERIC_INVALID = "the server rejected our request due to an error in our request";

  /**
   * Parses a patch body. Upstream checks {@code json.Valid} before anything else and answers
   * 400 "invalid JSON patch" for every JSON patch type (empty bodies included).
   */
  static JsonNode parseBody(byte[] body) {
    if (body == null || body.length == 0) throw StatusException.badRequest("invalid JSON patch");
    try {
      JsonNode node = Json.MAPPER.readTree(body);
      if (node == null || node.isMissingNode()) throw StatusException.badRequest("invalid JSON patch");
      return node;
    } catch (JacksonException e) {
      throw StatusException.badRequest("invalid JSON patch");
    }
  }

  /** 422 Invalid with upstream's fixed text (NewGenericServerResponse drops the cause). */
  static StatusException genericInvalid() {
    return new StatusException(422, "Invalid", GENERIC_INVALID);
  }

  /**
   * An error upstream returns as a plain Go error: rendered by the API server as 500 with an empty
   * (StatusReasonUnknown) reason and the error text as the message.
   */
  static StatusException plainError(String message) {
    return new StatusException(500, "", message);
  }

  /**
   * A patch produced something that is not an object (a merge patch that is a list, a JSON patch that replaces
   * the root with a list). Upstream fails decoding the result into the kind and answers, with an empty kind and
   * name, {@code  "" is invalid: patch: Invalid value: "<result>": <decode error>}.
   */
  static StatusException notAnObject(JsonNode result) {
    String json = Json.MAPPER.writeValueAsString(result);
    return StatusException.invalid("", "", "", List.of(FieldError.invalid("patch", json,
        "json: cannot unmarshal " + goJsonKind(result) + " into Go value of type map[string]interface {}")));
  }

  /** The JSON type name Go's decoder uses in "cannot unmarshal X into ..." messages. */
  static String goJsonKind(JsonNode n) {
    if (n.isObject()) return "object";
    if (n.isArray()) return "array";
    if (n.isString()) return "string";
    if (n.isNumber()) return "number";
    if (n.isBoolean()) return "bool";
    return "null";
  }

  // ------------------------------------------------------------------ scalar identity

  /**
   * A key under which two JSON scalars are equal exactly when Go's {@code ==} on the decoded values would be:
   * same type and value. Integers and floats are different Go types (int64 vs float64), so 1 and 1.0 differ.
   */
  static Object scalarKey(JsonNode n) {
    if (n == null || n.isNull() || n.isMissingNode()) return NULL_KEY;
    if (n.isString()) return n.stringValue();
    if (n.isBoolean()) return n.booleanValue() ? Boolean.TRUE : Boolean.FALSE;
    if (n.isIntegralNumber()) return new IntKey(n.bigIntegerValue().toString());
    if (n.isNumber()) return new FloatKey(n.decimalValue().stripTrailingZeros());
    // containers are not comparable in Go; use identity so they never match anything else
    return new Identity(n);
  }

  private static final Object NULL_KEY = new Object() {
    @Override public String toString() { return "<nil>"; }
  };

  private record IntKey(String value) {}

  private record FloatKey(BigDecimal value) {}

  private record Identity(JsonNode node) {
    @Override public boolean equals(Object o) { return o instanceof Identity i && i.node == node; }
    @Override public int hashCode() { return System.identityHashCode(node); }
  }

  static boolean sameScalar(JsonNode a, JsonNode b) { return scalarKey(a).equals(scalarKey(b)); }

  /** The Go reflect kind a decoded JSON value would have, for "list element types are not identical" checks. */
  static String goType(JsonNode n) {
    if (n == null || n.isNull()) return "nil";
    if (n.isObject()) return "map";
    if (n.isArray()) return "slice";
    if (n.isString()) return "string";
    if (n.isBoolean()) return "bool";
    if (n.isIntegralNumber()) return "int64";
    return "float64";
  }

  // ------------------------------------------------------------------ Go %v printing

  /** Renders a value the way Go's {@code fmt.Sprintf("%v", v)} prints a decoded JSON value (maps sorted by key). */
  static String goValue(JsonNode n) {
    StringBuilder sb = new StringBuilder();
    goValue(n, sb);
    return sb.toString();
  }

  private static void goValue(JsonNode n, StringBuilder sb) {
    if (n == null || n.isNull() || n.isMissingNode()) {
      sb.append("<nil>");
    } else if (n.isObject()) {
      List<Map.Entry<String, JsonNode>> entries = new ArrayList<>(n.properties());
      entries.sort(Map.Entry.comparingByKey());
      sb.append("map[");
      for (int i = 0; i < entries.size(); i++) {
        if (i > 0) sb.append(' ');
        sb.append(entries.get(i).getKey()).append(':');
        goValue(entries.get(i).getValue(), sb);
      }
      sb.append(']');
    } else if (n.isArray()) {
      sb.append('[');
      for (int i = 0; i < n.size(); i++) {
        if (i > 0) sb.append(' ');
        goValue(n.get(i), sb);
      }
      sb.append(']');
    } else if (n.isFloatingPointNumber()) {
      sb.append(n.decimalValue().stripTrailingZeros().toPlainString()); // Go prints 80.0 as 80
    } else {
      sb.append(n.asString());
    }
  }
}
