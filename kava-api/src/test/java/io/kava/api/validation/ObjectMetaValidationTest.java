package io.kava.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class ObjectMetaValidationTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  private static JsonNode json(String s) {
    return JSON.readTree(s);
  }

  private static List<String> messages(List<FieldError> errs) {
    return errs.stream().map(FieldError::message).toList();
  }

  @Test
  void validObject() {
    JsonNode meta = json("""
        {"name":"web-1","namespace":"default","labels":{"app":"web","example.com/tier":""},
         "annotations":{"Example.com/Note":"x"},"finalizers":["kubernetes","example.com/f"],
         "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"u1","controller":true}]}""");
    assertThat(ObjectMetaValidation.validate(meta, true, NameRule.DNS_SUBDOMAIN)).isEmpty();
  }

  @Test
  void nameAndNamespace() {
    assertThat(messages(ObjectMetaValidation.validate(json("{}"), true, NameRule.DNS_SUBDOMAIN))).containsExactly(
        "metadata.name: Required value: name or generateName is required", "metadata.namespace: Required value");
    assertThat(messages(ObjectMetaValidation.validate(json("{\"name\":\"a\",\"namespace\":\"x\"}"), false, NameRule.DNS_SUBDOMAIN)))
        .containsExactly("metadata.namespace: Forbidden: not allowed on this type");
    assertThat(messages(ObjectMetaValidation.validate(json("{\"name\":\"Bad_Name\",\"namespace\":\"Bad.ns\"}"), true, NameRule.DNS_SUBDOMAIN)))
        .containsExactly("metadata.name: Invalid value: \"Bad_Name\": " + NameValidationTest.SUBDOMAIN_MSG,
            "metadata.namespace: Invalid value: \"Bad.ns\": " + NameValidationTest.LABEL_MSG);
    assertThat(messages(ObjectMetaValidation.validate(json("{\"generateName\":\"web-\",\"name\":\"web-abcde\"}"), false, NameRule.DNS_SUBDOMAIN)))
        .isEmpty();
    assertThat(messages(ObjectMetaValidation.validate(json("{\"generateName\":\"Web-\",\"name\":\"web-abcde\"}"), false, NameRule.DNS_SUBDOMAIN)))
        .containsExactly("metadata.generateName: Invalid value: \"Web-\": " + NameValidationTest.SUBDOMAIN_MSG);
    assertThat(messages(ObjectMetaValidation.validate(json("{\"name\":\"a\",\"generation\":-1}"), false, NameRule.DNS_SUBDOMAIN)))
        .containsExactly("metadata.generation: Invalid value: -1: must be greater than or equal to 0");
  }

  @Test
  void labelsAnnotationsFinalizers() {
    JsonNode meta = json("""
        {"name":"a","labels":{"a b":"c","ok":"-bad"},"annotations":{"x/y/z":"v"},"finalizers":["bad","orphan","foregroundDeletion"]}""");
    List<String> msgs = messages(ObjectMetaValidation.validate(meta, false, NameRule.DNS_SUBDOMAIN));
    assertThat(msgs).hasSize(5);
    assertThat(msgs.get(0)).startsWith("metadata.labels: Invalid value: \"a b\": name part must consist of");
    assertThat(msgs.get(1)).startsWith("metadata.labels: Invalid value: \"-bad\": a valid label must be");
    assertThat(msgs.get(2)).startsWith("metadata.annotations: Invalid value: \"x/y/z\": a valid label key must consist of");
    assertThat(msgs.get(3)).isEqualTo("metadata.finalizers: Invalid value: []{\"bad\",\"orphan\",\"foregroundDeletion\"}: "
        + "finalizer orphan and foregroundDeletion cannot be both set");
    assertThat(msgs.get(4)).isEqualTo("metadata.finalizers[0]: Invalid value: \"bad\": name is neither a standard finalizer name nor is it fully qualified");
    // custom resources do not get the built-in finalizer rule
    assertThat(messages(ObjectMetaValidation.validateGeneric(meta, false, NameRule.DNS_SUBDOMAIN))).hasSize(4);
  }

  @Test
  void annotationSize() {
    String big = "x".repeat(256 * 1024);
    JsonNode meta = json("{\"name\":\"a\",\"annotations\":{\"k\":\"" + big + "\"}}");
    assertThat(messages(ObjectMetaValidation.validate(meta, false, NameRule.DNS_SUBDOMAIN)))
        .containsExactly("metadata.annotations: Too long: may not be more than 262144 bytes");
  }

  @Test
  void ownerReferences() {
    JsonNode meta = json("""
        {"name":"a","ownerReferences":[
          {"apiVersion":"","kind":"","name":"","uid":""},
          {"apiVersion":"v1","kind":"Event","name":"e","uid":"1"},
          {"apiVersion":"v1","kind":"A","name":"a","uid":"2","controller":true},
          {"apiVersion":"v1","kind":"B","name":"b","uid":"3","controller":true}]}""");
    List<String> msgs = messages(ObjectMetaValidation.validate(meta, false, NameRule.DNS_SUBDOMAIN));
    assertThat(msgs).hasSize(6);
    assertThat(msgs.subList(0, 4)).containsExactly(
        "metadata.ownerReferences.apiVersion: Invalid value: \"\": version must not be empty",
        "metadata.ownerReferences.kind: Invalid value: \"\": must not be empty",
        "metadata.ownerReferences.name: Invalid value: \"\": must not be empty",
        "metadata.ownerReferences.uid: Invalid value: \"\": must not be empty");
    assertThat(msgs.get(4)).endsWith(": /v1, Kind=Event is disallowed from being an owner");
    assertThat(msgs.get(5)).endsWith(": Only one reference can have Controller set to true. Found \"true\" in references for A/a and B/b");
  }

  @Test
  void update() {
    JsonNode old = json("""
        {"name":"a","namespace":"ns","uid":"u1","resourceVersion":"5","generation":3,
         "creationTimestamp":"2024-01-01T00:00:00Z","deletionTimestamp":"2024-01-02T00:00:00Z","finalizers":["example.com/a"]}""");
    JsonNode now = json("""
        {"name":"b","namespace":"ns2","uid":"u2","generation":2,"creationTimestamp":"2024-01-01T00:00:01Z",
         "deletionTimestamp":"2024-01-02T00:00:00Z","finalizers":["example.com/a","example.com/b"]}""");
    assertThat(messages(ObjectMetaValidation.validateUpdate(now, old))).containsExactly(
        "metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{\"example.com/b\"}",
        "metadata.resourceVersion: Invalid value: \"\": must be specified for an update",
        "metadata.generation: Invalid value: 2: must not be decremented",
        "metadata.name: Invalid value: \"b\": field is immutable",
        "metadata.namespace: Invalid value: \"ns2\": field is immutable",
        "metadata.uid: Invalid value: \"u2\": field is immutable",
        "metadata.creationTimestamp: Invalid value: \"2024-01-01T00:00:01Z\": field is immutable");
    JsonNode same = json("""
        {"name":"a","namespace":"ns","uid":"u1","resourceVersion":"5","generation":3,
         "creationTimestamp":"2024-01-01T00:00:00.000Z","deletionTimestamp":"2024-01-02T00:00:00Z","finalizers":["example.com/a"]}""");
    assertThat(ObjectMetaValidation.validateUpdate(same, old)).isEmpty();
  }

  @Test
  void paths() {
    assertThat(FieldPath.of("spec").child("containers").index(0).child("image").toString()).isEqualTo("spec.containers[0].image");
    assertThat(FieldPath.of("values").index(0).key("app").toString()).isEqualTo("values[0][app]");
    assertThat(FieldPath.of("metadata", "labels").key("a").toString()).isEqualTo("metadata.labels[a]");
  }
}
