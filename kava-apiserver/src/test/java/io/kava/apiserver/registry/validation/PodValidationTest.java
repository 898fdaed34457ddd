package io.kava.apiserver.registry.validation;

import static io.kava.apiserver.registry.validation.V.DNS_LABEL_MSG;
import static io.kava.apiserver.registry.validation.V.create;
import static io.kava.apiserver.registry.validation.V.pod;
import static io.kava.apiserver.registry.validation.V.update;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class PodValidationTest {
  private static List<String> pod1(String containers) { return create("", "Pod", pod(containers)); }

  @Test
  void kubectlRunPodIsValid() {
    assertThat(pod1("[{\"name\":\"nginx\",\"image\":\"nginx\",\"ports\":[{\"containerPort\":80}]}]")).isEmpty();
  }

  @Test
  void containersAreRequired() {
    assertThat(pod1("[]")).containsExactly("spec.containers: Required value");
  }

  @Test
  void containerNameAndImage() {
    assertThat(pod1("[{\"image\":\"nginx\"}]")).containsExactly("spec.containers[0].name: Required value");
    assertThat(pod1("[{\"name\":\"Web_1\",\"image\":\"nginx\"}]"))
        .containsExactly("spec.containers[0].name: Invalid value: \"Web_1\": " + DNS_LABEL_MSG);
    assertThat(pod1("[{\"name\":\"a\"}]")).containsExactly("spec.containers[0].image: Required value");
    assertThat(pod1("[{\"name\":\"a\",\"image\":\"x\"},{\"name\":\"a\",\"image\":\"y\"}]"))
        .containsExactly("spec.containers[1].name: Duplicate value: \"a\"");
    assertThat(pod1("[{\"name\":\"a\",\"image\":\" nginx\"}]"))
        .containsExactly("spec.containers[0].image: Invalid value: \" nginx\": must not have leading or trailing whitespace");
  }

  @Test
  void ports() {
    assertThat(pod1("""
        [{"name":"a","image":"x","ports":[{"containerPort":70000},{"containerPort":80,"protocol":"HTTP"},
          {"name":"web","containerPort":81},{"name":"web","containerPort":82},{"name":"Bad_Name","containerPort":83}]}]""")).containsExactly(
        "spec.containers[0].ports[0].containerPort: Invalid value: 70000: must be between 1 and 65535, inclusive",
        "spec.containers[0].ports[1].protocol: Unsupported value: \"HTTP\": supported values: \"SCTP\", \"TCP\", \"UDP\"",
        "spec.containers[0].ports[3].name: Duplicate value: \"web\"",
        "spec.containers[0].ports[4].name: Invalid value: \"Bad_Name\": must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)");
    assertThat(pod1("[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{\"containerPort\":0}]}]"))
        .containsExactly("spec.containers[0].ports[0].containerPort: Required value");
    assertThat(pod1("[{\"name\":\"a\",\"image\":\"x\",\"ports\":[{\"containerPort\":80,\"hostPort\":8080}]},"
        + "{\"name\":\"b\",\"image\":\"x\",\"ports\":[{\"containerPort\":81,\"hostPort\":8080}]}]"))
        .containsExactly("spec.containers[1].ports[0].hostPort: Duplicate value: \"TCP//8080\"");
  }

  @Test
  void restartAndDnsPolicies() {
    assertThat(create("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"restartPolicy":"Sometimes","dnsPolicy":"Google","containers":[{"name":"a","image":"x"}]}}"""))
        .containsExactly(
            "spec.restartPolicy: Unsupported value: \"Sometimes\": supported values: \"Always\", \"OnFailure\", \"Never\"",
            "spec.dnsPolicy: Unsupported value: \"Google\": supported values: \"ClusterFirstWithHostNet\", \"ClusterFirst\", \"Default\", \"None\"");
    assertThat(create("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"dnsPolicy":"None","containers":[{"name":"a","image":"x"}]}}"""))
        .containsExactly("spec.dnsConfig: Required value: must provide `dnsConfig` when `dnsPolicy` is None");
  }

  @Test
  void volumesAndMounts() {
    assertThat(create("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x",
          "volumeMounts":[{"name":"data","mountPath":"/data"},{"name":"cfg","mountPath":"/data"}]}],
         "volumes":[{"name":"cfg","configMap":{"name":"c"}},{"name":"cfg","emptyDir":{}},
                    {"name":"two","emptyDir":{},"configMap":{"name":"c"}},{"name":"Bad","emptyDir":{}},
                    {"name":"sec","secret":{"defaultMode":1000}},{"name":"hp","hostPath":{"path":"/x","type":"Dir"}}]}}"""))
        .containsExactly(
            "spec.volumes[1].name: Duplicate value: \"cfg\"",
            "spec.volumes[2].configMap: Forbidden: may not specify more than 1 volume type",
            "spec.volumes[3].name: Invalid value: \"Bad\": " + DNS_LABEL_MSG,
            "spec.volumes[4].secret.secretName: Required value",
            "spec.volumes[4].secret.defaultMode: Invalid value: 1000: must be a number between 0 and 0777 (octal), both inclusive",
            "spec.volumes[5].hostPath.type: Unsupported value: \"Dir\": supported values: \"\", \"BlockDevice\", \"CharDevice\", "
                + "\"Directory\", \"DirectoryOrCreate\", \"File\", \"FileOrCreate\", \"Socket\"",
            "spec.containers[0].volumeMounts[0].name: Not found: \"data\"",
            "spec.containers[0].volumeMounts[1].mountPath: Invalid value: \"/data\": must be unique");
  }

  @Test
  void resources() {
    assertThat(pod1("""
        [{"name":"a","image":"x","resources":{"limits":{"cpu":"1"},"requests":{"cpu":"2","memory":"-1Gi","gpu":"1"}}}]""")).containsExactly(
        "spec.containers[0].resources.requests: Invalid value: \"2\": must be less than or equal to cpu limit of 1",
        "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource type or fully qualified",
        "spec.containers[0].resources.requests[gpu]: Invalid value: \"gpu\": must be a standard resource for containers",
        "spec.containers[0].resources.requests[memory]: Invalid value: \"-1Gi\": must be greater than or equal to 0");
    // upstream rejects such a body while decoding; here the bad value is reported where it sits (and where the
    // pod defaults copied it, requests from limits)
    assertThat(pod1("[{\"name\":\"a\",\"image\":\"x\",\"resources\":{\"limits\":{\"memory\":\"lots\"}}}]")).containsExactly(
        "spec.containers[0].resources.limits[memory]: Invalid value: \"lots\": "
            + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'",
        "spec.containers[0].resources.requests[memory]: Invalid value: \"lots\": "
            + "quantities must match the regular expression '^([+-]?[0-9.]+)([eEinumkKMGTP]*[-+]?[0-9]*)$'");
  }

  @Test
  void envAndProbes() {
    assertThat(pod1("""
        [{"name":"a","image":"x","env":[{"name":""},{"name":"A=B"},
            {"name":"C","valueFrom":{"fieldRef":{"fieldPath":"status.phase"}}},
            {"name":"D","value":"v","valueFrom":{"configMapKeyRef":{"name":"cm","key":"k"}}}],
          "livenessProbe":{"exec":{"command":["true"]},"successThreshold":2},
          "readinessProbe":{"httpGet":{"port":0}}}]""")).containsExactly(
        "spec.containers[0].env[0].name: Required value",
        "spec.containers[0].env[1].name: Invalid value: \"A=B\": a valid environment variable name must consist only of printable ASCII characters other than '='",
        "spec.containers[0].env[2].valueFrom.fieldRef.fieldPath: Unsupported value: \"status.phase\": supported values: \"metadata.name\", "
            + "\"metadata.namespace\", \"metadata.uid\", \"spec.nodeName\", \"spec.serviceAccountName\", \"status.hostIP\", \"status.hostIPs\", "
            + "\"status.podIP\", \"status.podIPs\"",
        "spec.containers[0].env[3].valueFrom: Invalid value: \"\": may not be specified when `value` is not empty",
        "spec.containers[0].livenessProbe.successThreshold: Invalid value: 2: must be 1",
        "spec.containers[0].readinessProbe.httpGet.port: Invalid value: 0: must be between 1 and 65535, inclusive");
  }

  @Test
  void tolerationsAndSpecFields() {
    assertThat(create("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}],"activeDeadlineSeconds":0,
          "hostname":"Host","tolerations":[{"operator":"Equal","value":"v"},{"key":"k","operator":"Exists","value":"v","effect":"NoExecute"},
            {"key":"k","tolerationSeconds":5,"effect":"NoSchedule"},{"key":"k","effect":"Sometimes"}]}}""")).containsExactly(
        "spec.activeDeadlineSeconds: Invalid value: 0: must be between 1 and 2147483647, inclusive",
        "spec.hostname: Invalid value: \"Host\": " + DNS_LABEL_MSG,
        "spec.tolerations[0].operator: Invalid value: \"Equal\": operator must be Exists when `key` is empty, which means \"match all values and all keys\"",
        "spec.tolerations[1].operator: Invalid value: {\"key\":\"k\",\"operator\":\"Exists\",\"value\":\"v\",\"effect\":\"NoExecute\"}: value must be empty when `operator` is 'Exists'",
        "spec.tolerations[2].effect: Invalid value: \"NoSchedule\": effect must be 'NoExecute' when `tolerationSeconds` is set",
        "spec.tolerations[3].effect: Unsupported value: \"Sometimes\": supported values: \"NoSchedule\", \"PreferNoSchedule\", \"NoExecute\"");
  }

  @Test
  void initContainersAndSidecars() {
    assertThat(create("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"x"}],
          "initContainers":[{"name":"a","image":"x"},{"name":"i","image":"x","readinessProbe":{"exec":{"command":["true"]}}},
                            {"name":"s","image":"x","restartPolicy":"Always","readinessProbe":{"exec":{"command":["true"]}}},
                            {"name":"o","image":"x","restartPolicy":"OnFailure"}]}}""")).containsExactly(
        "spec.initContainers[0].name: Duplicate value: \"a\"",
        "spec.initContainers[1].readinessProbe: Forbidden: may not be set for init containers without restartPolicy=Always",
        "spec.initContainers[3].restartPolicy: Unsupported value: \"OnFailure\": supported values: \"Always\"");
  }

  // ---- updates -------------------------------------------------------------------------------------------------------

  private static final String OLD = """
      {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:1","ports":[{"containerPort":80}]}],
        "tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}}""";

  @Test
  void imageAndTolerationAdditionsMayChange() {
    assertThat(update("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:2","ports":[{"containerPort":80}]}],
          "activeDeadlineSeconds":30,
          "tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":30},{"key":"z","operator":"Exists"}]}}""", OLD))
        .isEmpty();
  }

  @Test
  void otherFieldsMayNot() {
    List<String> msgs = update("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:1","ports":[{"containerPort":8080}]}],
          "tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}}""", OLD);
    assertThat(msgs).hasSize(1);
    assertThat(msgs.get(0)).startsWith("spec: Forbidden: pod updates may not change fields other than `spec.containers[*].image`,"
        + "`spec.initContainers[*].image`,`spec.activeDeadlineSeconds`,`spec.tolerations` (only additions to existing tolerations),"
        + "`spec.terminationGracePeriodSeconds` (allow it to be set to 1 if it was previously negative)\n  core.PodSpec{\n");
    assertThat(msgs.get(0)).contains("- \tcontainers[0].ports[0].containerPort: 80\n+ \tcontainers[0].ports[0].containerPort: 8080\n");
  }

  @Test
  void bindingAndStatusWrites() {
    var old = V.defaulted("", "Pod", OLD);
    var bound = old.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) bound.get("spec")).put("nodeName", "node-1");
    // a plain update may not bind the pod (upstream: only pods/binding sets spec.nodeName); the binding may
    assertThat(V.messages(KindValidation.forKind("", "Pod").validateUpdate(bound, old)))
        .singleElement().asString().startsWith("spec: Forbidden: pod updates may not change fields other than").contains("nodeName: \"node-1\"");
    assertThat(V.messages(KindValidation.forSubresource("", "Pod", "binding").validateUpdate(bound, old))).isEmpty();
    var moved = bound.deepCopy();
    ((tools.jackson.databind.node.ObjectNode) moved.get("spec")).put("nodeName", "node-2");
    assertThat(V.messages(KindValidation.forKind("", "Pod").validateUpdate(moved, bound))).hasSize(1);
    assertThat(V.messages(KindValidation.forSubresource("", "Pod", "status").validateUpdate(moved, bound)))
        .containsExactly("status.nodeName: Forbidden: may not be changed directly");
    var finished = V.json("""
        {"spec":{"restartPolicy":"Never"},"status":{"containerStatuses":[{"name":"a","state":{"terminated":{"exitCode":0}}}]}}""");
    var restarted = V.json("""
        {"spec":{"restartPolicy":"Never"},"status":{"containerStatuses":[{"name":"a","state":{"running":{}}}]}}""");
    assertThat(V.messages(KindValidation.forSubresource("", "Pod", "status").validateUpdate(restarted, finished)))
        .containsExactly("status.containerStatuses[0].state: Forbidden: may not be transitioned to non-terminated state");
    assertThat(V.messages(KindValidation.forSubresource("", "Namespace", "finalize").validateUpdate(
        V.json("{\"spec\":{\"finalizers\":[\"bad\"]}}"), V.json("{}"))))
        .containsExactly("spec.finalizers[0]: Invalid value: \"bad\": name is neither a standard finalizer name nor is it fully qualified");
  }

  @Test
  void containerCountTolerationsAndDeadline() {
    assertThat(update("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:1"},{"name":"b","image":"x"}]}}""", OLD))
        .containsExactly("spec.containers: Forbidden: pod updates may not add or remove containers");
    assertThat(update("", "Pod", """
        {"metadata":{"name":"p"},"spec":{"containers":[{"name":"a","image":"nginx:1","ports":[{"containerPort":80}]}],
          "tolerations":[{"key":"other","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}}""", OLD))
        .containsExactly("spec.tolerations: Forbidden: existing toleration can not be modified except its tolerationSeconds");
    String withDeadline = OLD.replace("\"tolerations\"", "\"activeDeadlineSeconds\":30,\"tolerations\"");
    assertThat(update("", "Pod", withDeadline.replace("30", "60"), withDeadline))
        .containsExactly("spec.activeDeadlineSeconds: Invalid value: 60: must be less than or equal to previous value");
  }
}
