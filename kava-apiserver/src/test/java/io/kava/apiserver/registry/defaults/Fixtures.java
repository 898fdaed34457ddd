package io.kava.apiserver.registry.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Defaulter;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/** Test helpers: JSON literals and the "defaulted equals expected, and defaulting twice changes nothing" check. */
final class Fixtures {
  private Fixtures() {}

  static final JsonMapper JSON = JsonMapper.builder().build();

  static ObjectNode json(String text) { return (ObjectNode) JSON.readTree(text); }

  /** Applies {@code d} to {@code input} and checks the result and idempotency. */
  static ObjectNode assertDefaults(Defaulter d, String input, String expected) {
    ObjectNode obj = json(input);
    d.apply(obj);
    assertThat(obj).as("defaulted").isEqualTo(json(expected));
    ObjectNode again = obj.deepCopy();
    d.apply(again);
    assertThat(again).as("defaulting is idempotent").isEqualTo(obj);
    return obj;
  }

  static String at(JsonNode n, String pointer) { return n.at(pointer).asString(); }

  /** One string field of each element of an array. */
  static java.util.List<String> fields(JsonNode array, String field) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : array) out.add(e.path(field).asString());
    return out;
  }
}
