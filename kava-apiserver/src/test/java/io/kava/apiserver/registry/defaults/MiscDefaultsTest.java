package io.kava.apiserver.registry.defaults;

import static io.kava.apiserver.registry.defaults.Fixtures.assertDefaults;
import static io.kava.apiserver.registry.defaults.Fixtures.assertJson;
import static io.kava.apiserver.registry.defaults.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.quantity.Quantity;
import io.kava.apiserver.registry.validation.JsonQuantity;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class MiscDefaultsTest {

  @Test
  void networkPolicy() {
    assertDefaults(KindDefaults.forKind("networking.k8s.io", "NetworkPolicy"), """
        {"spec":{"podSelector":{},"ingress":[{"ports":[{"port":80}]}]}}""", """
        {"spec":{"podSelector":{},"ingress":[{"ports":[{"port":80,"protocol":"TCP"}]}],"policyTypes":["Ingress"]}}""");
    assertDefaults(KindDefaults.forKind("networking.k8s.io", "NetworkPolicy"), """
        {"spec":{"podSelector":{},"egress":[{}]}}""", """
        {"spec":{"podSelector":{},"egress":[{}],"policyTypes":["Ingress","Egress"]}}""");
  }

  @Test
  void storageClassRbacPriorityClassEndpointSliceIngressClass() {
    assertDefaults(KindDefaults.forKind("storage.k8s.io", "StorageClass"), """
        {"metadata":{"name":"local"},"provisioner":"kava.io/local"}""", """
        {"metadata":{"name":"local"},"provisioner":"kava.io/local","reclaimPolicy":"Delete","volumeBindingMode":"Immediate"}""");
    assertDefaults(KindDefaults.forKind("rbac.authorization.k8s.io", "RoleBinding"), """
        {"roleRef":{"kind":"Role","name":"r"},"subjects":[{"kind":"User","name":"alice"},{"kind":"ServiceAccount","name":"sa","namespace":"ns"}]}""", """
        {"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"r"},
         "subjects":[{"apiGroup":"rbac.authorization.k8s.io","kind":"User","name":"alice"},{"kind":"ServiceAccount","name":"sa","namespace":"ns"}]}""");
    assertDefaults(KindDefaults.forKind("scheduling.k8s.io", "PriorityClass"), """
        {"metadata":{"name":"high"},"value":1000}""", """
        {"metadata":{"name":"high"},"value":1000,"preemptionPolicy":"PreemptLowerPriority"}""");
    assertDefaults(KindDefaults.forKind("discovery.k8s.io", "EndpointSlice"), """
        {"addressType":"IPv4","ports":[{"port":80}]}""", """
        {"addressType":"IPv4","ports":[{"name":"","port":80,"protocol":"TCP"}]}""");
    assertDefaults(KindDefaults.forKind("networking.k8s.io", "IngressClass"), """
        {"spec":{"controller":"kava.io/ingress","parameters":{"kind":"Config","name":"c"}}}""", """
        {"spec":{"controller":"kava.io/ingress","parameters":{"kind":"Config","name":"c","scope":"Cluster"}}}""");
  }

  @Test
  void quantitiesPrintCanonically() {
    String[][] cases = {
        {"1000m", "1"}, {"0.5", "500m"}, {"1024Mi", "1Gi"}, {"1536Mi", "1536Mi"}, {"1.5Ki", "1536"}, {"100", "100"},
        {"2000", "2k"}, {"1500", "1500"}, {"1e3", "1e3"}, {"1.5e3", "1500"}, {"0", "0"}, {"0m", "0"}, {"10Gi", "10Gi"},
        {"512Ki", "512Ki"}, {"1000Ki", "1000Ki"}, {"0.1", "100m"}, {"1n", "1n"}, {"0.0000000001", "1n"}, {"-1", "-1"},
        {"128974848", "128974848"}, {"129e6", "129e6"}, {"123Mi", "123Mi"}, {"1G", "1G"}, {"1000M", "1G"}, {"+5", "+5"} /* upstream keeps input it finds canonical, sign included */,
        {"500Mi", "500Mi"}, {"0.5Gi", "512Mi"}, {"100m", "100m"}, {"1.1", "1100m"}};
    for (String[] c : cases) {
      assertThat(Quantity.parse(c[0]).toString()).as(c[0]).isEqualTo(c[1]);
    }
    assertThat(Quantity.parse("0.0001").roundUp(-3).toString()).isEqualTo("1m");
    assertThat(Quantity.parse("1.0001").roundUp(-3).toString()).isEqualTo("1001m");
    assertThat(JsonQuantity.parseError(json("{\"q\":\"5kk\"}").get("q"))).isEqualTo(Quantity.ERR_SUFFIX);
    assertThat(JsonQuantity.parseError(json("{\"q\":\"abc\"}").get("q"))).isEqualTo(Quantity.ERR_FORMAT_WRONG);
    assertThat(Quantity.parse("1Gi").compareTo(Quantity.parse("1073741824"))).isZero();
  }

  @Test
  void imageTags() {
    assertThat(ImageNames.tag("nginx")).isEqualTo("latest");
    assertThat(ImageNames.tag("nginx:1.25-alpine")).isEqualTo("1.25-alpine");
    assertThat(ImageNames.tag("docker.io/library/nginx:latest")).isEqualTo("latest");
    assertThat(ImageNames.tag("localhost:5000/app")).isEqualTo("latest");
    assertThat(ImageNames.tag("nginx:latest@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")).isEqualTo("latest");
    assertThat(ImageNames.tag("nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef")).isEmpty();
    assertThat(ImageNames.tag("UPPER/case")).isEqualTo("latest");
    assertThat(ImageNames.tag("bad name")).isEmpty();
  }

  @Test
  void admissionTolerationsAreNotDuplicated() {
    ObjectNode pod = json("""
        {"spec":{"tolerations":[{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":60}]}}""");
    PodAdmissionDefaults.apply(pod);
    PodAdmissionDefaults.apply(pod);
    assertJson(pod.at("/spec/tolerations"), """
        [{"key":"node.kubernetes.io/not-ready","operator":"Exists","effect":"NoExecute","tolerationSeconds":60},
         {"key":"node.kubernetes.io/unreachable","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}]""");
    ObjectNode tolerateAll = json("{\"spec\":{\"tolerations\":[{\"operator\":\"Exists\"}]}}");
    PodAdmissionDefaults.apply(tolerateAll);
    assertThat(tolerateAll.at("/spec/tolerations").size()).isEqualTo(1);
    ObjectNode p = json("{\"spec\":{}}");
    PodAdmissionDefaults.priority(p, null, null);
    assertJson(p.get("spec"), "{\"priority\":0,\"preemptionPolicy\":\"PreemptLowerPriority\"}");
  }
}
