package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.apiserver.cache.CachedObject;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PartialObjectMetadataTest {
  static final String POD = """
      {"kind":"Pod","apiVersion":"v1","spec":{"containers":[{"name":"c","image":"x","args":["{\\"metadata\\":1}"]}]},
       "metadata":{"name":"p","namespace":"ns","uid":"u1","labels":{"a":"b"},"resourceVersion":"7"},
       "status":{"phase":"Running"}}""";

  @Test
  void aCompactObjectsMetadataIsReadWithoutTheRest() {
    CachedObject compact = CachedObject.compact("/pods/ns/p", "ns", "p", POD.getBytes(StandardCharsets.UTF_8), 7, Map.of(), Map.of());
    ObjectNode partial = Responses.partial(compact, null);
    assertThat(Json.MAPPER.writeValueAsString(partial)).isEqualTo(
        "{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\","
            + "\"metadata\":{\"name\":\"p\",\"namespace\":\"ns\",\"uid\":\"u1\",\"labels\":{\"a\":\"b\"},\"resourceVersion\":\"7\"}}");
    // The same as from the parsed tree.
    assertThat(partial).isEqualTo(Responses.partial(Json.MAPPER.readTree(POD), null));
    assertThat(Responses.partial(compact, "v1beta1").path("apiVersion").asString()).isEqualTo("meta.k8s.io/v1beta1");
  }

  @Test
  void anObjectWithoutMetadataGivesEmptyMetadata() {
    CachedObject compact = CachedObject.compact("/x", null, "x", "{\"kind\":\"X\",\"spec\":[1,{\"a\":2}]}".getBytes(StandardCharsets.UTF_8), 1, Map.of(), Map.of());
    assertThat(Responses.partial(compact, null).path("metadata").isEmpty()).isTrue();
  }

  /** The bytes cut from the cached JSON equal writing the partial tree, byte for byte. */
  @Test
  void partialBytesAreWhatWritingThePartialGives() {
    ObjectNode pod = (ObjectNode) Json.MAPPER.readTree("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","generation":3,
         "annotations":{"note":"ü \\"quoted\\" }{ \\\\","empty":""},"managedFields":[{"manager":"m",
         "fieldsV1":{"f:metadata":{"k:{\\"ip\\":\\"10.0.0.1\\"}":{}}}}],"resourceVersion":"9"},"spec":{"x":[1,2.5,true,null]}}""");
    byte[] stored = Json.bytes(pod);
    CachedObject compact = CachedObject.compact("/pods/ns/p", "ns", "p", stored, 9, Map.of(), Map.of());
    for (String metaVersion : new String[] {null, "v1", "v1beta1"}) {
      assertThat(new String(Responses.partialBytes(compact, metaVersion), StandardCharsets.UTF_8))
          .isEqualTo(new String(Json.bytes(Responses.partial(pod, metaVersion)), StandardCharsets.UTF_8));
    }
    CachedObject none = CachedObject.compact("/x", null, "x", "{\"kind\":\"X\"}".getBytes(StandardCharsets.UTF_8), 1, Map.of(), Map.of());
    assertThat(new String(Responses.partialBytes(none, null), StandardCharsets.UTF_8))
        .isEqualTo("{\"kind\":\"PartialObjectMetadata\",\"apiVersion\":\"meta.k8s.io/v1\",\"metadata\":{}}");
  }
}
