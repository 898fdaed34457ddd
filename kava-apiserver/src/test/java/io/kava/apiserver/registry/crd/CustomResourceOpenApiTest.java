package io.kava.apiserver.registry.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.apiserver.openapi.FieldValidation;
import io.kava.apiserver.openapi.OpenApiEndpoints;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceRegistry;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** A CRD's schema as the OpenAPI documents publish it, and server-side field validation against it. */
class CustomResourceOpenApiTest {
  @Test
  void crdSchemaIsPublishedAndDrivesStrictFieldValidation() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    CrdStrategy.defaults(crd);
    ResourceRegistry registry = new ResourceRegistry();
    Map<String, JsonNode> schemas = new HashMap<>();
    List<ResourceDefinition> defs = CustomResources.served(crd, Crds.specNames(crd));
    for (JsonNode v : Crds.versions(crd)) {
      schemas.put(v.path("name").asString(), PublishedSchema.of(v.path("schema").get("openAPIV3Schema")));
    }
    OpenApiEndpoints endpoints = new OpenApiEndpoints(registry);
    endpoints.customResourceSchemas((group, version, kind) -> kind.equals("CronTab") ? schemas.get(version) : null);
    defs.forEach(registry::register);

    JsonNode doc = Json.parse(endpoints.get("/openapi/v3/apis/stable.example.com/v1", null, null, null).body());
    JsonNode cronTab = doc.path("components").path("schemas").path("com.example.stable.v1.CronTab");
    assertThat(cronTab.path("properties").path("spec").path("properties").path("cronSpec").path("pattern").asString()).startsWith("^(");
    assertThat(cronTab.path("properties").path("metadata").path("$ref").asString()).endsWith("ObjectMeta");
    assertThat(cronTab.has("x-kubernetes-preserve-unknown-fields")).isFalse();
    JsonNode v2 = Json.parse(endpoints.get("/openapi/v2", null, null, null).body());
    assertThat(v2.path("definitions").path("com.example.stable.v1.CronTab").path("properties").path("spec").path("required").get(0).asString())
        .isEqualTo("cronSpec");
    assertThat(endpoints.get("/openapi/v2", null, OpenApiEndpoints.PROTOBUF_V2_REQUEST, null).status()).isEqualTo(200);

    byte[] body = """
        {"apiVersion":"stable.example.com/v1","kind":"CronTab","metadata":{"name":"x"},
         "spec":{"cronSpec":"* * * * *","someRandomField":42,"extra":{"free":1}},"bogus":true}""".getBytes(StandardCharsets.UTF_8);
    FieldValidation.Report report = endpoints.fieldValidation().check("stable.example.com/v1", "CronTab", body, false);
    assertThat(report.badRequestMessage("stable.example.com/v1", "CronTab"))
        .isEqualTo("CronTab in version \"v1\" cannot be handled as a CronTab: strict decoding error: unknown field \"spec.someRandomField\", unknown field \"bogus\"");
    // v2 keeps unknown fields: nothing to report
    byte[] v2Body = "{\"apiVersion\":\"stable.example.com/v2\",\"kind\":\"CronTab\",\"metadata\":{\"name\":\"x\"},\"spec\":{\"anything\":1}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(endpoints.fieldValidation().check("stable.example.com/v2", "CronTab", v2Body, false).clean()).isTrue();
  }
}
