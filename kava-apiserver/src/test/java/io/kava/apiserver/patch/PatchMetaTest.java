package io.kava.apiserver.patch;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.patch.PatchMeta.ListType;
import io.kava.apiserver.patch.PatchMeta.Node;
import io.kava.apiserver.patch.PatchMeta.Shape;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

class PatchMetaTest {

  private static Node walk(Node n, String... path) {
    for (String p : path) n = p.equals("[]") ? n.element() : n.child(p);
    return n;
  }

  private static Node kind(String apiVersion, String kind, String... path) {
    Node root = PatchMeta.forKind(apiVersion, kind);
    assertThat(root).as(apiVersion + " " + kind).isNotNull();
    return walk(root, path);
  }

  @Test
  void supportsBuiltInKindsOnly() {
    assertThat(PatchMeta.supports("v1", "Pod")).isTrue();
    assertThat(PatchMeta.supports("apps/v1", "Deployment")).isTrue();
    assertThat(PatchMeta.supports("autoscaling/v1", "Scale")).isTrue();
    assertThat(PatchMeta.supports("apiextensions.k8s.io/v1", "CustomResourceDefinition")).isTrue();
    assertThat(PatchMeta.supports("stable.example.com/v1", "CronTab")).isFalse();
    assertThat(PatchMeta.supports("apps/v1", "Pod")).isFalse();
    assertThat(PatchMeta.forKind("stable.example.com/v1", "CronTab")).isNull();
    assertThat(PatchMeta.kinds()).contains("v1 Pod", "apps/v1 StatefulSet", "batch/v1 CronJob", "networking.k8s.io/v1 Ingress",
        "rbac.authorization.k8s.io/v1 ClusterRole", "discovery.k8s.io/v1 EndpointSlice", "policy/v1 PodDisruptionBudget",
        "coordination.k8s.io/v1 Lease", "storage.k8s.io/v1 StorageClass", "events.k8s.io/v1 Event", "v1 Event");
  }

  @Test
  void podSpecLists() {
    Node spec = kind("v1", "Pod", "spec");
    Node containers = spec.child("containers");
    assertThat(containers.shape()).isEqualTo(Shape.LIST);
    assertThat(containers.patchStrategy()).isEqualTo("merge");
    assertThat(containers.mergeKey()).isEqualTo("name");
    assertThat(containers.listType()).isEqualTo(ListType.MAP);
    assertThat(containers.listMapKeys()).containsExactly("name");
    assertThat(containers.element().typeName()).isEqualTo("core/v1.Container");
    for (String f : new String[] {"initContainers", "ephemeralContainers", "imagePullSecrets", "resourceClaims", "schedulingGates"}) {
      assertThat(spec.child(f).mergeKey()).as(f).isEqualTo("name");
    }
    assertThat(spec.child("volumes").patchStrategies()).containsExactly("merge", "retainKeys");
    assertThat(spec.child("volumes").retainKeys()).isTrue();
    assertThat(spec.child("volumes").patchStrategy()).isEqualTo("merge");
    assertThat(spec.child("hostAliases").mergeKey()).isEqualTo("ip");
    assertThat(spec.child("topologySpreadConstraints").mergeKey()).isEqualTo("topologyKey");
    assertThat(spec.child("topologySpreadConstraints").listMapKeys()).containsExactly("topologyKey", "whenUnsatisfiable");
    // tolerations carry no strategy: replaced by SMP, atomic for apply
    assertThat(spec.child("tolerations").patchStrategy()).isEmpty();
    assertThat(spec.child("tolerations").listType()).isEqualTo(ListType.ATOMIC);
    assertThat(spec.child("nodeSelector").atomic()).isTrue();
  }

  @Test
  void containerLists() {
    Node c = kind("v1", "Pod", "spec", "containers", "[]");
    assertThat(c.child("ports").mergeKey()).isEqualTo("containerPort");
    assertThat(c.child("ports").listMapKeys()).containsExactly("containerPort", "protocol");
    assertThat(c.child("env").mergeKey()).isEqualTo("name");
    assertThat(c.child("volumeMounts").mergeKey()).isEqualTo("mountPath");
    assertThat(c.child("volumeDevices").mergeKey()).isEqualTo("devicePath");
    assertThat(c.child("args").patchStrategy()).isEmpty();
    assertThat(c.child("image").shape()).isEqualTo(Shape.UNKNOWN);
  }

