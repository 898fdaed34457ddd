package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.NOW;
import static io.kava.apiserver.table.TableTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class TableConvertorsTest {
  private static final String[][] KINDS = {
      {"", "Pod"}, {"", "PodTemplate"}, {"", "Namespace"}, {"", "Node"}, {"", "Service"}, {"", "Endpoints"},
      {"", "ConfigMap"}, {"", "Secret"}, {"", "ServiceAccount"}, {"", "Event"}, {"", "PersistentVolume"},
      {"", "PersistentVolumeClaim"}, {"", "ResourceQuota"}, {"", "ReplicationController"},
      {"", "ComponentStatus"}, {"", "LimitRange"},
      {"apps", "Deployment"}, {"apps", "ReplicaSet"}, {"apps", "StatefulSet"}, {"apps", "DaemonSet"},
      {"apps", "ControllerRevision"}, {"batch", "Job"}, {"batch", "CronJob"},
      {"networking.k8s.io", "Ingress"}, {"networking.k8s.io", "IngressClass"},
      {"networking.k8s.io", "NetworkPolicy"}, {"networking.k8s.io", "ServiceCIDR"},
      {"networking.k8s.io", "IPAddress"}, {"discovery.k8s.io", "EndpointSlice"}, {"events.k8s.io", "Event"},
      {"storage.k8s.io", "StorageClass"}, {"storage.k8s.io", "VolumeAttachment"}, {"storage.k8s.io", "CSIDriver"},
      {"storage.k8s.io", "CSINode"}, {"storage.k8s.io", "VolumeAttributesClass"},
      {"storage.k8s.io", "CSIStorageCapacity"},
      {"rbac.authorization.k8s.io", "Role"}, {"rbac.authorization.k8s.io", "ClusterRole"},
      {"rbac.authorization.k8s.io", "RoleBinding"}, {"rbac.authorization.k8s.io", "ClusterRoleBinding"},
      {"coordination.k8s.io", "Lease"}, {"coordination.k8s.io", "LeaseCandidate"},
      {"policy", "PodDisruptionBudget"}, {"scheduling.k8s.io", "PriorityClass"}, {"node.k8s.io", "RuntimeClass"},
      {"autoscaling", "HorizontalPodAutoscaler"}, {"autoscaling", "Scale"},
      {"certificates.k8s.io", "CertificateSigningRequest"}, {"certificates.k8s.io", "ClusterTrustBundle"},
      {"admissionregistration.k8s.io", "MutatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingWebhookConfiguration"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicy"},
      {"admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding"},
      {"admissionregistration.k8s.io", "MutatingAdmissionPolicy"},
      {"admissionregistration.k8s.io", "MutatingAdmissionPolicyBinding"},
      {"flowcontrol.apiserver.k8s.io", "FlowSchema"}, {"flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration"},
      {"internal.apiserver.k8s.io", "StorageVersion"}, {"resource.k8s.io", "DeviceClass"},
      {"resource.k8s.io", "ResourceClaim"}, {"resource.k8s.io", "ResourceClaimTemplate"},
      {"resource.k8s.io", "ResourceSlice"}, {"apiregistration.k8s.io", "APIService"},
      {"apiextensions.k8s.io", "CustomResourceDefinition"}, {"example.com", "Widget"},
  };

  @Test
  void everyConvertorCopesWithEmptyObjects() {
    JsonNode empty = json("{}");
    JsonNode named = json("{\"metadata\":{\"name\":\"x\"},\"spec\":null,\"status\":{}}");
    for (String[] k : KINDS) {
      TableConvertor c = TableConvertors.forKind(k[0], k[1]);
      for (JsonNode o : List.of(empty, named)) {
        List<Object> cells = c.cells(o, NOW);
        assertThat(cells).as("%s/%s", k[0], k[1]).hasSameSizeAs(c.columns());
      }
      assertThat(c.columns()).as("%s/%s", k[0], k[1]).allSatisfy(col -> {
        assertThat(col.name()).isNotBlank();
        assertThat(col.type()).isIn("string", "integer", "number", "boolean", "date");
        assertThat(col.priority()).isBetween(0, 1);
      });
    }
  }

  /** Fields of unexpected JSON types (stored objects are validated, but a printer must never throw). */
  private static final String ODD = """
      {"metadata":{"name":"odd","labels":{"a":{"b":1},"node-role.kubernetes.io/x":[1]},"annotations":[1],
         "creationTimestamp":5,"deletionTimestamp":"not a time","ownerReferences":{"x":1}},
       "spec":{"replicas":"three","ports":{"a":1},"selector":[1],"containers":{},"initContainers":[1,"x",{}],
         "type":{},"clusterIPs":[{}],"externalIPs":[[1]],"accessModes":[{}],"capacity":{"storage":{}},
         "rules":[1],"tls":{},"template":[],"completions":99999999999999999999999,"parallelism":1.5,
         "readinessGates":[1],"jobTemplate":"x","podSelector":{"matchExpressions":[1]},"metrics":[1,{}],
         "resources":{"requests":[]},"volumeLifecycleModes":"x","tokenRequests":{},"parameters":[],
         "claimRef":"x","subjects":[1]},
       "status":{"phase":{},"conditions":{"a":1},"hard":{"cpu":{},"pods":[1]},"used":[],
         "containerStatuses":[1,"x",{},{"state":{"waiting":[]},"lastState":{"terminated":{"finishedAt":7}}}],
         "initContainerStatuses":[{"state":{"terminated":{"exitCode":"x","signal":{}}}}],
         "loadBalancer":{"ingress":[{"ip":{}},1]},"podIPs":[{"ip":[]}],"active":{},"capacity":[],
         "currentMetrics":[1],"addresses":[1,{"type":"InternalIP","address":{}}]},
       "subsets":[{"addresses":[{}],"ports":[{}]},1],"endpoints":[{"addresses":[{}]}],"ports":[1,{}],
       "data":"x","binaryData":[],"secrets":{},"roleRef":[],"webhooks":{},
       "involvedObject":"x","source":[],"series":{"count":"x"}}""";

  @Test
  void oddlyTypedFieldsDoNotThrow() {
    JsonNode odd = json(ODD);
    for (String[] k : KINDS) {
      TableConvertor c = TableConvertors.forKind(k[0], k[1]);
      assertThat(c.cells(odd, NOW)).as("%s/%s", k[0], k[1]).hasSameSizeAs(c.columns());
    }
    TableConvertor cr = TableConvertors.forCustomResource(json("""
        [{"name":"A","type":"integer","jsonPath":".spec.completions"},
         {"name":"B","type":"string","jsonPath":".spec.rules[0]"},
         {"name":"C","type":"date","jsonPath":".metadata.creationTimestamp"},
         {"name":"D","type":"string","jsonPath":".spec[?(@.x"}]"""));
    assertThat(cr.cells(odd, NOW)).containsExactly("odd", null, "1", null, null);
  }

  @Test
  void cellsAreOnlyStringsNumbersAndBooleans() {
    JsonNode named = json("{\"metadata\":{\"name\":\"x\",\"creationTimestamp\":\"2024-06-01T11:55:00Z\"}}");
    for (String[] k : KINDS) {
      for (Object cell : TableConvertors.forKind(k[0], k[1]).cells(named, NOW)) {
        assertThat(cell).as("%s/%s", k[0], k[1]).isInstanceOfAny(String.class, Long.class, Boolean.class);
      }
    }
  }

  @Test
  void nameCellIsTheObjectName() {
    JsonNode named = json("{\"metadata\":{\"name\":\"obj-1\"}}");
    for (String[] k : KINDS) {
      TableConvertor c = TableConvertors.forKind(k[0], k[1]);
      int idx = -1;
      for (int i = 0; i < c.columns().size(); i++) {
        if (c.columns().get(i).name().equals("Name")) {
          idx = i;
        }
      }
      assertThat(idx).as("%s/%s has a Name column", k[0], k[1]).isGreaterThanOrEqualTo(0);
      assertThat(c.cells(named, NOW).get(idx)).as("%s/%s", k[0], k[1]).isEqualTo("obj-1");
    }
  }

  @Test
  void unknownKindsGetTheDefault() {
    assertThat(TableConvertors.forKind("example.com", "Widget")).isSameAs(DefaultTableConvertor.INSTANCE);
    assertThat(TableConvertors.printerFor("example.com", "Widget")).isEmpty();
    assertThat(TableConvertors.printerFor("", "Pod")).isPresent();
    assertThat(TableConvertors.forKind("apps", "Pod")).isSameAs(DefaultTableConvertor.INSTANCE);
    TableConvertor d = TableConvertors.defaultConvertor();
    assertThat(d.columns()).extracting(TableColumn::name, TableColumn::type, TableColumn::format)
        .containsExactly(org.assertj.core.groups.Tuple.tuple("Name", "string", "name"),
            org.assertj.core.groups.Tuple.tuple("Created At", "date", ""));
    assertThat(d.cells(json("{\"metadata\":{\"name\":\"w\"}}"), NOW))
        .containsExactly("w", "0001-01-01T00:00:00Z");
    assertThat(d.cells(json("{\"metadata\":{\"name\":\"w\",\"creationTimestamp\":\"2024-01-02T03:04:05+02:00\"}}"),
        NOW)).containsExactly("w", "2024-01-02T01:04:05Z");
  }
}
