package io.kava.apiserver.registry.crd;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.validation.FieldError;
import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Defaults and validation of CustomResourceDefinitions, with upstream's messages. */
class CrdValidationTest {
  private static ObjectNode defaulted(ObjectNode crd) {
    CrdStrategy.defaults(crd);
    crd.withObject("status").withArray("storedVersions").add(Crds.storageVersion(crd) == null ? "v1" : Crds.storageVersion(crd));
    return crd;
  }

  private static List<String> errors(ObjectNode crd) {
    return CrdValidation.INSTANCE.validate(defaulted(crd)).stream().map(FieldError::message).toList();
  }

  private static ObjectNode schemaOf(ObjectNode crd, int version) {
    return (ObjectNode) crd.path("spec").path("versions").get(version).path("schema").get("openAPIV3Schema");
  }

  @Test
  void theExampleIsValidAndDefaulted() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    assertThat(errors(crd)).isEmpty();
    assertThat(crd.path("spec").path("names").path("singular").asString()).isEqualTo("crontab");
    assertThat(crd.path("spec").path("names").path("listKind").asString()).isEqualTo("CronTabList");
    assertThat(crd.path("spec").path("conversion").path("strategy").asString()).isEqualTo("None");
  }

  @Test
  void emptyValuesOfOmitemptySchemaFieldsAreUnset() {
    // What the official Java client sends: every collection of JSONSchemaProps, empty.
    ObjectNode crd = CrdFixtures.cronTabCrd();
    ObjectNode schema = schemaOf(crd, 0);
    ObjectNode spec = schema.withObject("properties").withObject("spec");
    for (ObjectNode s : List.of(schema, spec)) {
      s.putObject("definitions");
      s.putObject("dependencies");
      s.putObject("patternProperties");
      s.putArray("enum");
      s.putArray("allOf");
      s.put("nullable", false);
      s.put("pattern", "");
    }
    spec.withObject("properties").putObject("free").put("type", "object").put("x-kubernetes-preserve-unknown-fields", true).putObject("default");
    spec.withObject("properties").putObject("enum").put("type", "integer").put("minimum", 0).put("exclusiveMinimum", false);
    assertThat(errors(crd)).isEmpty();
    assertThat(schema.has("definitions") || schema.has("enum") || schema.has("nullable") || schema.has("pattern")).isFalse();
    assertThat(spec.has("patternProperties") || spec.has("allOf") || spec.has("dependencies")).isFalse();
    // Pointer fields keep their zero values; a property named like a keyword is a property.
    assertThat(spec.path("properties").path("free").toString())
        .isEqualTo("{\"type\":\"object\",\"x-kubernetes-preserve-unknown-fields\":true,\"default\":{}}");
    assertThat(spec.path("properties").path("enum").toString()).isEqualTo("{\"type\":\"integer\",\"minimum\":0}");
  }

  @Test
  void nameGroupScopeAndNames() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    crd.withObject("metadata").put("name", "crontab.stable.example.com");
    crd.withObject("spec").put("scope", "Everywhere");
    crd.withObject("spec").withObject("names").put("kind", "Cron_Tab");
    assertThat(errors(crd)).contains(
        "metadata.name: Invalid value: \"crontab.stable.example.com\": must be spec.names.plural+\".\"+spec.group",
        "spec.scope: Unsupported value: \"Everywhere\": supported values: \"Cluster\", \"Namespaced\"");
    assertThat(errors(crd)).anyMatch(e -> e.startsWith("spec.names.kind: Invalid value: \"Cron_Tab\": may have mixed case, but should otherwise match: a DNS-1035 label"));
    ObjectNode noDot = CrdFixtures.cronTabCrd();
    noDot.withObject("spec").put("group", "example");
    noDot.withObject("metadata").put("name", "crontabs.example");
    assertThat(errors(noDot)).containsExactly("spec.group: Invalid value: \"example\": should be a domain with at least one dot");
  }

  @Test
  void exactlyOneStorageVersion() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    ((ObjectNode) crd.path("spec").path("versions").get(1)).put("storage", true);
    assertThat(errors(crd)).contains("spec.versions: Invalid value: []{\"v1\",\"v2\"}: must have exactly one version marked as storage version");
  }

  @Test
  void structuralSchemaRules() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    ObjectNode spec = (ObjectNode) schemaOf(crd, 0).path("properties").path("spec");
    ((ObjectNode) spec.path("properties").path("image")).remove("type");
    spec.putObject("additionalProperties").put("type", "string");
    spec.withObject("properties").putObject("list").put("type", "array");
    assertThat(errors(crd)).containsExactly(
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].additionalProperties: Forbidden: additionalProperties and properties are mutual exclusive",
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[image].type: Required value: must not be empty for specified object fields",
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[list].items: Required value: must be specified");
  }

  @Test
  void rootMustBeAnObjectAndSchemasAreRequired() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    schemaOf(crd, 0).put("type", "string");
    ((ObjectNode) crd.path("spec").path("versions").get(1)).remove("schema");
    assertThat(errors(crd)).contains(
        "spec.versions[0].schema.openAPIV3Schema.type: Invalid value: \"string\": must be object at the root",
        "spec.versions[1].schema.openAPIV3Schema: Required value: schemas are required");
  }

  @Test
  void preserveUnknownFieldsMustBeTrueAndMetadataOnlyNames() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    schemaOf(crd, 0).put("x-kubernetes-preserve-unknown-fields", false);
    schemaOf(crd, 0).withObject("properties").putObject("metadata").put("type", "object")
        .withObject("properties").putObject("labels").put("type", "object");
    assertThat(errors(crd)).containsExactly(
        "spec.versions[0].schema.openAPIV3Schema.properties[metadata]: Forbidden: must not specify anything other than name and generateName, but metadata is implicitly specified",
        "spec.versions[0].schema.openAPIV3Schema.x-kubernetes-preserve-unknown-fields: Invalid value: false: must be true or undefined");
  }

  @Test
  void defaultsMustMatchTheirSchema() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    ((ObjectNode) schemaOf(crd, 0).path("properties").path("spec").path("properties").path("replicas")).put("default", "one");
    assertThat(errors(crd)).containsExactly(
        "spec.versions[0].schema.openAPIV3Schema.properties[spec].properties[replicas].default: Invalid value: \"string\": spec.replicas in body must be of type integer: \"string\"");
  }

  @Test
  void webhookConversionIsNotSupported() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    crd.withObject("spec").putObject("conversion").put("strategy", "Webhook");
    assertThat(errors(crd)).containsExactly(
        "spec.conversion.strategy: Unsupported value: \"Webhook\": supported values: \"None\" (conversion webhooks are not supported by this server)");
  }

  @Test
  void printerColumnsAndScalePaths() {
    ObjectNode crd = CrdFixtures.cronTabCrd();
    ObjectNode v1 = (ObjectNode) crd.path("spec").path("versions").get(0);
    ((ObjectNode) v1.path("additionalPrinterColumns").get(0)).put("type", "text");
    ((ObjectNode) v1.path("subresources").path("scale")).put("specReplicasPath", ".status.replicas");
    assertThat(errors(crd)).containsExactly(
        "spec.versions[0].subresources.scale.specReplicasPath: Invalid value: \".status.replicas\": should be a json path under .spec",
        "spec.versions[0].additionalPrinterColumns[0].type: Invalid value: \"text\": must be one of boolean,date,integer,number,string");
  }

  @Test
  void updatesKeepGroupAndPluralAndStoredVersionsMustBeDeclared() {
    ObjectNode old = defaulted(CrdFixtures.cronTabCrd());
    ObjectNode crd = old.deepCopy();
    crd.withObject("spec").withObject("names").put("plural", "crons");
    crd.withObject("metadata").put("name", "crons.stable.example.com");
    assertThat(CrdValidation.INSTANCE.validateUpdate(crd, old).stream().map(FieldError::message).toList())
        .contains("spec.names.plural: Invalid value: \"crons\": field is immutable");
    ObjectNode dropped = old.deepCopy();
    ArrayNode versions = (ArrayNode) dropped.path("spec").path("versions");
    versions.remove(0);
    ((ObjectNode) versions.get(0)).put("storage", true);
    assertThat(CrdValidation.INSTANCE.validateUpdate(dropped, old).stream().map(FieldError::message).toList())
        .contains("status.storedVersions[0]: Invalid value: \"v1\": must appear in spec.versions");
  }

  @Test
  void versionPriorityOrder() {
    List<String> versions = new java.util.ArrayList<>(List.of("v1alpha1", "v1", "foo", "v2beta1", "v1beta2", "v2", "v10", "bar"));
    versions.sort(Crds.VERSION_PRIORITY);
    assertThat(versions).containsExactly("v10", "v2", "v1", "v2beta1", "v1beta2", "v1alpha1", "bar", "foo");
  }
}
