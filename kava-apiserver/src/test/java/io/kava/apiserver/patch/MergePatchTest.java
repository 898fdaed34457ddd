package io.kava.apiserver.patch;

import static io.kava.apiserver.patch.PatchTesting.bytes;
import static io.kava.apiserver.patch.PatchTesting.json;
import static io.kava.apiserver.patch.PatchTesting.status;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import tools.jackson.databind.JsonNode;

class MergePatchTest {

  private static JsonNode merge(String doc, String patch) {
    return MergePatch.apply(json(doc), bytes(patch));
  }

  /** RFC 7386 appendix A (the rows whose target and result are objects, as Kubernetes objects are). */
  @ParameterizedTest(name = "{0} + {1} = {2}")
  @CsvSource(delimiter = '|', textBlock = """
      {"a":"b"}               | {"a":"c"}                   | {"a":"c"}
      {"a":"b"}               | {"b":"c"}                   | {"a":"b","b":"c"}
      {"a":"b"}               | {"a":null}                  | {}
      {"a":"b","b":"c"}       | {"a":null}                  | {"b":"c"}
      {"a":["b"]}             | {"a":"c"}                   | {"a":"c"}
      {"a":"c"}               | {"a":["b"]}                 | {"a":["b"]}
      {"a":{"b":"c"}}         | {"a":{"b":"d","c":null}}    | {"a":{"b":"d"}}
      {"a":[{"b":"c"}]}       | {"a":[1]}                   | {"a":[1]}
      {"e":null}              | {"a":1}                     | {"e":null,"a":1}
      {}                      | {"a":{"bb":{"ccc":null}}}   | {"a":{"bb":{}}}
      """)
  void rfc7386AppendixA(String target, String patch, String result) {
    assertThat(merge(target, patch)).isEqualTo(json(result));
  }

  @Test
  void rfc7386Section3Example() {
    String target = """
        {"title":"Goodbye!","author":{"givenName":"John","familyName":"Doe"},"tags":["example","sample"],"content":"This will be unchanged"}""";
    String patch = """
        {"title":"Hello!","phoneNumber":"+01-123-456-7890","author":{"familyName":null},"tags":["example"]}""";
    assertThat(merge(target, patch)).isEqualTo(json("""
        {"title":"Hello!","author":{"givenName":"John"},"tags":["example"],"content":"This will be unchanged","phoneNumber":"+01-123-456-7890"}"""));
  }

  @Test
  void kubectlLabelAndAnnotateBodies() {
    // exactly what kubectl 1.33 sends (it uses merge patch, not strategic, for label and annotate)
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","namespace":"default","labels":{"run":"x"}},"spec":{"containers":[{"name":"x","image":"busybox"}]}}""";
    JsonNode labeled = merge(pod, "{\"metadata\":{\"labels\":{\"a\":\"b\"}}}");
    assertThat(labeled.get("metadata").get("labels")).isEqualTo(json("{\"run\":\"x\",\"a\":\"b\"}"));
    JsonNode unlabeled = merge(pod, "{\"metadata\":{\"labels\":{\"run\":null}}}");
    assertThat(unlabeled.get("metadata").get("labels")).isEqualTo(json("{}"));
    JsonNode annotated = merge(pod, "{\"metadata\":{\"annotations\":{\"note\":\"hello\"}}}");
    assertThat(annotated.get("metadata").get("annotations")).isEqualTo(json("{\"note\":\"hello\"}"));
    assertThat(annotated.get("spec")).isEqualTo(json(pod).get("spec"));
  }

  @Test
  void kubectlScaleBodyOnTheScaleSubresource() {
    String scale = """
        {"apiVersion":"autoscaling/v1","kind":"Scale","metadata":{"name":"web","namespace":"default"},"spec":{"replicas":1},"status":{"replicas":1,"selector":"app=web"}}""";
    assertThat(merge(scale, "{\"spec\":{\"replicas\":3}}").get("spec")).isEqualTo(json("{\"replicas\":3}"));
  }

  @Test
  void nullsInNewValuesAreDroppedEvenInsideLists() {
    assertThat(merge("{}", "{\"a\":[{\"b\":null,\"c\":1},null]}")).isEqualTo(json("{\"a\":[{\"c\":1},null]}"));
    assertThat(merge("{\"a\":[1]}", "{\"a\":[{\"b\":null}]}")).isEqualTo(json("{\"a\":[{}]}"));
    // but a list replacing an object is taken as is (a quirk of upstream's evanphx/json-patch v4)
    assertThat(merge("{\"a\":{\"x\":1}}", "{\"a\":[{\"b\":null}]}")).isEqualTo(json("{\"a\":[{\"b\":null}]}"));
  }

  @Test
  void currentIsNotModified() {
    JsonNode current = json("{\"a\":{\"b\":1}}");
    assertThat(MergePatch.apply(current, bytes("{\"a\":{\"b\":2,\"c\":3}}"))).isEqualTo(json("{\"a\":{\"b\":2,\"c\":3}}"));
    assertThat(current).isEqualTo(json("{\"a\":{\"b\":1}}"));
  }

  @Test
  void errors() {
    assertThat(status(400, () -> merge("{}", "nope")).getMessage()).isEqualTo("invalid JSON patch");
    assertThat(status(400, () -> merge("{}", "null")).getMessage()).isEqualTo("Invalid JSON Patch");
    assertThat(status(400, () -> merge("{}", "\"bar\"")).getMessage()).isEqualTo("Invalid JSON Patch");
    // a list replaces the document, which then is not an object of the kind
    assertThat(status(422, () -> merge("{\"a\":\"b\"}", "[\"c\"]")).getMessage())
        .startsWith(" \"\" is invalid: patch: Invalid value: \"[\\\"c\\\"]\"");
  }
}
