package io.kava.apiserver.patch;

import static io.kava.apiserver.patch.PatchTesting.bytes;
import static io.kava.apiserver.patch.PatchTesting.json;
import static io.kava.apiserver.patch.PatchTesting.status;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.apiserver.errors.StatusException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class JsonPatchTest {

  private static JsonNode patch(String doc, String ops) {
    return JsonPatch.apply(json(doc), bytes(ops));
  }

  /** The detailed failure (upstream logs it; the response carries only the generic text). */
  private static String failure(String doc, String ops) {
    JsonNode target = json(doc).deepCopy();
    try {
      JsonPatch.applyOperations(target, JsonPatch.decode(bytes(ops)));
    } catch (JsonPatch.Failure f) {
      return f.getMessage();
    }
    throw new AssertionError("patch applied: " + target);
  }

  // ---------------------------------------------------------------- RFC 6902 appendix A

  @Test
  void a1_addObjectMember() {
    assertThat(patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\"}]"))
        .isEqualTo(json("{\"baz\":\"qux\",\"foo\":\"bar\"}"));
  }

  @Test
  void a2_addArrayElement() {
    assertThat(patch("{\"foo\":[\"bar\",\"baz\"]}", "[{\"op\":\"add\",\"path\":\"/foo/1\",\"value\":\"qux\"}]"))
        .isEqualTo(json("{\"foo\":[\"bar\",\"qux\",\"baz\"]}"));
  }

  @Test
  void a3_removeObjectMember() {
    assertThat(patch("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"remove\",\"path\":\"/baz\"}]"))
        .isEqualTo(json("{\"foo\":\"bar\"}"));
  }

  @Test
  void a4_removeArrayElement() {
    assertThat(patch("{\"foo\":[\"bar\",\"qux\",\"baz\"]}", "[{\"op\":\"remove\",\"path\":\"/foo/1\"}]"))
        .isEqualTo(json("{\"foo\":[\"bar\",\"baz\"]}"));
  }

  @Test
  void a5_replaceValue() {
    assertThat(patch("{\"baz\":\"qux\",\"foo\":\"bar\"}", "[{\"op\":\"replace\",\"path\":\"/baz\",\"value\":\"boo\"}]"))
        .isEqualTo(json("{\"baz\":\"boo\",\"foo\":\"bar\"}"));
  }

  @Test
  void a6_moveValue() {
    assertThat(patch("{\"foo\":{\"bar\":\"baz\",\"waldo\":\"fred\"},\"qux\":{\"corge\":\"grault\"}}",
        "[{\"op\":\"move\",\"from\":\"/foo/waldo\",\"path\":\"/qux/thud\"}]"))
        .isEqualTo(json("{\"foo\":{\"bar\":\"baz\"},\"qux\":{\"corge\":\"grault\",\"thud\":\"fred\"}}"));
  }

  @Test
  void a7_moveArrayElement() {
    assertThat(patch("{\"foo\":[\"all\",\"grass\",\"cows\",\"eat\"]}", "[{\"op\":\"move\",\"from\":\"/foo/1\",\"path\":\"/foo/3\"}]"))
        .isEqualTo(json("{\"foo\":[\"all\",\"cows\",\"eat\",\"grass\"]}"));
  }

  @Test
  void a8_testSuccess() {
    String doc = "{\"baz\":\"qux\",\"foo\":[\"a\",2,\"c\"]}";
    assertThat(patch(doc, "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"qux\"},{\"op\":\"test\",\"path\":\"/foo/1\",\"value\":2}]"))
        .isEqualTo(json(doc));
  }

  @Test
  void a9_testFailureIs422WithUpstreamsGenericMessage() {
    StatusException e = status(422, () -> patch("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]"));
    assertThat(e.reason()).isEqualTo("Invalid");
    assertThat(e.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
    assertThat(failure("{\"baz\":\"qux\"}", "[{\"op\":\"test\",\"path\":\"/baz\",\"value\":\"bar\"}]"))
        .isEqualTo("testing value /baz failed: test failed");
  }

  @Test
  void a10_addNestedMemberObject() {
    assertThat(patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/child\",\"value\":{\"grandchild\":{}}}]"))
        .isEqualTo(json("{\"foo\":\"bar\",\"child\":{\"grandchild\":{}}}"));
  }

  @Test
  void a11_ignoresUnrecognizedElements() {
    assertThat(patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"xyz\":123}]"))
        .isEqualTo(json("{\"foo\":\"bar\",\"baz\":\"qux\"}"));
  }

  @Test
  void a12_addToNonexistentTargetFails() {
    status(422, () -> patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]"));
    assertThat(failure("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz/bat\",\"value\":\"qux\"}]"))
        .isEqualTo("add operation does not apply: doc is missing path: \"/baz/bat\": missing value");
  }

  @Test
  void a13_duplicateOpMemberFails() {
    // the last "op" wins (as in Go): removing the missing /baz fails
    status(422, () -> patch("{\"foo\":\"bar\"}", "[{\"op\":\"add\",\"path\":\"/baz\",\"value\":\"qux\",\"op\":\"remove\"}]"));
  }

  @Test
  void a14_escapeOrdering() {
    String doc = "{\"/\":9,\"~1\":10}";
    assertThat(patch(doc, "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":10}]")).isEqualTo(json(doc));
  }

  @Test
  void a15_stringsAndNumbersDiffer() {
    status(422, () -> patch("{\"/\":9,\"~1\":10}", "[{\"op\":\"test\",\"path\":\"/~01\",\"value\":\"10\"}]"));
  }

  @Test
  void a16_addArrayValue() {
    assertThat(patch("{\"foo\":[\"bar\"]}", "[{\"op\":\"add\",\"path\":\"/foo/-\",\"value\":[\"abc\",\"def\"]}]"))
        .isEqualTo(json("{\"foo\":[\"bar\",[\"abc\",\"def\"]]}"));
  }

  // ---------------------------------------------------------------- kubectl patch --type=json, upstream's quirks

  @Test
  void kubectlStyleOperationsOnADeployment() {
    String doc = """
        {"metadata":{"name":"web","labels":{"app.kubernetes.io/name":"web","tier":"fe"}},
         "spec":{"replicas":1,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1"}]}}}}""";
    JsonNode out = patch(doc, """
        [{"op":"replace","path":"/spec/replicas","value":3},
         {"op":"remove","path":"/metadata/labels/app.kubernetes.io~1name"},
         {"op":"add","path":"/spec/template/spec/containers/-","value":{"name":"side","image":"busybox"}},
         {"op":"copy","from":"/metadata/labels","path":"/spec/template/metadata"},
         {"op":"test","path":"/spec/template/spec/containers/1/name","value":"side"}]""");
    assertThat(out).isEqualTo(json("""
        {"metadata":{"name":"web","labels":{"tier":"fe"}},
         "spec":{"replicas":3,"template":{"spec":{"containers":[{"name":"web","image":"nginx:1"},{"name":"side","image":"busybox"}]},
                 "metadata":{"tier":"fe"}}}}"""));
  }

  @Test
  void copyIsDeepAndCurrentIsNotModified() {
    JsonNode current = json("{\"a\":{\"b\":1}}");
    JsonNode out = JsonPatch.apply(current, bytes("[{\"op\":\"copy\",\"from\":\"/a\",\"path\":\"/c\"},{\"op\":\"replace\",\"path\":\"/c/b\",\"value\":2}]"));
    assertThat(out).isEqualTo(json("{\"a\":{\"b\":1},\"c\":{\"b\":2}}"));
    assertThat(current).isEqualTo(json("{\"a\":{\"b\":1}}"));
  }

  @Test
  void replaceOfAMissingMemberAddsIt() {
    // evanphx/json-patch v4, which kube-apiserver uses, does not check that the member exists
    assertThat(patch("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"/b\",\"value\":2}]")).isEqualTo(json("{\"a\":1,\"b\":2}"));
    status(422, () -> patch("{\"a\":[1]}", "[{\"op\":\"replace\",\"path\":\"/a/1\",\"value\":2}]"));
  }

  @Test
  void negativeIndicesCountFromTheEnd() {
    assertThat(patch("{\"a\":[1,2,3]}", "[{\"op\":\"remove\",\"path\":\"/a/-1\"}]")).isEqualTo(json("{\"a\":[1,2]}"));
    assertThat(patch("{\"a\":[1,2,3]}", "[{\"op\":\"replace\",\"path\":\"/a/-3\",\"value\":0}]")).isEqualTo(json("{\"a\":[0,2,3]}"));
    status(422, () -> patch("{\"a\":[1]}", "[{\"op\":\"remove\",\"path\":\"/a/-2\"}]"));
  }

  @Test
  void testAgainstNullMatchesAMissingMember() {
    assertThat(patch("{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/b\",\"value\":null}]")).isEqualTo(json("{\"a\":1}"));
    status(422, () -> patch("{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":null}]"));
    status(422, () -> patch("{\"a\":1}", "[{\"op\":\"test\",\"path\":\"/a\",\"value\":1.0}]"));
  }

  @Test
  void arrayIndexErrors() {
    status(422, () -> patch("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/3\",\"value\":2}]"));
    status(422, () -> patch("{\"a\":[1]}", "[{\"op\":\"remove\",\"path\":\"/a/-\"}]"));
    assertThat(failure("{\"a\":[1]}", "[{\"op\":\"add\",\"path\":\"/a/x\",\"value\":2}]"))
        .isEqualTo("error in add for path: '/a/x': value was not a proper array index: 'x'");
  }

  @Test
  void unknownOperationAndMissingPath() {
    assertThat(failure("{}", "[{\"op\":\"frob\",\"path\":\"/a\"}]")).isEqualTo("Unexpected kind: frob");
    assertThat(failure("{}", "[{\"path\":\"/a\"}]")).isEqualTo("Unexpected kind: unknown");
    status(422, () -> patch("{}", "[{\"op\":\"remove\"}]"));
    status(422, () -> patch("{\"a\":1}", "[{\"op\":\"remove\",\"path\":\"/b\"}]"));
  }

  @Test
  void replaceTheRootWithAListFailsToDecode() {
    StatusException e = status(422, () -> patch("{\"a\":1}", "[{\"op\":\"replace\",\"path\":\"\",\"value\":[1]}]"));
    assertThat(e.getMessage()).startsWith(" \"\" is invalid: patch: Invalid value: \"[1]\"");
  }

  @Test
  void malformedBodiesAre400() {
    assertThat(status(400, () -> patch("{}", "{not json")).getMessage()).isEqualTo("invalid JSON patch");
    assertThat(status(400, () -> patch("{}", "")).getMessage()).isEqualTo("invalid JSON patch");
    assertThat(status(400, () -> patch("{}", "{\"op\":\"add\"}")).getMessage())
        .isEqualTo("json: cannot unmarshal object into Go value of type jsonpatch.Patch");
    assertThat(status(400, () -> patch("{}", "[\"add\"]")).getMessage())
        .isEqualTo("json: cannot unmarshal string into Go value of type jsonpatch.Operation");
    assertThat(patch("{\"a\":1}", "null")).isEqualTo(json("{\"a\":1}"));
  }

  @Test
  void tooManyOperationsIs413() {
    StringBuilder sb = new StringBuilder("[");
    for (int i = 0; i <= JsonPatch.MAX_OPERATIONS; i++) sb.append(i == 0 ? "" : ",").append("{\"op\":\"test\",\"path\":\"/a\",\"value\":1}");
    sb.append(']');
    assertThat(status(413, () -> patch("{\"a\":1}", sb.toString())).getMessage())
        .isEqualTo("The allowed maximum operations in a JSON patch is 10000, got 10001");
  }

  @Test
  void unescape() {
    assertThat(JsonPatch.unescape("a~1b~0c")).isEqualTo("a/b~c");
    assertThat(JsonPatch.unescape("~01")).isEqualTo("~1");
    assertThatThrownBy(() -> patch("{}", "[{\"op\":\"add\",\"path\":\"a\",\"value\":1}]")).isInstanceOf(StatusException.class);
  }
}
