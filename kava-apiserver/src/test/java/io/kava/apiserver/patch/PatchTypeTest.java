package io.kava.apiserver.patch;

import static io.kava.apiserver.patch.PatchTesting.bytes;
import static io.kava.apiserver.patch.PatchTesting.json;
import static io.kava.apiserver.patch.PatchTesting.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PatchTypeTest {

  @Test
  void parsesContentTypesIgnoringParameters() {
    assertThat(PatchType.parse("application/strategic-merge-patch+json")).contains(PatchType.STRATEGIC_MERGE_PATCH);
    assertThat(PatchType.parse("application/merge-patch+json; charset=utf-8")).contains(PatchType.MERGE_PATCH);
    assertThat(PatchType.parse("application/json-patch+json")).contains(PatchType.JSON_PATCH);
    assertThat(PatchType.parse("application/apply-patch+yaml")).contains(PatchType.APPLY_YAML);
    assertThat(PatchType.parse("application/json")).isEmpty();
    assertThat(PatchType.parse(null)).isEmpty();
    assertThat(PatchType.STRATEGIC_MERGE_PATCH.mediaType()).isEqualTo("application/strategic-merge-patch+json");
  }

  @Test
  void unsupportedTypesAre415WithUpstreamsList() {
    assertThat(status(415, () -> PatchType.fromContentType("application/json", true)).getMessage())
        .isEqualTo("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
            + "application/merge-patch+json, application/strategic-merge-patch+json, application/apply-patch+yaml");
    assertThat(status(415, () -> PatchType.fromContentType("application/strategic-merge-patch+json", false)).getMessage())
        .isEqualTo("the body of the request was in an unknown format - accepted media types include: application/json-patch+json, "
            + "application/merge-patch+json, application/apply-patch+yaml");
    assertThat(PatchType.fromContentType("application/merge-patch+json", false)).isEqualTo(PatchType.MERGE_PATCH);
  }

  @Test
  void patchesDispatchByType() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"finalizers\":[\"a\"]}}";
    assertThat(Patches.apply(PatchType.MERGE_PATCH, json(pod), bytes("{\"metadata\":{\"finalizers\":[\"b\"]}}"), "v1", "Pod")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"b\"]"));
    assertThat(Patches.apply(PatchType.STRATEGIC_MERGE_PATCH, json(pod), bytes("{\"metadata\":{\"finalizers\":[\"b\"]}}"), "v1", "Pod")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"b\",\"a\"]"));
    assertThat(Patches.apply(PatchType.JSON_PATCH, json(pod), bytes("[{\"op\":\"add\",\"path\":\"/metadata/finalizers/-\",\"value\":\"b\"}]"), "v1", "Pod")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"a\",\"b\"]"));
    assertThatThrownBy(() -> Patches.apply(PatchType.APPLY_YAML, json(pod), bytes("{}"), "v1", "Pod"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void preparedPatchesCheckTheBodyOnceAndApplyRepeatedly() {
    status(400, () -> Patches.prepare(PatchType.STRATEGIC_MERGE_PATCH, bytes("[]"), "v1", "Pod"));
    status(400, () -> Patches.prepare(PatchType.MERGE_PATCH, bytes("null"), "v1", "Pod"));
    status(400, () -> Patches.prepare(PatchType.JSON_PATCH, bytes("{}"), "v1", "Pod"));
    status(415, () -> Patches.prepare(PatchType.STRATEGIC_MERGE_PATCH, bytes("{}"), "example.com/v1", "Foo"));
    for (PatchType t : new PatchType[] {PatchType.JSON_PATCH, PatchType.MERGE_PATCH, PatchType.STRATEGIC_MERGE_PATCH}) {
      String body = t == PatchType.JSON_PATCH
          ? "[{\"op\":\"add\",\"path\":\"/metadata/labels\",\"value\":{\"a\":\"b\"}}]"
          : "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}";
      Patches.Prepared p = Patches.prepare(t, bytes(body), "v1", "ConfigMap");
      ObjectNode first = p.applyInPlace((ObjectNode) json("{\"metadata\":{\"name\":\"x\"}}"));
      ObjectNode second = p.applyInPlace((ObjectNode) json("{\"metadata\":{\"name\":\"y\"}}"));
      ((ObjectNode) first.get("metadata").get("labels")).put("a", "changed");
      assertThat(second.get("metadata").get("labels")).as(t.name()).isEqualTo(json("{\"a\":\"b\"}"));
    }
  }
}
