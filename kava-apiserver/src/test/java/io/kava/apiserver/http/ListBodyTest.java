package io.kava.apiserver.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.apiserver.cache.CachedObject;
import io.kava.apiserver.registry.ListResult;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class ListBodyTest {
  private static CachedObject item(int i) {
    byte[] json = ("{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c" + i + "\",\"resourceVersion\":\"" + i
        + "\"},\"data\":{\"k\":\"ü\\\"" + i + "\"}}").getBytes(StandardCharsets.UTF_8);
    return CachedObject.compact("/configmaps/ns/c" + i, "ns", "c" + i, json, i, Map.of(), Map.of());
  }

  /** The list assembled from the items' bytes is the JSON of the same list written as one tree. */
  @Test
  void theAssembledListIsTheListsJson() {
    for (int count : new int[] {0, 1, 3}) {
      List<CachedObject> items = new ArrayList<>();
      for (int i = 1; i <= count; i++) items.add(item(i));
      ListResult result = new ListResult(items, 42, count == 3 ? "next" : null, count == 3 ? 7L : null);
      String assembled = Responses.listBuffer("v1", "ConfigMapList", "42", result, false).toString(StandardCharsets.UTF_8);

      ObjectNode expected = Json.object();
      expected.put("kind", "ConfigMapList");
      expected.put("apiVersion", "v1");
      expected.set("metadata", Responses.listMeta("42", result.continueToken(), result.remainingItemCount()));
      var array = expected.putArray("items");
      for (CachedObject o : items) array.add(Json.parse(o.bytes()));
      assertThat(assembled).isEqualTo(new String(Json.bytes(expected), StandardCharsets.UTF_8));
    }
  }
}
