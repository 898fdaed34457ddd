package io.kava.apiserver.registry.crd;

import static io.kava.apiserver.registry.crd.CrdFixtures.cronTab;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

/** Validation, pruning and defaulting of custom resources against a CRD version's schema. */
class CustomResourceSchemaTest {
  private final Schema schema = Schema.parse(CrdFixtures.cronTabCrd().path("spec").path("versions").get(0).path("schema").get("openAPIV3Schema"));

  private List<String> errors(ObjectNode cr) {
    return SchemaValidator.validate(cr, schema).stream().map(FieldError::message).toList();
  }

  private ObjectNode prepared(ObjectNode cr) {
    Pruning.prune(cr, schema);
    Defaulting.apply(cr, schema);
    return cr;
  }

  @Test
  void validObjectHasNoErrors() {
    ObjectNode cr = prepared(cronTab("a", "cronSpec: '* * * * */5'\nreplicas: 3\nport: http\ntags: [a, b]\nmode: fast"));
    assertThat(errors(cr)).isEmpty();
  }

  @Test
  void wrongTypeHasUpstreamsMessage() {
    List<String> errs = errors(prepared(cronTab("a", "cronSpec: '* * * * *'\nreplicas: three")));
    assertThat(errs).containsExactly("spec.replicas: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
    assertThat(SchemaValidator.validate(prepared(cronTab("a", "cronSpec: '* * * * *'\nreplicas: three")), schema).get(0).type())
        .isEqualTo(FieldError.Type.TYPE_INVALID);
  }

  @Test
  void requiredEnumBoundsPatternLengthAndItems() {
    ObjectNode cr = prepared(cronTab("a", "replicas: 11\nmode: quick\nimage: " + "x".repeat(21) + "\ntags: [a, b, c]"));
    assertThat(errors(cr)).containsExactlyInAnyOrder(
        "spec.cronSpec: Required value",
        "spec.replicas: Invalid value: 11: spec.replicas in body should be less than or equal to 10",
        "spec.mode: Unsupported value: \"quick\": supported values: \"fast\", \"slow\"",
        "spec.image: Too long: may not be more than 20 bytes",
        "spec.tags: Too many: 3: must have at most 2 items");
    cr = prepared(cronTab("a", "cronSpec: every minute\nreplicas: -1"));
    assertThat(errors(cr)).containsExactlyInAnyOrder(
        "spec.cronSpec: Invalid value: \"every minute\": spec.cronSpec in body should match '^(\\d+|\\*)(/\\d+)?(\\s+(\\d+|\\*)(/\\d+)?){4}$'",
        "spec.replicas: Invalid value: -1: spec.replicas in body should be greater than or equal to 0");
  }

  @Test
  void intOrStringAcceptsBothAndNothingElse() {
    assertThat(errors(prepared(cronTab("a", "cronSpec: '* * * * *'\nport: 8080")))).isEmpty();
    assertThat(errors(prepared(cronTab("a", "cronSpec: '* * * * *'\nport: true"))))
        .containsExactly("spec.port: Invalid value: \"boolean\": spec.port in body must be of type integer,string: \"boolean\"");
  }

  @Test
  void nullsAndFormats() {
    Schema s = Schema.parse(CrdFixtures.node("""
        type: object
        properties:
          when: {type: string, format: date-time}
          maybe: {type: string, nullable: true}
          ratio: {type: number, multipleOf: 0.5, exclusiveMinimum: true, minimum: 0}
          list: {type: array, minItems: 1, items: {type: integer}}
        """));
    ObjectNode o = CrdFixtures.yaml("when: yesterday\nmaybe: null\nratio: 0.25\nlist: []");
    assertThat(SchemaValidator.validate(o, s).stream().map(FieldError::message).toList()).containsExactlyInAnyOrder(
        "when: Invalid value: \"yesterday\": when in body must be of type date-time: \"yesterday\"",
        "ratio: Invalid value: 0.25: ratio in body should be a multiple of 0.5",
        "list: Invalid value: 0: list in body should have at least 1 items");
    o = CrdFixtures.yaml("when: '2024-01-02T03:04:05Z'\nratio: 0\nlist: [1, x]");
    assertThat(SchemaValidator.validate(o, s).stream().map(FieldError::message).toList()).containsExactlyInAnyOrder(
        "ratio: Invalid value: 0: ratio in body should be greater than 0",
        "list[1]: Invalid value: \"string\": list[1] in body must be of type integer: \"string\"");
  }

  @Test
  void pruningDropsUnknownFieldsButHonoursPreserveUnknownFields() {
    ObjectNode cr = cronTab("a", "cronSpec: '* * * * *'\nunknown: 1\nextra: {anything: {goes: true}}\nlabels: {a: b}");
    cr.put("topLevelUnknown", true);
    cr.withObject("status").put("bogus", 1);
    cr.withObject("metadata").withObject("labels").put("keep", "me");
    List<String> pruned = Pruning.prune(cr, schema);
    assertThat(pruned).containsExactlyInAnyOrder("spec.unknown", "topLevelUnknown", "status.bogus");
    assertThat(cr.path("spec").has("unknown")).isFalse();
    assertThat(cr.path("spec").path("extra").path("anything").path("goes").asBoolean()).isTrue();
    assertThat(cr.path("spec").path("labels").path("a").asString()).isEqualTo("b");
    assertThat(cr.path("metadata").path("labels").path("keep").asString()).isEqualTo("me");
    assertThat(cr.path("apiVersion").asString()).isEqualTo("stable.example.com/v1");
  }

  @Test
  void objectSchemaWithoutPropertiesKeepsNothing() {
    Schema s = Schema.parse(CrdFixtures.node("type: object\nproperties:\n  spec: {type: object}\n  raw: {type: object, additionalProperties: true}"));
    ObjectNode o = CrdFixtures.yaml("spec: {a: 1}\nraw: {b: 2}");
    Pruning.prune(o, s);
    assertThat(o.path("spec").isEmpty()).isTrue();
    assertThat(o.path("raw").path("b").asInt()).isEqualTo(2);
  }

  @Test
  void defaultsAreAppliedNestedAndIdempotently() {
    ObjectNode cr = prepared(cronTab("a", "cronSpec: '* * * * *'"));
    assertThat(cr.path("spec").path("replicas").asInt()).isEqualTo(1);
    assertThat(cr.path("spec").path("policy").path("retries").asInt()).isEqualTo(3);
    ObjectNode again = prepared(cr.deepCopy());
    assertThat(again).isEqualTo(cr);
    // explicit values win; null in a non-nullable field with a default becomes the default; nullable nulls stay
    cr = prepared(cronTab("a", "cronSpec: '* * * * *'\nreplicas: 0\npolicy: {retries: null, backoff: null}"));
    assertThat(cr.path("spec").path("replicas").asInt()).isZero();
    assertThat(cr.path("spec").path("policy").path("retries").asInt()).isEqualTo(3);
    assertThat(cr.path("spec").path("policy").get("backoff").isNull()).isTrue();
    // a null without a default in a non-nullable field is dropped
    cr = prepared(cronTab("a", "cronSpec: '* * * * *'\nimage: null"));
    assertThat(cr.path("spec").has("image")).isFalse();
    assertThat(errors(cr)).isEmpty();
  }

  @Test
  void embeddedResourcesKeepTheirTypeAndMetadata() {
    Schema s = Schema.parse(CrdFixtures.node("""
        type: object
        properties:
          template:
            type: object
            x-kubernetes-embedded-resource: true
            properties:
              spec: {type: object, properties: {x: {type: string}}}
        """));
    ObjectNode o = CrdFixtures.yaml("template: {apiVersion: v1, kind: Pod, metadata: {name: p}, spec: {x: a, y: b}, other: 1}");
    Pruning.prune(o, s);
    assertThat(o.path("template").propertyNames()).containsExactlyInAnyOrder("apiVersion", "kind", "metadata", "spec");
    assertThat(o.path("template").path("spec").has("y")).isFalse();
    ObjectNode missing = CrdFixtures.yaml("template: {spec: {x: a}}");
    assertThat(SchemaValidator.validate(missing, s).stream().map(FieldError::message).toList())
        .containsExactly("template.apiVersion: Required value: must not be empty", "template.kind: Required value: must not be empty");
  }

  @Test
  void publishedSchemaDropsWhatOpenApiV2CannotState() {
    var published = PublishedSchema.of(CrdFixtures.node("""
        type: object
        properties:
          metadata: {type: object}
          spec:
            type: object
            anyOf: [{required: [a]}, {required: [b]}]
            properties:
              a: {type: string, nullable: true}
              b: {x-kubernetes-int-or-string: true, anyOf: [{type: integer}, {type: string}]}
        """));
    assertThat(published.path("properties").has("metadata")).isFalse();
    assertThat(published.path("properties").path("spec").has("anyOf")).isFalse();
    assertThat(published.path("properties").path("spec").path("properties").path("a").has("nullable")).isFalse();
    assertThat(published.path("properties").path("spec").path("properties").path("b").has("type")).isFalse();
  }
}
