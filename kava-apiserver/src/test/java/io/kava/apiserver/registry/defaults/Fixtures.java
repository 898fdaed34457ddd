package io.kava.apiserver.registry.defaults;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Defaulter;
import java.util.Objects;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.SerializationFeature;
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
    assertJson(obj, json(expected));
    ObjectNode again = obj.deepCopy();
    d.apply(again);
    assertJson(again, obj);
    return obj;
  }

  /**
   * JSON equality ignoring property order (JsonNode.equals); AssertJ's isEqualTo would compare a JsonNode as an
   * Iterable, element by element in order.
   */
  static void assertJson(JsonNode actual, JsonNode expected) {
    if (!Objects.equals(actual, expected)) {
      assertThat(sorted(actual)).isEqualTo(sorted(expected));
      assertThat(actual).as("JSON equality").matches(a -> Objects.equals(a, expected));
    }
  }

  static void assertJson(JsonNode actual, String expected) { assertJson(actual, JSON.readTree(expected)); }

  private static final JsonMapper SORTED = JsonMapper.builder().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
      .enable(SerializationFeature.INDENT_OUTPUT).build();

  private static String sorted(JsonNode n) {
    Object plain = SORTED.convertValue(n, Object.class);
    return SORTED.writeValueAsString(plain);
  }

  static String at(JsonNode n, String pointer) { return n.at(pointer).asString(); }

  /** One string field of each element of an array. */
  static java.util.List<String> fields(JsonNode array, String field) {
    java.util.List<String> out = new java.util.ArrayList<>();
    for (JsonNode e : array) out.add(e.path(field).asString());
    return out;
  }
}
