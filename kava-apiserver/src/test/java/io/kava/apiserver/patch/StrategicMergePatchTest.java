package io.kava.apiserver.patch;

import static io.kava.apiserver.patch.PatchTesting.bytes;
import static io.kava.apiserver.patch.PatchTesting.json;
import static io.kava.apiserver.patch.PatchTesting.status;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.errors.StatusException;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class StrategicMergePatchTest {

  /** A Deployment as stored after `kubectl apply` of a config with ports 80 and 443, plus defaults. */
  private static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment",
       "metadata":{"name":"web","namespace":"default","uid":"u-1","resourceVersion":"10","generation":1,
         "annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":1,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"name\\":\\"web\\",\\"image\\":\\"nginx:1\\",\\"ports\\":[{\\"containerPort\\":80},{\\"containerPort\\":443}]}]}}}}\\n"}},
       "spec":{"replicas":1,"selector":{"matchLabels":{"app":"web"}},
         "template":{"metadata":{"labels":{"app":"web"}},
           "spec":{"containers":[{"name":"web","image":"nginx:1",
                                  "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":443,"protocol":"TCP"}],
                                  "env":[{"name":"A","value":"1"},{"name":"B","value":"2"}],
                                  "imagePullPolicy":"IfNotPresent","resources":{},
                                  "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"},
                                 {"name":"sidecar","image":"busybox","args":["sleep","3600"]}],
                   "volumes":[{"name":"data","emptyDir":{}}],
                   "restartPolicy":"Always","dnsPolicy":"ClusterFirst","schedulerName":"default-scheduler",
                   "terminationGracePeriodSeconds":30,"securityContext":{}}},
         "strategy":{"type":"RollingUpdate","rollingUpdate":{"maxSurge":"25%","maxUnavailable":"25%"}},
         "revisionHistoryLimit":10,"progressDeadlineSeconds":600},
       "status":{}}""";

  private static JsonNode deployment(String patch) {
    return StrategicMergePatch.apply(json(DEPLOYMENT), bytes(patch), "apps/v1", "Deployment");
  }

  private static JsonNode podSpec(JsonNode deployment) {
    return deployment.get("spec").get("template").get("spec");
  }

  private static JsonNode container(JsonNode deployment, int i) {
    return podSpec(deployment).get("containers").get(i);
  }

  private static JsonNode patch(String apiVersion, String kind, String current, String patch) {
    return StrategicMergePatch.apply(json(current), bytes(patch), apiVersion, kind);
  }

  // ---------------------------------------------------------------- bodies captured from kubectl 1.33

  @Test
  void kubectlSetImage() {
    JsonNode out = deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],"containers":[{"image":"nginx:2","name":"web"}]}}}}""");
    JsonNode expected = json(DEPLOYMENT);
    ((ObjectNode) container(expected, 0)).put("image", "nginx:2");
    assertThat(out).isEqualTo(expected);
  }

  @Test
  void kubectlSetEnvAddsTheVariableByName() {
    JsonNode out = deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"$setElementOrder/env":[{"name":"A"},{"name":"B"},{"name":"FOO"}],"env":[{"name":"FOO","value":"bar"}],"name":"web"}]}}}}""");
    assertThat(container(out, 0).get("env")).isEqualTo(json("""
        [{"name":"A","value":"1"},{"name":"B","value":"2"},{"name":"FOO","value":"bar"}]"""));
    // kubectl 1.33's exact body when the container had no env yet
    JsonNode sidecar = deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],"containers":[{"env":[{"name":"FOO","value":"bar"}],"name":"sidecar"}]}}}}""");
    assertThat(container(sidecar, 1).get("env")).isEqualTo(json("[{\"name\":\"FOO\",\"value\":\"bar\"}]"));
    assertThat(container(sidecar, 0)).isEqualTo(container(json(DEPLOYMENT), 0));
  }

  @Test
  void kubectlRolloutRestart() {
    JsonNode out = deployment("""
        {"spec":{"template":{"metadata":{"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T09:18:34Z"}}}}}""");
    assertThat(out.get("spec").get("template").get("metadata")).isEqualTo(json("""
        {"labels":{"app":"web"},"annotations":{"kubectl.kubernetes.io/restartedAt":"2026-11-26T09:18:34Z"}}"""));
  }

  @Test
  void kubectlApplyThreeWayPatchRemovesAContainerPort() {
    // kubectl 1.33 `apply` of the same config with only port 80 (body captured verbatim)
    JsonNode out = deployment("""
        {"metadata":{"annotations":{"kubectl.kubernetes.io/last-applied-configuration":"{\\"apiVersion\\":\\"apps/v1\\",\\"kind\\":\\"Deployment\\",\\"metadata\\":{\\"annotations\\":{},\\"name\\":\\"web\\",\\"namespace\\":\\"default\\"},\\"spec\\":{\\"replicas\\":1,\\"selector\\":{\\"matchLabels\\":{\\"app\\":\\"web\\"}},\\"template\\":{\\"metadata\\":{\\"labels\\":{\\"app\\":\\"web\\"}},\\"spec\\":{\\"containers\\":[{\\"image\\":\\"nginx:1\\",\\"name\\":\\"web\\",\\"ports\\":[{\\"containerPort\\":80}]}]}}}}\\n"}},
         "spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
           "containers":[{"$setElementOrder/ports":[{"containerPort":80}],"name":"web","ports":[{"$patch":"delete","containerPort":443}]}]}}}}""");
    assertThat(container(out, 0).get("ports")).isEqualTo(json("[{\"containerPort\":80,\"protocol\":\"TCP\"}]"));
    assertThat(container(out, 0).get("env")).isEqualTo(container(json(DEPLOYMENT), 0).get("env"));
    assertThat(container(out, 1)).isEqualTo(container(json(DEPLOYMENT), 1));
    assertThat(out.get("metadata").get("annotations").get("kubectl.kubernetes.io/last-applied-configuration").asString())
        .contains("\"ports\":[{\"containerPort\":80}]");
    assertThat(container(out, 0).has("$setElementOrder/ports")).isFalse();
  }

  @Test
  void kubectlApplySwitchingStrategyUsesRetainKeys() {
    // kubectl 1.33 `apply` of a config that adds strategy {type: Recreate}: the defaulted rollingUpdate must go
    JsonNode out = deployment("""
        {"spec":{"strategy":{"$retainKeys":["type"],"type":"Recreate"},
         "template":{"spec":{"$setElementOrder/containers":[{"name":"web"}],
           "containers":[{"$setElementOrder/ports":[{"containerPort":80}],"name":"web","ports":[{"$patch":"delete","containerPort":443}]}]}}}}""");
    assertThat(out.get("spec").get("strategy")).isEqualTo(json("{\"type\":\"Recreate\"}"));
    // without $retainKeys (plain kubectl patch) the old member stays, as upstream
    JsonNode merged = deployment("{\"spec\":{\"strategy\":{\"type\":\"Recreate\"}}}");
    assertThat(merged.get("spec").get("strategy").has("rollingUpdate")).isTrue();
  }

  // ---------------------------------------------------------------- merging lists by key

  @Test
  void containerImageChangeByName() {
    JsonNode out = deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"image\":\"busybox:2\"}]}}}}");
    assertThat(container(out, 0).get("image").asString()).isEqualTo("nginx:1");
    assertThat(container(out, 1)).isEqualTo(json("{\"name\":\"sidecar\",\"image\":\"busybox:2\",\"args\":[\"sleep\",\"3600\"]}"));
  }

  @Test
  void addAndRemoveEnvByName() {
    JsonNode out = deployment("""
        {"spec":{"template":{"spec":{"containers":[{"name":"web","env":[{"name":"A","$patch":"delete"},{"name":"B","value":"3"},{"name":"C","value":"4"}]}]}}}}""");
    // upstream's order without $setElementOrder: patch items in patch order, live-only ones slotted in by live order
    assertThat(container(out, 0).get("env")).isEqualTo(json("[{\"name\":\"B\",\"value\":\"3\"},{\"name\":\"C\",\"value\":\"4\"}]"));
  }

  @Test
  void newElementsWithoutSetElementOrderGoFirst() {
    // faithful to upstream: an element unknown to the live list wins every order comparison
    JsonNode out = deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"env\":[{\"name\":\"FOO\",\"value\":\"bar\"}]}]}}}}");
    assertThat(container(out, 0).get("env")).isEqualTo(json("""
        [{"name":"FOO","value":"bar"},{"name":"A","value":"1"},{"name":"B","value":"2"}]"""));
  }

  @Test
  void patchDeleteOnAContainer() {
    JsonNode out = deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"$patch\":\"delete\"}]}}}}");
    assertThat(podSpec(out).get("containers")).hasSize(1);
    assertThat(container(out, 0).get("name").asString()).isEqualTo("web");
  }

  @Test
  void patchReplaceOnAList() {
    JsonNode out = deployment("""
        {"spec":{"template":{"spec":{"containers":[{"$patch":"replace"},{"name":"only","image":"x","env":[{"name":"Z","value":null}]}]}}}}""");
    assertThat(podSpec(out).get("containers")).isEqualTo(json("[{\"name\":\"only\",\"image\":\"x\",\"env\":[{\"name\":\"Z\"}]}]"));
  }

  @Test
  void setElementOrderReordersAndPlacesNewElements() {
    JsonNode reordered = deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"sidecar"},{"name":"web"}]}}}}""");
    assertThat(podSpec(reordered).get("containers").get(0).get("name").asString()).isEqualTo("sidecar");
    assertThat(podSpec(reordered).get("containers").get(1).get("name").asString()).isEqualTo("web");

    JsonNode inserted = deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"mid"},{"name":"sidecar"}],
          "containers":[{"name":"mid","image":"m"}]}}}}""");
    assertThat(podSpec(inserted).get("containers").valueStream().map(c -> c.get("name").asString()))
        .containsExactly("web", "mid", "sidecar");
  }

  @Test
  void renamingAContainerBesideAServerOnlyOneOrdersAsUpstream() {
    // kubectl apply renaming container a to d while x was added by someone else (e.g. a webhook): upstream's
    // ordering reads the live slice after the deletion shifted it and the addition overwrote its tail
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"containers":[{"name":"a"},{"name":"b"},{"name":"c"},{"name":"x"}]}}""";
    JsonNode out = patch("v1", "Pod", pod, """
        {"spec":{"$setElementOrder/containers":[{"name":"d"},{"name":"b"},{"name":"c"}],
                 "containers":[{"name":"d","image":"i"},{"$patch":"delete","name":"a"}]}}""");
    assertThat(out.get("spec").get("containers").valueStream().map(c -> c.get("name").asString()))
        .containsExactly("x", "d", "b", "c");
    // without the server-only container the order is the one asked for
    JsonNode plain = patch("v1", "Pod", "{\"spec\":{\"containers\":[{\"name\":\"a\"},{\"name\":\"b\"},{\"name\":\"c\"}]}}", """
        {"spec":{"$setElementOrder/containers":[{"name":"d"},{"name":"b"},{"name":"c"}],
                 "containers":[{"name":"d","image":"i"},{"$patch":"delete","name":"a"}]}}""");
    assertThat(plain.get("spec").get("containers").valueStream().map(c -> c.get("name").asString()))
        .containsExactly("d", "b", "c");
  }

  @Test
  void setElementOrderMustMatchThePatchOrder() {
    StatusException e = status(500, () -> deployment("""
        {"spec":{"template":{"spec":{"$setElementOrder/containers":[{"name":"web"},{"name":"sidecar"}],
          "containers":[{"name":"sidecar","image":"s"},{"name":"web","image":"w"}]}}}}"""));
    assertThat(e.getMessage()).startsWith("The order in patch list:\n[map[image:s name:sidecar] map[image:w name:web]]\n doesn't match $setElementOrder list:");
  }

  @Test
  void servicePortsMergeByPort() {
    String svc = """
        {"apiVersion":"v1","kind":"Service","metadata":{"name":"s"},
         "spec":{"selector":{"app":"web"},"ports":[{"name":"http","port":80,"protocol":"TCP","targetPort":8080},
                                                   {"name":"https","port":443,"protocol":"TCP","targetPort":8443}]}}""";
    JsonNode out = patch("v1", "Service", svc, "{\"spec\":{\"ports\":[{\"port\":80,\"targetPort\":9090}]}}");
    assertThat(out.get("spec").get("ports")).isEqualTo(json("""
        [{"name":"http","port":80,"protocol":"TCP","targetPort":9090},{"name":"https","port":443,"protocol":"TCP","targetPort":8443}]"""));
  }

  @Test
  void statusConditionsMergeByType() {
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"i"}]},
         "status":{"phase":"Pending","conditions":[{"type":"Ready","status":"False"},{"type":"PodScheduled","status":"True"}]}}""";
    JsonNode out = patch("v1", "Pod", pod, "{\"status\":{\"phase\":\"Running\",\"conditions\":[{\"type\":\"Ready\",\"status\":\"True\"}]}}");
    assertThat(out.get("status")).isEqualTo(json("""
        {"phase":"Running","conditions":[{"type":"Ready","status":"True"},{"type":"PodScheduled","status":"True"}]}"""));
  }

  @Test
  void ownerReferencesMergeByUid() {
    String cm = """
        {"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"a","uid":"1"}]}}""";
    JsonNode out = patch("v1", "ConfigMap", cm, """
        {"metadata":{"ownerReferences":[{"apiVersion":"v1","kind":"Pod","name":"a","uid":"1","controller":true}]}}""");
    assertThat(out.get("metadata").get("ownerReferences")).isEqualTo(json("""
        [{"apiVersion":"v1","kind":"Pod","name":"a","uid":"1","controller":true}]"""));
  }

  // ---------------------------------------------------------------- lists of scalars, replaced lists

  @Test
  void finalizersMergeAsASetAndDeleteFromPrimitiveList() {
    String cm = "{\"apiVersion\":\"v1\",\"kind\":\"ConfigMap\",\"metadata\":{\"name\":\"c\",\"finalizers\":[\"a\",\"b\",\"c\"]}}";
    assertThat(patch("v1", "ConfigMap", cm, "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"b\"]}}")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"a\",\"c\"]"));
    assertThat(patch("v1", "ConfigMap", cm, "{\"metadata\":{\"finalizers\":[\"c\",\"d\"]}}")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"a\",\"b\",\"c\",\"d\"]"));
    // a new value without $setElementOrder goes first, as upstream
    assertThat(patch("v1", "ConfigMap", cm, "{\"metadata\":{\"finalizers\":[\"z\"]}}")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"z\",\"a\",\"b\",\"c\"]"));
    assertThat(patch("v1", "ConfigMap", cm, """
        {"metadata":{"$setElementOrder/finalizers":["a","c","d"],"$deleteFromPrimitiveList/finalizers":["b"],"finalizers":["d"]}}""")
        .get("metadata").get("finalizers")).isEqualTo(json("[\"a\",\"c\",\"d\"]"));
    // deleting what is not there adds nothing
    assertThat(patch("v1", "ConfigMap", "{\"metadata\":{\"name\":\"c\"}}", "{\"metadata\":{\"$deleteFromPrimitiveList/finalizers\":[\"x\"]}}")
        .get("metadata").has("finalizers")).isFalse();
  }

  @Test
  void listsWithoutMergeStrategyAreReplaced() {
    JsonNode out = deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"sidecar\",\"args\":[\"sleep\"]}]}}}}");
    assertThat(container(out, 1).get("args")).isEqualTo(json("[\"sleep\"]"));
    // tolerations and node taints are atomic
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"tolerations":[{"key":"a","operator":"Exists"}]}}""";
    assertThat(patch("v1", "Pod", pod, "{\"spec\":{\"tolerations\":[{\"key\":\"b\",\"operator\":\"Exists\"}]}}").get("spec").get("tolerations"))
        .isEqualTo(json("[{\"key\":\"b\",\"operator\":\"Exists\"}]"));
    String node = "{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"},\"spec\":{\"taints\":[{\"key\":\"a\",\"effect\":\"NoSchedule\"}]}}";
    assertThat(patch("v1", "Node", node, "{\"spec\":{\"taints\":[{\"key\":\"b\",\"effect\":\"NoSchedule\"}]}}").get("spec").get("taints"))
        .isEqualTo(json("[{\"key\":\"b\",\"effect\":\"NoSchedule\"}]"));
  }

  // ---------------------------------------------------------------- maps

  @Test
  void labelsAndAnnotationsAddAndRemoveWithNull() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"run\":\"p\",\"tier\":\"fe\"}}}";
    JsonNode out = patch("v1", "Pod", pod, "{\"metadata\":{\"labels\":{\"run\":null,\"a\":\"b\"},\"annotations\":{\"n\":\"v\",\"gone\":null}}}");
    assertThat(out.get("metadata")).isEqualTo(json("{\"name\":\"p\",\"labels\":{\"tier\":\"fe\",\"a\":\"b\"},\"annotations\":{\"n\":\"v\"}}"));
  }

  @Test
  void patchDirectivesOnMaps() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"1\",\"b\":\"2\"}}}";
    assertThat(patch("v1", "Pod", pod, "{\"metadata\":{\"labels\":{\"$patch\":\"replace\",\"c\":\"3\"}}}").get("metadata").get("labels"))
        .isEqualTo(json("{\"c\":\"3\"}"));
    assertThat(patch("v1", "Pod", pod, "{\"metadata\":{\"labels\":{\"$patch\":\"delete\"}}}").get("metadata").get("labels"))
        .isEqualTo(json("{}"));
    StatusException e = status(500, () -> patch("v1", "Pod", pod, "{\"metadata\":{\"labels\":{\"$patch\":\"merge\"}}}"));
    assertThat(e.getMessage()).isEqualTo("unknown patch type: merge in map: map[$patch:merge]");
  }

  @Test
  void replaceStrategyMapIsReplaced() {
    // PodDisruptionBudgetSpec.selector has patchStrategy=replace
    String pdb = """
        {"apiVersion":"policy/v1","kind":"PodDisruptionBudget","metadata":{"name":"p"},
         "spec":{"minAvailable":1,"selector":{"matchLabels":{"a":"1"}}}}""";
    assertThat(patch("policy/v1", "PodDisruptionBudget", pdb, "{\"spec\":{\"selector\":{\"matchLabels\":{\"b\":\"2\"}}}}").get("spec"))
        .isEqualTo(json("{\"minAvailable\":1,\"selector\":{\"matchLabels\":{\"b\":\"2\"}}}"));
    // while a Deployment's selector merges
    assertThat(deployment("{\"spec\":{\"selector\":{\"matchLabels\":{\"b\":\"2\"}}}}").get("spec").get("selector"))
        .isEqualTo(json("{\"matchLabels\":{\"app\":\"web\",\"b\":\"2\"}}"));
  }

  @Test
  void retainKeysOnAVolumeSwitchesItsSource() {
    JsonNode out = deployment("""
        {"spec":{"template":{"spec":{"volumes":[{"$retainKeys":["configMap","name"],"configMap":{"name":"cfg"},"name":"data"}]}}}}""");
    assertThat(podSpec(out).get("volumes")).isEqualTo(json("[{\"name\":\"data\",\"configMap\":{\"name\":\"cfg\"}}]"));
  }

  @Test
  void newValuesLoseNullsAndDirectives() {
    String pod = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\"}}";
    JsonNode out = patch("v1", "Pod", pod, """
        {"metadata":{"labels":{"a":"1","b":null}},"spec":{"affinity":{"x":{"$patch":"delete"}},"nodeName":null}}""");
    assertThat(out).isEqualTo(json("{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"labels\":{\"a\":\"1\"}},\"spec\":{\"affinity\":{}}}"));
  }

  @Test
  void nullBodyChangesNothingAndCurrentIsNeverModified() {
    JsonNode current = json(DEPLOYMENT);
    assertThat(StrategicMergePatch.apply(current, bytes("null"), "apps/v1", "Deployment")).isEqualTo(json(DEPLOYMENT));
    StrategicMergePatch.apply(current, bytes("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"image\":\"x\"}]}}}}"),
        "apps/v1", "Deployment");
    assertThat(current).isEqualTo(json(DEPLOYMENT));
  }

  // ---------------------------------------------------------------- errors

  @Test
  void errorsMatchUpstream() {
    assertThat(status(400, () -> deployment("[1]")).getMessage())
        .isEqualTo("json: cannot unmarshal array into Go value of type map[string]interface {}");
    assertThat(status(400, () -> deployment("{")).getMessage()).isEqualTo("invalid JSON patch");
    assertThat(status(500, () -> deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"image\":\"x\"}]}}}}")).getMessage())
        .isEqualTo("map: map[image:x] does not contain declared merge key: name");
    assertThat(status(400, () -> deployment("{\"spec\":{\"strategy\":{\"$retainKeys\":\"type\"}}}")).getMessage())
        .isEqualTo("invalid patch format of retainKeys");
    assertThat(status(400, () -> deployment("{\"spec\":{\"strategy\":{\"$retainKeys\":[\"type\"],\"rollingUpdate\":{}}}}")).getMessage())
        .isEqualTo("invalid patch format of retainKeys");
    assertThat(status(400, () -> deployment("{\"metadata\":{\"$deleteFromPrimitiveListfinalizers\":[\"x\"]}}")).getMessage())
        .isEqualTo("invalid patch format of primitive list");
    assertThat(status(400, () -> deployment("{\"metadata\":{\"$setElementOrderX\":[\"x\"]}}")).getMessage())
        .isEqualTo("invalid patch format of setElementOrder list");
    StatusException lol = status(422, () -> patch("v1", "ConfigMap", "{\"metadata\":{\"finalizers\":[]}}", "{\"metadata\":{\"finalizers\":[[\"b\"]]}}"));
    assertThat(lol.getMessage()).isEqualTo("the server rejected our request due to an error in our request");
    assertThat(status(500, () -> deployment("{\"spec\":{\"template\":{\"spec\":{\"containers\":[{\"name\":\"web\",\"$patch\":\"merge\"}]}}}}")).getMessage())
        .isEqualTo("merging lists cannot yet be specified in the patch");
  }

  @Test
  void customResourcesAreRejectedWith415() {
    StatusException e = status(415, () -> patch("stable.example.com/v1", "CronTab", "{\"spec\":{}}", "{\"spec\":{\"a\":1}}"));
    assertThat(e.reason()).isEqualTo("UnsupportedMediaType");
    assertThat(e.getMessage()).isEqualTo("the body of the request was in an unknown format - accepted media types include: "
        + "application/json-patch+json, application/merge-patch+json, application/apply-patch+yaml");
  }
}
