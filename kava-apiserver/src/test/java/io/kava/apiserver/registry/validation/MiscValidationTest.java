package io.kava.apiserver.registry.validation;

import static io.kava.apiserver.registry.validation.V.create;
import static io.kava.apiserver.registry.validation.V.update;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Validator;
import org.junit.jupiter.api.Test;

class MiscValidationTest {
  private static final String NET = "networking.k8s.io";
  private static final String RBAC = "rbac.authorization.k8s.io";

  @Test
  void ingress() {
    String ok = """
        {"metadata":{"name":"web"},"spec":{"ingressClassName":"kava","rules":[{"host":"app.example.com","http":{"paths":[
          {"path":"/","pathType":"Prefix","backend":{"service":{"name":"web","port":{"number":80}}}}]}}]}}""";
    assertThat(create(NET, "Ingress", ok)).isEmpty();
    assertThat(create(NET, "Ingress", """
        {"metadata":{"name":"web"},"spec":{"rules":[{"host":"10.0.0.1","http":{"paths":[
          {"path":"/","backend":{"service":{"name":"web","port":{"number":80}}}},
          {"path":"api","pathType":"Exact","backend":{"service":{"name":"web"}}},
          {"path":"/x","pathType":"Prefix","backend":{"service":{"name":"web","port":{"name":"http","number":80}}}}]}}]}}""")).containsExactly(
        "spec.rules[0].host: Invalid value: \"10.0.0.1\": must be a DNS name, not an IP address",
        "spec.rules[0].http.paths[0].pathType: Required value: pathType must be specified",
        "spec.rules[0].http.paths[1].path: Invalid value: \"api\": must be an absolute path",
        "spec.rules[0].http.paths[1].backend: Required value: port name or number is required",
        "spec.rules[0].http.paths[2].backend: Invalid value: \"\": cannot set both port name & port number");
    assertThat(create(NET, "Ingress", "{\"metadata\":{\"name\":\"web\"},\"spec\":{}}")).containsExactly(
        "spec: Invalid value: []networking.IngressRule(nil): either `defaultBackend` or `rules` must be specified");
  }

  @Test
  void ingressClassAndNetworkPolicy() {
    assertThat(create(NET, "IngressClass", "{\"metadata\":{\"name\":\"c\"},\"spec\":{}}")).containsExactly("spec.controller: Required value");
    String ic = "{\"metadata\":{\"name\":\"c\"},\"spec\":{\"controller\":\"kava.io/ingress\"}}";
    assertThat(create(NET, "IngressClass", ic)).isEmpty();
    assertThat(update(NET, "IngressClass", ic.replace("kava.io/ingress", "kava.io/other"), ic))
        .containsExactly("spec.controller: Invalid value: \"kava.io/other\": field is immutable");
    assertThat(create(NET, "NetworkPolicy", """
        {"metadata":{"name":"np"},"spec":{"podSelector":{},"policyTypes":["Ingress","Sideways"],
          "ingress":[{"from":[{}],"ports":[{"port":80,"endPort":70}]}]}}""")).containsExactly(
        "spec.ingress[0].ports[0].endPort: Invalid value: 70: must be greater than or equal to `port`",
        "spec.ingress[0].from[0]: Required value: must specify a peer",
        "spec.policyTypes[1]: Unsupported value: \"Sideways\": supported values: \"Ingress\", \"Egress\"");
  }

  @Test
  void storageClass() {
    assertThat(create("storage.k8s.io", "StorageClass", "{\"metadata\":{\"name\":\"sc\"}}")).containsExactly("provisioner: Required value");
    String sc = "{\"metadata\":{\"name\":\"sc\"},\"provisioner\":\"kava.io/local\",\"parameters\":{\"type\":\"ssd\"}}";
    assertThat(create("storage.k8s.io", "StorageClass", sc)).isEmpty();
    assertThat(update("storage.k8s.io", "StorageClass", sc.replace("ssd", "hdd"), sc))
        .containsExactly("parameters: Forbidden: updates to parameters are forbidden.");
  }

