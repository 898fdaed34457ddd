package io.kava.apiserver.cache;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class SerializedObjectTest {
  private static ObjectNode parse(String json) { return (ObjectNode) Json.parse(json.getBytes(StandardCharsets.UTF_8)); }

  private static void assertSameAsTwoSerializations(ObjectNode object) {
    SerializedObject s = SerializedObject.of(object);
    assertThat(new String(s.bytes(), StandardCharsets.UTF_8)).isEqualTo(new String(Json.bytes(object), StandardCharsets.UTF_8));
    object.withObject("metadata").put("resourceVersion", "12345");
    assertThat(new String(s.withResourceVersion(12345), StandardCharsets.UTF_8))
        .isEqualTo(new String(Json.bytes(object), StandardCharsets.UTF_8));
  }

  @Test
  void bytesAndTheResourceVersionVariantMatchJsonBytes() {
    assertSameAsTwoSerializations(parse("""
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"a","namespace":"ns","labels":{"x":"y"},
        "managedFields":[{"manager":"m","fieldsV1":{"f:data":{".":{},"f:k":{}}}}],"uid":"u"},
        "data":{"k":"line\\nwith \\"quotes\\" and \\u0000 and é","n":null},"binaryData":{},"list":[1,2.5,true,null,{"a":[]}]}"""));
  }

  @Test
  void metadataFirstLastOrEmpty() {
    assertSameAsTwoSerializations(parse("{\"metadata\":{\"name\":\"a\"},\"kind\":\"Pod\"}"));
    assertSameAsTwoSerializations(parse("{\"kind\":\"Pod\",\"spec\":{\"metadata\":{\"name\":\"inner\"}},\"metadata\":{}}"));
  }

  @Test
  void noMetadataGivesNoResponseBytes() {
    ObjectNode o = parse("{\"kind\":\"Pod\",\"metadata\":\"not an object\"}");
    SerializedObject s = SerializedObject.of(o);
    assertThat(s.bytes()).isEqualTo(Json.bytes(o));
    assertThat(s.withResourceVersion(1)).isNull();
  }
}
