package io.kava.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class TopLevelFieldTest {
  private static String value(String json, String name) {
    byte[] b = json.getBytes(StandardCharsets.UTF_8);
    TopLevelField f = TopLevelField.find(b, name);
    return f == null ? null : new String(b, f.start(), f.end() - f.start(), StandardCharsets.UTF_8);
  }

  @Test
  void findsTheValueOfATopLevelFieldPastOthersOfEveryShape() {
    String json = "{\"a\":\"x\\\"}{[\",\"b\":[1,{\"metadata\":{}},\"]\"],\"c\":-1.5e3,\"d\":true,\"e\":null,"
        + "\"metadata\":{\"name\":\"n\",\"annotations\":{\"k\":\"v}\\\\\",\"ü\":\"ö\"}},\"f\":{}}";
    assertThat(value(json, "metadata")).isEqualTo("{\"name\":\"n\",\"annotations\":{\"k\":\"v}\\\\\",\"ü\":\"ö\"}}");
    assertThat(value(json, "a")).isEqualTo("\"x\\\"}{[\"");
    assertThat(value(json, "c")).isEqualTo("-1.5e3");
    assertThat(value(json, "e")).isEqualTo("null");
    assertThat(value(json, "f")).isEqualTo("{}");
    assertThat(value(" { \"k\" : [ 1 , 2 ] , \"metadata\" : { } } ", "metadata")).isEqualTo("{ }");
  }

  @Test
  void isNullWhenAbsentNestedOnlyOrNotAnObject() {
    assertThat(value("{\"spec\":{\"metadata\":{}}}", "metadata")).isNull();
    assertThat(value("{}", "metadata")).isNull();
    assertThat(value("[{\"metadata\":{}}]", "metadata")).isNull();
    assertThat(value("{\"metadata\":{\"a\":\"unterminated}", "metadata")).isNull();
    assertThat(value("{\"a\":1 \"metadata\":{}}", "metadata")).isNull();
    assertThat(value("", "metadata")).isNull();
  }
}
