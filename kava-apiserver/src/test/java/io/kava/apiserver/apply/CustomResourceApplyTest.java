package io.kava.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import io.kava.apiserver.registry.ResourceDefinition;
import io.kava.apiserver.registry.ResourceStrategy;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

/** Apply and managedFields of custom resources: untyped (no schema) and typed by an OpenAPI v3 schema. */
class CustomResourceApplyTest {
  static final ResourceDefinition CRONTABS = new ResourceDefinition("stable.example.com", "v1", "CronTab", "crontabs", "crontab", true,
      List.of(), List.of(), Set.of(), ResourceStrategy.builder().build());
  static final Clock CLOCK = Clock.fixed(Instant.parse("2024-05-01T10:00:00Z"), ZoneOffset.UTC);

  static final String SCHEMA = """
      {"type":"object","properties":{
        "spec":{"type":"object","properties":{
          "cron":{"type":"string"},
          "ports":{"type":"array","x-kubernetes-list-type":"map","x-kubernetes-list-map-keys":["port","protocol"],
                   "items":{"type":"object","properties":{"port":{"type":"integer"},"protocol":{"type":"string","default":"TCP"},"name":{"type":"string"}}}},
          "tags":{"type":"array","x-kubernetes-list-type":"set","items":{"type":"string"}},
          "selector":{"type":"object","x-kubernetes-map-type":"atomic","additionalProperties":{"type":"string"}},
          "args":{"type":"array","items":{"type":"string"}}}}}}""";

  static ObjectNode apply(FieldManager fm, ObjectNode live, String body, String manager) {
    ApplyPatch p = fm.prepareApply(CRONTABS, "", body.getBytes(StandardCharsets.UTF_8), manager, false);
    return live == null ? p.createIfMissing("default", "c") : p.apply(live);
  }

  static String fieldsV1(ObjectNode o, String manager) {
    for (JsonNode e : o.at("/metadata/managedFields")) {
      if (e.path("manager").asString().equals(manager)) return Json.MAPPER.writeValueAsString(e.get("fieldsV1")).replace('"', '\'');
    }
    return null;
  }

  @Test
  void untypedCustomResourcesMergeObjectsAndReplaceLists() {
    FieldManager fm = new FieldManager(TypeResolver.BUILT_IN, CLOCK);
    ObjectNode o = apply(fm, null, """
        {apiVersion: stable.example.com/v1, kind: CronTab, metadata: {name: c, finalizers: [a]}, spec: {cron: '* * * * *', args: [x, y]}}""", "one");
    assertThat(fieldsV1(o, "one")).isEqualTo("{'f:metadata':{'f:finalizers':{'v:\\'a\\'':{}}},'f:spec':{'f:args':{},'f:cron':{}}}");
    o.withObject("metadata").put("name", "c");
    ObjectNode two = apply(fm, o, "{apiVersion: stable.example.com/v1, kind: CronTab, metadata: {name: c, finalizers: [b]}, spec: {image: i}}", "two");
    assertThat(two.at("/metadata/finalizers").toString()).isEqualTo("[\"a\",\"b\"]");
    assertThat(two.at("/spec/cron").asString()).isEqualTo("* * * * *");
    assertThat(two.at("/spec/image").asString()).isEqualTo("i");
  }

  @Test
  void schemasDriveListsAndMaps() {
    ApplyType root = OpenApiTypes.customResource(Json.MAPPER.readTree(SCHEMA));
    FieldManager fm = new FieldManager(def -> def.kind().equals("CronTab") ? root : null, CLOCK);
    ObjectNode o = apply(fm, null, """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: c}
        spec:
          ports: [{port: 80, name: http}]
          tags: [a]
          selector: {app: x}
        """, "one");
    assertThat(fieldsV1(o, "one")).isEqualTo("{'f:spec':{'f:ports':{'k:{\\'port\\':80,\\'protocol\\':\\'TCP\\'}':{'.':{},'f:name':{},'f:port':{}}},"
        + "'f:selector':{},'f:tags':{'v:\\'a\\'':{}}}}");
    ObjectNode two = apply(fm, o, """
        apiVersion: stable.example.com/v1
        kind: CronTab
        metadata: {name: c}
        spec:
          ports: [{port: 443, protocol: TCP}]
          tags: [b]
        """, "two");
    assertThat(two.at("/spec/ports").size()).isEqualTo(2);
    assertThat(two.at("/spec/tags").toString()).isEqualTo("[\"a\",\"b\"]");
    // one drops port 80 and its tag: they go; two's items stay
    ObjectNode three = apply(fm, two, "{apiVersion: stable.example.com/v1, kind: CronTab, metadata: {name: c}, spec: {selector: {app: y}}}", "one");
    assertThat(three.at("/spec/ports").toString()).isEqualTo("[{\"port\":443,\"protocol\":\"TCP\"}]");
    assertThat(three.at("/spec/tags").toString()).isEqualTo("[\"b\"]");
    assertThat(three.at("/spec/selector").toString()).isEqualTo("{\"app\":\"y\"}");
  }
}
