package io.kava.apiserver.registry.defaults;

import static io.kava.apiserver.registry.defaults.Fixtures.assertDefaults;
import static io.kava.apiserver.registry.defaults.Fixtures.assertJson;
import static io.kava.apiserver.registry.defaults.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Defaulter;
import io.kava.apiserver.registry.WriteContext;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class CoreDefaultsTest {

  /** {@code kubectl create namespace dev}, then the namespace strategy's create. */
  @Test
  void namespace() {
    ObjectNode ns = assertDefaults(KindDefaults.forKind("", "Namespace"), """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev"},"spec":{},"status":{}}""", """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev","labels":{"kubernetes.io/metadata.name":"dev"}},
         "spec":{},"status":{"phase":"Active"}}""");
    KindHooks.prepareForCreate("", "Namespace").apply(null, ns, null);
    assertJson(ns, """
        {"apiVersion":"v1","kind":"Namespace","metadata":{"name":"dev","labels":{"kubernetes.io/metadata.name":"dev"}},
         "spec":{"finalizers":["kubernetes"]},"status":{"phase":"Active"}}""");
  }

  @Test
  void namespaceUpdateKeepsFinalizersUnlessFinalizing() {
    ObjectNode old = json("""
        {"metadata":{"name":"dev"},"spec":{"finalizers":["kubernetes"]}}""");
    ObjectNode now = json("""
        {"metadata":{"name":"dev"},"spec":{}}""");
    KindHooks.prepareForUpdate("", "Namespace").apply(new WriteContext("u", false, null, "", null), now, old);
    assertJson(now.get("spec"), "{\"finalizers\":[\"kubernetes\"]}");
    ObjectNode finalize = json("""
        {"metadata":{"name":"dev"},"spec":{"finalizers":[]}}""");
    KindHooks.prepareForUpdate("", "Namespace").apply(new WriteContext("u", false, null, "finalize", null), finalize, old);
    assertJson(finalize.get("spec"), "{\"finalizers\":[]}");
  }

  /** {@code kubectl create secret generic s --from-literal=k=v}, and stringData merged into data. */
  @Test
  void secret() {
    Defaulter secret = KindDefaults.forKind("", "Secret");
    assertDefaults(secret, """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="}}""", """
        {"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"data":{"k":"dg=="},"type":"Opaque"}""");
    assertDefaults(secret, """
        {"metadata":{"name":"s"},"type":"kubernetes.io/basic-auth","data":{"username":"b2xk"},
         "stringData":{"username":"admin","password":"p@ss"}}""", """
        {"metadata":{"name":"s"},"type":"kubernetes.io/basic-auth","data":{"username":"YWRtaW4=","password":"cEBzcw=="}}""");
  }

  @Test
  void persistentVolumeAndClaim() {
    assertDefaults(KindDefaults.forKind("", "PersistentVolume"), """
        {"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"1024Mi"},"accessModes":["ReadWriteOnce"],
          "hostPath":{"path":"/mnt/data"}}}""", """
        {"metadata":{"name":"pv1"},"spec":{"capacity":{"storage":"1Gi"},"accessModes":["ReadWriteOnce"],
          "hostPath":{"path":"/mnt/data","type":""},"persistentVolumeReclaimPolicy":"Retain","volumeMode":"Filesystem"},
         "status":{"phase":"Pending"}}""");
    assertDefaults(KindDefaults.forKind("", "PersistentVolumeClaim"), """
        {"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}}}""", """
        {"metadata":{"name":"data"},"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
          "volumeMode":"Filesystem"},"status":{"phase":"Pending"}}""");
  }

  @Test
  void limitRangeContainerDefaults() {
    assertDefaults(KindDefaults.forKind("", "LimitRange"), """
        {"spec":{"limits":[{"type":"Container","max":{"cpu":"2","memory":"1Gi"},"min":{"cpu":"100m"}},
                           {"type":"Pod","max":{"cpu":"4"}}]}}""", """
        {"spec":{"limits":[{"type":"Container","max":{"cpu":"2","memory":"1Gi"},"min":{"cpu":"100m"},
                            "default":{"cpu":"2","memory":"1Gi"},"defaultRequest":{"cpu":"2","memory":"1Gi"}},
                           {"type":"Pod","max":{"cpu":"4"}}]}}""");
  }

  @Test
  void resourceQuotaNodeAndEndpoints() {
    assertDefaults(KindDefaults.forKind("", "ResourceQuota"), """
        {"spec":{"hard":{"pods":"10","requests.cpu":"0.5","requests.memory":"2048Mi"}}}""", """
        {"spec":{"hard":{"pods":"10","requests.cpu":"500m","requests.memory":"2Gi"}}}""");
    assertDefaults(KindDefaults.forKind("", "Node"), """
        {"metadata":{"name":"n1"},"status":{"capacity":{"cpu":"2","memory":"4040096Ki","pods":"110"}}}""", """
        {"metadata":{"name":"n1"},"status":{"capacity":{"cpu":"2","memory":"4040096Ki","pods":"110"},
          "allocatable":{"cpu":"2","memory":"4040096Ki","pods":"110"}}}""");
    assertDefaults(KindDefaults.forKind("", "Endpoints"), """
        {"subsets":[{"addresses":[{"ip":"10.244.0.5"}],"ports":[{"port":80}]}]}""", """
        {"subsets":[{"addresses":[{"ip":"10.244.0.5"}],"ports":[{"port":80,"protocol":"TCP"}]}]}""");
  }

  @Test
  void kindsWithoutDefaultsAreUntouched() {
    ObjectNode cm = json("{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}");
    KindDefaults.forKind("", "ConfigMap").apply(cm);
    assertJson(cm, "{\"metadata\":{\"name\":\"c\"},\"data\":{\"a\":\"b\"}}");
    assertThat(KindDefaults.forKind("example.com", "Widget")).isSameAs(Defaulter.NONE);
  }
}
