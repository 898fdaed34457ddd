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
}