  @Test
  void everyPodTemplateReachesContainers() {
    String[][] paths = {
        {"apps/v1", "Deployment", "spec", "template", "spec"},
        {"apps/v1", "ReplicaSet", "spec", "template", "spec"},
        {"apps/v1", "StatefulSet", "spec", "template", "spec"},
        {"apps/v1", "DaemonSet", "spec", "template", "spec"},
        {"batch/v1", "Job", "spec", "template", "spec"},
        {"batch/v1", "CronJob", "spec", "jobTemplate", "spec", "template", "spec"},
        {"v1", "ReplicationController", "spec", "template", "spec"},
        {"v1", "PodTemplate", "template", "spec"},
    };
    for (String[] p : paths) {
      Node spec = kind(p[0], p[1], Arrays.copyOfRange(p, 2, p.length));
      assertThat(spec.child("containers").mergeKey()).as(String.join(".", p)).isEqualTo("name");
      assertThat(spec.child("containers").element().child("env").mergeKey()).isEqualTo("name");
    }
    assertThat(kind("apps/v1", "StatefulSet", "spec", "volumeClaimTemplates", "[]", "metadata", "finalizers").listType())
        .isEqualTo(ListType.SET);
  }

  @Test
  void objectMetaAndStatus() {
    Node meta = kind("apps/v1", "Deployment", "metadata");
    assertThat(meta.child("finalizers").patchStrategy()).isEqualTo("merge");
    assertThat(meta.child("finalizers").mergeKey()).isEmpty();
    assertThat(meta.child("finalizers").listType()).isEqualTo(ListType.SET);
    assertThat(meta.child("ownerReferences").mergeKey()).isEqualTo("uid");
    assertThat(meta.child("ownerReferences").element().atomic()).isTrue();
    assertThat(meta.child("labels").shape()).isEqualTo(Shape.UNKNOWN); // a plain map: defaults
    assertThat(kind("apps/v1", "Deployment", "status", "conditions").mergeKey()).isEqualTo("type");
    assertThat(kind("v1", "Pod", "status", "conditions").mergeKey()).isEqualTo("type");
    assertThat(kind("v1", "Node", "status", "conditions").mergeKey()).isEqualTo("type");
    assertThat(kind("v1", "Node", "status", "addresses").mergeKey()).isEqualTo("type");
    assertThat(kind("v1", "Node", "spec", "taints").patchStrategy()).isEmpty();
    assertThat(kind("v1", "Node", "spec", "podCIDRs").listType()).isEqualTo(ListType.SET);
  }

  @Test
  void otherKinds() {
    assertThat(kind("v1", "Service", "spec", "ports").mergeKey()).isEqualTo("port");
    assertThat(kind("v1", "Service", "spec", "ports").listMapKeys()).containsExactly("port", "protocol");
    assertThat(kind("v1", "ServiceAccount", "secrets").mergeKey()).isEqualTo("name");
    assertThat(kind("v1", "Endpoints", "subsets").patchStrategy()).isEmpty();
    assertThat(kind("apps/v1", "Deployment", "spec", "strategy").retainKeys()).isTrue();
    assertThat(kind("apps/v1", "Deployment", "spec", "strategy").patchStrategy()).isEmpty();
    assertThat(kind("policy/v1", "PodDisruptionBudget", "spec", "selector").patchStrategy()).isEqualTo("replace");
    assertThat(kind("policy/v1", "PodDisruptionBudget", "spec", "selector").atomic()).isTrue();
    assertThat(kind("v1", "PersistentVolumeClaim", "status", "conditions").mergeKey()).isEqualTo("type");
    // merged by type for strategic merge patch, yet an explicit +listType=atomic for apply
    assertThat(kind("batch/v1", "Job", "status", "conditions").mergeKey()).isEqualTo("type");
    assertThat(kind("batch/v1", "Job", "status", "conditions").listType()).isEqualTo(ListType.ATOMIC);
    assertThat(kind("v1", "Pod", "status", "hostIPs").listType()).isEqualTo(ListType.ATOMIC);
    assertThat(kind("v1", "Pod", "status", "podIPs").listType()).isEqualTo(ListType.MAP);
  }

  @Test
  void walkingNeverFails() {
    Node unknown = kind("v1", "Pod", "nope", "deeper", "[]", "x");
    assertThat(unknown).isSameAs(PatchMeta.UNKNOWN);
    assertThat(unknown.patchStrategy()).isEmpty();
    assertThat(unknown.mergeKey()).isEmpty();
    assertThat(unknown.listType()).isEqualTo(ListType.ATOMIC);
    assertThat(PatchMeta.forType("core/v1.PodSpec").child("containers").mergeKey()).isEqualTo("name");
    assertThat(PatchMeta.forType("no/v1.Such")).isNull();
    // a CRD's recursive schema walks as deep as you like
    Node props = kind("apiextensions.k8s.io/v1", "CustomResourceDefinition", "spec", "versions", "[]", "schema", "openAPIV3Schema");
    assertThat(props.typeName()).isEqualTo("apiextensions/v1.JSONSchemaProps");
  }
}
