package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.cells;
import static io.kava.apiserver.table.TableTestSupport.columnNames;
import static io.kava.apiserver.table.TableTestSupport.wideColumnNames;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CoreTableConvertorsTest {
  private static final String META = "\"creationTimestamp\":\"2024-06-01T11:55:00Z\"";

  @Test
  void namespace() {
    assertThat(columnNames("", "Namespace")).containsExactly("Name", "Status", "Age");
    assertThat(cells("", "Namespace", """
        {"metadata":{"name":"kube-system",%s},"status":{"phase":"Active"}}""".formatted(META)))
        .containsExactly("kube-system", "Active", "5m");
    assertThat(TableConvertors.forKind("core", "Namespace")).isSameAs(TableConvertors.forKind("", "Namespace"));
  }

  @Test
  void node() {
    assertThat(columnNames("", "Node")).containsExactly("Name", "Status", "Roles", "Age", "Version",
        "Internal-IP", "External-IP", "OS-Image", "Kernel-Version", "Container-Runtime");
    assertThat(wideColumnNames("", "Node")).containsExactly("Internal-IP", "External-IP", "OS-Image",
        "Kernel-Version", "Container-Runtime");
    assertThat(cells("", "Node", """
        {"metadata":{"name":"n1",%s,"labels":{"node-role.kubernetes.io/control-plane":"",
           "node-role.kubernetes.io/worker":"","kubernetes.io/hostname":"n1"}},
         "spec":{"unschedulable":true},
         "status":{"conditions":[{"type":"MemoryPressure","status":"False"},{"type":"Ready","status":"True"}],
           "addresses":[{"type":"InternalIP","address":"192.168.1.10"},{"type":"Hostname","address":"n1"}],
           "nodeInfo":{"kubeletVersion":"v1.33.1","osImage":"Ubuntu 24.04 LTS","kernelVersion":"6.8.0",
             "containerRuntimeVersion":"containerd://2.0.0"}}}""".formatted(META)))
        .containsExactly("n1", "Ready,SchedulingDisabled", "control-plane,worker", "5m", "v1.33.1",
            "192.168.1.10", "<none>", "Ubuntu 24.04 LTS", "6.8.0", "containerd://2.0.0");
    assertThat(cells("", "Node", """
        {"metadata":{"name":"n2","labels":{"kubernetes.io/role":"edge"}},
         "status":{"conditions":[{"type":"Ready","status":"Unknown"}],
           "addresses":[{"type":"ExternalIP","address":"1.1.1.1"}]}}"""))
        .containsExactly("n2", "NotReady", "edge", "<unknown>", "", "<none>", "1.1.1.1", "<unknown>", "<unknown>",
            "<unknown>");
    assertThat(cells("", "Node", "{\"metadata\":{\"name\":\"n3\"}}").subList(0, 3))
        .containsExactly("n3", "Unknown", "<none>");
  }

  private static List<Object> service(String spec, String status) {
    return cells("", "Service", """
        {"metadata":{"name":"svc",%s},"spec":%s,"status":%s}""".formatted(META, spec, status));
  }

  @Test
  void serviceColumns() {
    assertThat(columnNames("", "Service")).containsExactly("Name", "Type", "Cluster-IP", "External-IP", "Port(s)",
        "Age", "Selector");
    assertThat(wideColumnNames("", "Service")).containsExactly("Selector");
  }

  @Test
  void serviceClusterIP() {
    assertThat(service("""
        {"type":"ClusterIP","clusterIP":"10.96.0.10","clusterIPs":["10.96.0.10"],
         "ports":[{"name":"dns","port":53,"protocol":"UDP","targetPort":53},
                  {"name":"dns-tcp","port":53,"protocol":"TCP","targetPort":53}],
         "selector":{"k8s-app":"kube-dns","app":"dns"}}""", "{}"))
        .containsExactly("svc", "ClusterIP", "10.96.0.10", "<none>", "53/UDP,53/TCP", "5m",
            "app=dns,k8s-app=kube-dns");
  }

  @Test
  void serviceNodePortAndExternalIPs() {
    assertThat(service("""
        {"type":"NodePort","clusterIPs":["10.96.1.1"],"externalIPs":["1.2.3.4","5.6.7.8"],
         "ports":[{"port":80,"nodePort":30080,"protocol":"TCP"},{"port":443,"protocol":"TCP"}]}""", "{}"))
        .containsExactly("svc", "NodePort", "10.96.1.1", "1.2.3.4,5.6.7.8", "80:30080/TCP,443/TCP", "5m", "<none>");
  }

  @Test
  void serviceLoadBalancer() {
    String spec = """
        {"type":"LoadBalancer","clusterIPs":["10.96.2.2"],"ports":[{"port":80,"nodePort":31000,"protocol":"TCP"}]}""";
    assertThat(service(spec, "{}").get(3)).isEqualTo("<pending>");
    assertThat(service(spec, "{\"loadBalancer\":{}}").get(3)).isEqualTo("<pending>");
    // sorted, de-duplicated, never clipped (the server renders wide)
    assertThat(service(spec, """
        {"loadBalancer":{"ingress":[{"ip":"3.4.5.6"},{"ip":"2.3.4.5"},{"ip":"5.6.7.8","hostname":"h"},
                                    {"hostname":"lb.example.com"}]}}""").get(3))
        .isEqualTo("2.3.4.5,3.4.5.6,5.6.7.8,lb.example.com");
    assertThat(service("""
        {"type":"LoadBalancer","clusterIPs":["10.96.2.2"],"externalIPs":["9.9.9.9"],
         "ports":[{"port":80,"protocol":"TCP"}]}""", """
        {"loadBalancer":{"ingress":[{"ip":"2.3.4.5"}]}}""").get(3)).isEqualTo("2.3.4.5,9.9.9.9");
  }

  @Test
  void serviceExternalNameAndHeadless() {
    assertThat(service("{\"type\":\"ExternalName\",\"externalName\":\"example.com\"}", "{}"))
        .containsExactly("svc", "ExternalName", "<none>", "example.com", "<none>", "5m", "<none>");
    assertThat(service("""
        {"type":"ClusterIP","clusterIP":"None","clusterIPs":["None"],"ports":[{"port":5432}]}""", "{}")
        .subList(1, 5)).containsExactly("ClusterIP", "None", "<none>", "5432/TCP");
  }

  @Test
  void endpoints() {
    assertThat(columnNames("", "Endpoints")).containsExactly("Name", "Endpoints", "Age");
    assertThat(cells("", "Endpoints", """
        {"metadata":{"name":"e",%s},"subsets":[
          {"addresses":[{"ip":"10.0.0.1"},{"ip":"10.0.0.2"}],"ports":[{"name":"http","port":80},{"port":443}]},
          {"addresses":[{"ip":"fd00::1"}],"ports":[{"port":8080}]}]}""".formatted(META)))
        .containsExactly("e", "10.0.0.1:80,10.0.0.2:80,10.0.0.1:443 + 2 more...", "5m");
    assertThat(cells("", "Endpoints", """
        {"metadata":{"name":"e"},"subsets":[{"addresses":[{"ip":"fd00::1"}],"ports":[{"port":8080}]},
          {"addresses":[{"ip":"10.1.1.1"}]}]}""").get(1)).isEqualTo("[fd00::1]:8080,10.1.1.1");
    assertThat(cells("", "Endpoints", "{\"metadata\":{\"name\":\"e\"}}").get(1)).isEqualTo("<none>");
  }

  @Test
  void configMapSecretServiceAccount() {
    assertThat(columnNames("", "ConfigMap")).containsExactly("Name", "Data", "Age");
    assertThat(cells("", "ConfigMap", """
        {"metadata":{"name":"cm",%s},"data":{"a":"1","b":"2"},"binaryData":{"c":"AA=="}}""".formatted(META)))
        .containsExactly("cm", 3L, "5m");
    assertThat(columnNames("", "Secret")).containsExactly("Name", "Type", "Data", "Age");
    assertThat(cells("", "Secret", """
        {"metadata":{"name":"s",%s},"type":"kubernetes.io/tls","data":{"tls.crt":"eA==","tls.key":"eA=="}}"""
        .formatted(META))).containsExactly("s", "kubernetes.io/tls", 2L, "5m");
    assertThat(columnNames("", "ServiceAccount")).containsExactly("Name", "Secrets", "Age");
    assertThat(cells("", "ServiceAccount", """
        {"metadata":{"name":"default",%s}}""".formatted(META))).containsExactly("default", 0L, "5m");
    assertThat(cells("", "ServiceAccount", """
        {"metadata":{"name":"old"},"secrets":[{"name":"old-token-x"}]}""").get(1)).isEqualTo(1L);
  }

  @Test
  void coreEvent() {
    assertThat(columnNames("", "Event")).containsExactly("Last Seen", "Type", "Reason", "Object", "Subobject",
        "Source", "Message", "First Seen", "Count", "Name");
    assertThat(wideColumnNames("", "Event")).containsExactly("Subobject", "Source", "First Seen", "Count",
        "Name");
    assertThat(TableConvertors.forKind("", "Event").columns().get(9).format()).isEqualTo("name");
    assertThat(cells("", "Event", """
        {"metadata":{"name":"web.17d","namespace":"default"},
         "involvedObject":{"kind":"Pod","name":"web","fieldPath":"spec.containers{app}"},
         "reason":"Pulled","message":"Successfully pulled image \\"nginx\\"\\n","type":"Normal",
         "source":{"component":"kubelet","host":"node-1"},
         "firstTimestamp":"2024-06-01T11:50:00Z","lastTimestamp":"2024-06-01T11:58:00Z","count":4}"""))
        .containsExactly("2m", "Normal", "Pulled", "pod/web", "spec.containers{app}", "kubelet, node-1",
            "Successfully pulled image \"nginx\"", "10m", 4L, "web.17d");
  }

  @Test
  void newStyleEventsInBothGroups() {
    // A core/v1 event written through events.k8s.io: eventTime, series, reportingComponent.
    assertThat(cells("", "Event", """
        {"metadata":{"name":"e1"},"involvedObject":{"kind":"Node","name":"n1"},"reason":"Starting",
         "type":"Normal","eventTime":"2024-06-01T11:40:00.000000Z",
         "series":{"count":7,"lastObservedTime":"2024-06-01T11:59:30.000000Z"},
         "reportingComponent":"kubelet","reportingInstance":"n1","source":{}}"""))
        .containsExactly("30s", "Normal", "Starting", "node/n1", "", "kubelet, n1", "", "20m", 7L, "e1");
    // The same event as events.k8s.io/v1 serves it.
    assertThat(cells("events.k8s.io", "Event", """
        {"apiVersion":"events.k8s.io/v1","kind":"Event","metadata":{"name":"e1"},
         "regarding":{"kind":"Node","name":"n1"},"reason":"Starting","type":"Normal","note":"  started  ",
         "eventTime":"2024-06-01T11:40:00.000000Z",
         "series":{"count":7,"lastObservedTime":"2024-06-01T11:59:30.000000Z"},
         "reportingController":"kubelet","reportingInstance":"n1"}"""))
        .containsExactly("30s", "Normal", "Starting", "node/n1", "", "kubelet, n1", "started", "20m", 7L, "e1");
    // A singleton new-style event counts 1; deprecated timestamps are used when present.
    assertThat(cells("events.k8s.io", "Event", """
        {"metadata":{"name":"e2"},"regarding":{"kind":"Pod"},"reason":"X","type":"Warning",
         "deprecatedFirstTimestamp":"2024-06-01T11:00:00Z","deprecatedLastTimestamp":"2024-06-01T11:30:00Z",
         "deprecatedSource":{"component":"scheduler"}}"""))
        .containsExactly("30m", "Warning", "X", "pod", "", "scheduler", "", "60m", 1L, "e2");
  }

  @Test
  void persistentVolume() {
    assertThat(columnNames("", "PersistentVolume")).containsExactly("Name", "Capacity", "Access Modes",
        "Reclaim Policy", "Status", "Claim", "StorageClass", "VolumeAttributesClass", "Reason", "Age",
        "VolumeMode");
    assertThat(cells("", "PersistentVolume", """
        {"metadata":{"name":"pv1",%s},
         "spec":{"capacity":{"storage":"1024Mi"},"accessModes":["ReadWriteMany","ReadWriteOnce","ReadWriteOnce"],
           "persistentVolumeReclaimPolicy":"Retain","storageClassName":"standard","volumeMode":"Filesystem",
           "claimRef":{"namespace":"default","name":"data"}},
         "status":{"phase":"Bound"}}""".formatted(META)))
        .containsExactly("pv1", "1Gi", "RWO,RWX", "Retain", "Bound", "default/data", "standard", "<unset>", "",
            "5m", "Filesystem");
    assertThat(cells("", "PersistentVolume", """
        {"metadata":{"name":"pv2","deletionTimestamp":"2024-06-01T11:59:00Z",
           "annotations":{"volume.beta.kubernetes.io/storage-class":"beta"}},
         "spec":{"storageClassName":"ignored","volumeAttributesClassName":"gold"},
         "status":{"phase":"Released","reason":"Failed"}}"""))
        .containsExactly("pv2", "0", "", "Retain", "Terminating", "", "beta", "gold", "Failed", "<unknown>",
            "Filesystem");
  }

  @Test
  void persistentVolumeClaim() {
    assertThat(columnNames("", "PersistentVolumeClaim")).containsExactly("Name", "Status", "Volume", "Capacity",
        "Access Modes", "StorageClass", "VolumeAttributesClass", "Age", "VolumeMode");
    assertThat(cells("", "PersistentVolumeClaim", """
        {"metadata":{"name":"data",%s},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}},
           "storageClassName":"standard","volumeName":"pvc-123","volumeMode":"Filesystem"},
         "status":{"phase":"Bound","accessModes":["ReadWriteOnce"],"capacity":{"storage":"2Gi"}}}"""
        .formatted(META)))
        .containsExactly("data", "Bound", "pvc-123", "2Gi", "RWO", "standard", "<unset>", "5m", "Filesystem");
    assertThat(cells("", "PersistentVolumeClaim", """
        {"metadata":{"name":"pending"},
         "spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1Gi"}}},
         "status":{"phase":"Pending"}}"""))
        .containsExactly("pending", "Pending", "", "", "", "", "<unset>", "<unknown>", "Filesystem");
  }

  @Test
  void absentFieldsPrintTheirV1Defaults() {
    assertThat(cells("", "Secret", "{\"metadata\":{\"name\":\"s\"}}").get(1)).isEqualTo("Opaque");
    assertThat(cells("", "Service", "{\"metadata\":{\"name\":\"s\"},\"spec\":{\"ports\":[{\"port\":80}]}}")
        .subList(1, 5)).containsExactly("ClusterIP", "<none>", "<none>", "80/TCP");
    assertThat(cells("", "PersistentVolume", "{\"metadata\":{\"name\":\"pv\"}}").subList(3, 5))
        .containsExactly("Retain", "Pending");
  }

  @Test
  void resourceQuota() {
    assertThat(columnNames("", "ResourceQuota")).containsExactly("Name", "Request", "Limit", "Age");
    assertThat(cells("", "ResourceQuota", """
        {"metadata":{"name":"q",%s},
         "spec":{"hard":{"pods":"10"}},
         "status":{"hard":{"pods":"10","requests.cpu":"1000m","requests.memory":"1Gi",
                           "limits.cpu":"2","limits.memory":"2048Mi"},
                   "used":{"pods":"3","requests.cpu":"500m","limits.cpu":"0"}}}""".formatted(META)))
        .containsExactly("q", "pods: 3/10, requests.cpu: 500m/1, requests.memory: 0/1Gi",
            "limits.cpu: 0/2, limits.memory: 0/2Gi", "5m");
  }

  @Test
  void replicationControllerAndPodTemplate() {
    assertThat(columnNames("", "ReplicationController")).containsExactly("Name", "Desired", "Current", "Ready",
        "Age", "Containers", "Images", "Selector");
    assertThat(cells("", "ReplicationController", """
        {"metadata":{"name":"rc",%s},
         "spec":{"replicas":3,"selector":{"app":"web"},
           "template":{"spec":{"containers":[{"name":"web","image":"nginx:1.27"}]}}},
         "status":{"replicas":3,"readyReplicas":2}}""".formatted(META)))
        .containsExactly("rc", 3L, 3L, 2L, "5m", "web", "nginx:1.27", "app=web");
    assertThat(cells("", "PodTemplate", """
        {"metadata":{"name":"t"},"template":{"metadata":{"labels":{"b":"2","a":"1"}},
          "spec":{"containers":[{"name":"x","image":"x:1"},{"name":"y","image":"y:2"}]}}}"""))
        .containsExactly("t", "x,y", "x:1,y:2", "a=1,b=2");
  }

  @Test
  void limitRangeUsesTheDefaultTable() {
    assertThat(TableConvertors.forKind("", "LimitRange")).isSameAs(DefaultTableConvertor.INSTANCE);
    assertThat(columnNames("", "LimitRange")).containsExactly("Name", "Created At");
    assertThat(cells("", "LimitRange", """
        {"metadata":{"name":"limits","creationTimestamp":"2024-05-01T08:30:15Z"}}"""))
        .containsExactly("limits", "2024-05-01T08:30:15Z");
  }
}