  @Test
  void rbac() {
    assertThat(create(RBAC, "Role", "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"apiGroups\":[\"\"],\"resources\":[\"pods\"]},"
        + "{\"verbs\":[\"get\"],\"nonResourceURLs\":[\"/healthz\"]}]}")).containsExactly(
        "rules[0].verbs: Required value: verbs must contain at least one value",
        "rules[1].nonResourceURLs: Invalid value: []string{\"/healthz\"}: namespaced rules cannot apply to non-resource URLs");
    assertThat(create(RBAC, "ClusterRole", "{\"metadata\":{\"name\":\"r\"},\"rules\":[{\"verbs\":[\"get\"],\"resources\":[\"pods\"]}]}"))
        .containsExactly("rules[0].apiGroups: Required value: resource rules must supply at least one api group");
    String rb = "{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"kind\":\"Role\",\"name\":\"r\"},"
        + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"default\",\"namespace\":\"dev\"}]}";
    assertThat(create(RBAC, "RoleBinding", rb)).isEmpty();
    assertThat(update(RBAC, "RoleBinding", rb.replace("\"name\":\"r\"", "\"name\":\"r2\""), rb)).containsExactly(
        "roleRef: Invalid value: rbac.RoleRef{APIGroup:\"rbac.authorization.k8s.io\", Kind:\"Role\", Name:\"r2\"}: cannot change roleRef");
    assertThat(create(RBAC, "ClusterRoleBinding", "{\"metadata\":{\"name\":\"b\"},\"roleRef\":{\"kind\":\"Role\",\"name\":\"r\"},"
        + "\"subjects\":[{\"kind\":\"ServiceAccount\",\"name\":\"default\"},{\"kind\":\"Robot\",\"name\":\"x\"}]}")).containsExactly(
        "roleRef.kind: Unsupported value: \"Role\": supported values: \"ClusterRole\"",
        "subjects[0].namespace: Required value",
        "subjects[1].kind: Unsupported value: \"Robot\": supported values: \"ServiceAccount\", \"User\", \"Group\"");
  }

  @Test
  void podDisruptionBudgetAndPriorityClass() {
    assertThat(create("policy", "PodDisruptionBudget", "{\"metadata\":{\"name\":\"p\"},\"spec\":{\"minAvailable\":1,"
        + "\"maxUnavailable\":\"150%\",\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}}")).containsExactly(
        "spec: Invalid value: {\"minAvailable\":1,\"maxUnavailable\":\"150%\",\"selector\":{\"matchLabels\":{\"app\":\"a\"}}}: "
            + "minAvailable and maxUnavailable cannot be both set",
        "spec.maxUnavailable: Invalid value: intstr.IntOrString{Type:1, IntVal:0, StrVal:\"150%\"}: must not be greater than 100%");
    assertThat(create("scheduling.k8s.io", "PriorityClass", "{\"metadata\":{\"name\":\"system-mine\"},\"value\":1}")).containsExactly(
        "metadata.name: Forbidden: priority class names with 'system-' prefix are reserved for system use only. "
            + "error: system-mine is not a known system priority class");
    assertThat(create("scheduling.k8s.io", "PriorityClass", "{\"metadata\":{\"name\":\"huge\"},\"value\":2000000000}")).containsExactly(
        "value: Forbidden: maximum allowed value of a user defined priority is 1000000000");
    String pc = "{\"metadata\":{\"name\":\"high\"},\"value\":1000}";
    assertThat(update("scheduling.k8s.io", "PriorityClass", pc.replace("1000", "2000"), pc))
        .containsExactly("value: Forbidden: may not be changed in an update.");
  }

  @Test
  void endpointSliceAndLease() {
    assertThat(create("discovery.k8s.io", "EndpointSlice", "{\"metadata\":{\"name\":\"e\"},\"endpoints\":[{\"addresses\":[\"10.0.0.1\"]}]}"))
        .containsExactly("addressType: Required value");
    assertThat(create("discovery.k8s.io", "EndpointSlice", "{\"metadata\":{\"name\":\"e\"},\"addressType\":\"IPv4\","
        + "\"endpoints\":[{\"addresses\":[\"fd00::1\"]},{\"addresses\":[]}],\"ports\":[{\"port\":80}]}")).containsExactly(
        "endpoints[0].addresses[0]: Invalid value: \"fd00::1\": must be a valid IPv4 address",
        "endpoints[1].addresses: Required value: must contain at least 1 address");
    assertThat(create("coordination.k8s.io", "Lease", "{\"metadata\":{\"name\":\"l\"},\"spec\":{\"leaseDurationSeconds\":0}}"))
        .containsExactly("spec.leaseDurationSeconds: Invalid value: 0: must be greater than 0");
  }

  @Test
  void uncoveredKindsHaveNoValidator() {
    assertThat(KindValidation.forKind("example.com", "Widget")).isSameAs(Validator.NONE);
    assertThat(KindValidation.covers("", "Pod")).isTrue();
  }
}
