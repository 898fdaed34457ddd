package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.cells;
import static io.kava.apiserver.table.TableTestSupport.columnNames;
import static io.kava.apiserver.table.TableTestSupport.wideColumnNames;
import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** networking, discovery, storage, rbac, coordination, policy, scheduling, autoscaling and friends. */
class OtherTableConvertorsTest {
  private static final String META = "\"creationTimestamp\":\"2024-06-01T11:55:00Z\"";

  @Test
  void ingress() {
    assertThat(columnNames("networking.k8s.io", "Ingress")).containsExactly("Name", "Class", "Hosts", "Address",
        "Ports", "Age");
    assertThat(cells("networking.k8s.io", "Ingress", """
        {"metadata":{"name":"web",%s},
         "spec":{"ingressClassName":"nginx","tls":[{"hosts":["a.example.com"]}],
           "rules":[{"host":"a.example.com"},{"host":"b.example.com"},{},{"host":"d.example.com"},
                    {"host":"e.example.com"}]},
         "status":{"loadBalancer":{"ingress":[{"ip":"192.168.1.240"},{"hostname":"lb.example.com"}]}}}"""
        .formatted(META)))
        .containsExactly("web", "nginx", "a.example.com,b.example.com,d.example.com + 2 more...",
            "192.168.1.240,lb.example.com", "80, 443", "5m");
    assertThat(cells("networking.k8s.io", "Ingress", """
        {"metadata":{"name":"default-backend"},"spec":{"defaultBackend":{"service":{"name":"x","port":{"number":80}}}}}"""))
        .containsExactly("default-backend", "<none>", "*", "", "80", "<unknown>");
  }

  @Test
  void ingressClassAndNetworkPolicy() {
    assertThat(cells("networking.k8s.io", "IngressClass", """
        {"metadata":{"name":"nginx",%s},"spec":{"controller":"k8s.io/ingress-nginx",
          "parameters":{"apiGroup":"k8s.example.com","kind":"IngressParameters","name":"external-lb"}}}"""
        .formatted(META)))
        .containsExactly("nginx", "k8s.io/ingress-nginx", "IngressParameters.k8s.example.com/external-lb", "5m");
    assertThat(cells("networking.k8s.io", "IngressClass", """
        {"metadata":{"name":"c"},"spec":{"controller":"x"}}""").get(2)).isEqualTo("<none>");
    assertThat(columnNames("networking.k8s.io", "NetworkPolicy")).containsExactly("Name", "Pod-Selector", "Age");
    assertThat(cells("networking.k8s.io", "NetworkPolicy", """
        {"metadata":{"name":"deny-all",%s},"spec":{"podSelector":{}}}""".formatted(META)))
        .containsExactly("deny-all", "<none>", "5m");
    assertThat(cells("networking.k8s.io", "NetworkPolicy", """
        {"metadata":{"name":"np"},"spec":{"podSelector":{"matchLabels":{"role":"db"}}}}""").get(1))
        .isEqualTo("role=db");
  }

  @Test
  void endpointSlice() {
    assertThat(columnNames("discovery.k8s.io", "EndpointSlice")).containsExactly("Name", "AddressType", "Ports",
        "Endpoints", "Age");
    assertThat(cells("discovery.k8s.io", "EndpointSlice", """
        {"metadata":{"name":"web-abc",%s},"addressType":"IPv4",
         "ports":[{"name":"http","port":80,"protocol":"TCP"},{"name":"named"},{},{"port":9090}],
         "endpoints":[{"addresses":["10.0.0.1"]},{"addresses":["10.0.0.2","10.0.0.3"]},{"addresses":["10.0.0.4"]}]}"""
        .formatted(META)))
        .containsExactly("web-abc", "IPv4", "80,named,* + 1 more...", "10.0.0.1,10.0.0.2,10.0.0.3 + 1 more...",
            "5m");
    assertThat(cells("discovery.k8s.io", "EndpointSlice", """
        {"metadata":{"name":"empty"},"addressType":"IPv6"}"""))
        .containsExactly("empty", "IPv6", "<unset>", "<unset>", "<unknown>");
  }

  @Test
  void storageClass() {
    assertThat(columnNames("storage.k8s.io", "StorageClass")).containsExactly("Name", "Provisioner",
        "ReclaimPolicy", "VolumeBindingMode", "AllowVolumeExpansion", "Age");
    assertThat(cells("storage.k8s.io", "StorageClass", """
        {"metadata":{"name":"local-path",%s,
           "annotations":{"storageclass.kubernetes.io/is-default-class":"true"}},
         "provisioner":"rancher.io/local-path","reclaimPolicy":"Delete","volumeBindingMode":"WaitForFirstConsumer"}"""
        .formatted(META)))
        .containsExactly("local-path (default)", "rancher.io/local-path", "Delete", "WaitForFirstConsumer", false,
            "5m");
    assertThat(cells("storage.k8s.io", "StorageClass", """
        {"metadata":{"name":"fast"},"provisioner":"csi.example.com","allowVolumeExpansion":true}"""))
        .containsExactly("fast", "csi.example.com", "Delete", "Immediate", true, "<unknown>");
  }

  @Test
  void csiAndVolumeAttachments() {
    assertThat(cells("storage.k8s.io", "CSIDriver", """
        {"metadata":{"name":"csi.example.com"},"spec":{"attachRequired":false,"podInfoOnMount":true,
          "volumeLifecycleModes":["Persistent","Ephemeral"],"tokenRequests":[{"audience":"a"},{"audience":"b"}]}}"""))
        .containsExactly("csi.example.com", false, true, false, "a,b", false, "Persistent,Ephemeral", "<unknown>");
    assertThat(cells("storage.k8s.io", "CSIDriver", "{\"metadata\":{\"name\":\"d\"},\"spec\":{}}"))
        .containsExactly("d", true, false, false, "<unset>", false, "Persistent", "<unknown>");
    assertThat(cells("storage.k8s.io", "CSIDriver", """
        {"metadata":{"name":"d"},"spec":{"volumeLifecycleModes":[]}}""").get(6)).isEqualTo("<none>");
    assertThat(cells("storage.k8s.io", "VolumeAttachment", """
        {"metadata":{"name":"va"},"spec":{"attacher":"csi.example.com","nodeName":"n1",
          "source":{"persistentVolumeName":"pv1"}},"status":{"attached":true}}"""))
        .containsExactly("va", "csi.example.com", "pv1", "n1", true, "<unknown>");
    assertThat(TableConvertors.forKind("storage.k8s.io", "CSIStorageCapacity"))
        .isSameAs(DefaultTableConvertor.INSTANCE);
  }

  @Test
  void rbac() {
    assertThat(columnNames("rbac.authorization.k8s.io", "Role")).containsExactly("Name", "Created At");
    assertThat(TableConvertors.forKind("rbac.authorization.k8s.io", "ClusterRole").columns().get(1).type())
        .isEqualTo("date");
    assertThat(cells("rbac.authorization.k8s.io", "ClusterRole", """
        {"metadata":{"name":"admin","creationTimestamp":"2024-05-01T10:00:00.5Z"}}"""))
        .containsExactly("admin", "2024-05-01T10:00:00Z");
    assertThat(columnNames("rbac.authorization.k8s.io", "RoleBinding")).containsExactly("Name", "Role", "Age",
        "Users", "Groups", "ServiceAccounts");
    assertThat(wideColumnNames("rbac.authorization.k8s.io", "ClusterRoleBinding"))
        .containsExactly("Users", "Groups", "ServiceAccounts");
    assertThat(cells("rbac.authorization.k8s.io", "RoleBinding", """
        {"metadata":{"name":"rb",%s},"roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"ClusterRole",
          "name":"view"},
         "subjects":[{"kind":"User","name":"alice"},{"kind":"User","name":"bob"},{"kind":"Group","name":"devs"},
           {"kind":"ServiceAccount","namespace":"ci","name":"builder"}]}""".formatted(META)))
        .containsExactly("rb", "ClusterRole/view", "5m", "alice, bob", "devs", "ci/builder");
  }

  @Test
  void leasePdbPriorityClass() {
    assertThat(cells("coordination.k8s.io", "Lease", """
        {"metadata":{"name":"kube-scheduler",%s},"spec":{"holderIdentity":"node-1_abc","leaseDurationSeconds":15}}"""
        .formatted(META))).containsExactly("kube-scheduler", "node-1_abc", "5m");
    assertThat(cells("coordination.k8s.io", "Lease", "{\"metadata\":{\"name\":\"l\"},\"spec\":{}}").get(1))
        .isEqualTo("");

    assertThat(columnNames("policy", "PodDisruptionBudget")).containsExactly("Name", "Min Available",
        "Max Unavailable", "Allowed Disruptions", "Age");
    assertThat(cells("policy", "PodDisruptionBudget", """
        {"metadata":{"name":"pdb",%s},"spec":{"minAvailable":2},"status":{"disruptionsAllowed":1}}"""
        .formatted(META))).containsExactly("pdb", "2", "N/A", 1L, "5m");
    assertThat(cells("policy", "PodDisruptionBudget", """
        {"metadata":{"name":"pdb"},"spec":{"maxUnavailable":"25%"}}""").subList(1, 4))
        .containsExactly("N/A", "25%", 0L);

    assertThat(columnNames("scheduling.k8s.io", "PriorityClass")).containsExactly("Name", "Value",
        "Global-Default", "Age", "PreemptionPolicy");
    assertThat(cells("scheduling.k8s.io", "PriorityClass", """
        {"metadata":{"name":"system-node-critical",%s},"value":2000001000,"preemptionPolicy":"PreemptLowerPriority"}"""
        .formatted(META)))
        .containsExactly("system-node-critical", 2000001000L, false, "5m", "PreemptLowerPriority");
  }

  @Test
  void horizontalPodAutoscaler() {
    assertThat(columnNames("autoscaling", "HorizontalPodAutoscaler")).containsExactly("Name", "Reference",
        "Targets", "MinPods", "MaxPods", "Replicas", "Age");
    assertThat(cells("autoscaling", "HorizontalPodAutoscaler", """
        {"metadata":{"name":"web",%s},
         "spec":{"scaleTargetRef":{"apiVersion":"apps/v1","kind":"Deployment","name":"web"},
           "minReplicas":1,"maxReplicas":10,
           "metrics":[{"type":"Resource","resource":{"name":"cpu","target":{"type":"Utilization","averageUtilization":80}}},
             {"type":"Resource","resource":{"name":"memory","target":{"type":"AverageValue","averageValue":"512Mi"}}},
             {"type":"Pods","pods":{"metric":{"name":"qps"},"target":{"type":"AverageValue","averageValue":"1k"}}}]},
         "status":{"currentReplicas":2,"currentMetrics":[
           {"type":"Resource","resource":{"name":"cpu","current":{"averageUtilization":45,"averageValue":"90m"}}},
           {"type":"Resource","resource":{"name":"memory","current":{"averageValue":"200Mi"}}}]}}"""
        .formatted(META)))
        .containsExactly("web", "Deployment/web", "cpu: 45%/80%, memory: 200Mi/512Mi + 1 more...", "1", 10L, 2L,
            "5m");
    assertThat(cells("autoscaling", "HorizontalPodAutoscaler", """
        {"metadata":{"name":"v1"},"spec":{"scaleTargetRef":{"kind":"Deployment","name":"web"},"maxReplicas":3,
          "targetCPUUtilizationPercentage":50}}""").subList(2, 4)).containsExactly("cpu: <unknown>/50%", "1");
  }

  @Test
  void apiServiceAndCustomResourceDefinition() {
    assertThat(cells("apiregistration.k8s.io", "APIService", """
        {"metadata":{"name":"v1.apps",%s},"spec":{"group":"apps","version":"v1"},
         "status":{"conditions":[{"type":"Available","status":"True","reason":"Local"}]}}""".formatted(META)))
        .containsExactly("v1.apps", "Local", "True", "5m");
    assertThat(cells("apiregistration.k8s.io", "APIService", """
        {"metadata":{"name":"v1beta1.metrics.k8s.io"},"spec":{"service":{"namespace":"kube-system",
          "name":"metrics-server"}},
         "status":{"conditions":[{"type":"Available","status":"False","reason":"MissingEndpoints"}]}}"""))
        .containsExactly("v1beta1.metrics.k8s.io", "kube-system/metrics-server", "False (MissingEndpoints)",
            "<unknown>");
    assertThat(columnNames("apiextensions.k8s.io", "CustomResourceDefinition"))
        .containsExactly("Name", "Created At");
  }

  @Test
  void smallerKinds() {
    assertThat(cells("admissionregistration.k8s.io", "ValidatingWebhookConfiguration", """
        {"metadata":{"name":"w"},"webhooks":[{"name":"a"},{"name":"b"}]}""")).containsExactly("w", 2L, "<unknown>");
    assertThat(cells("certificates.k8s.io", "CertificateSigningRequest", """
        {"metadata":{"name":"csr-1",%s},"spec":{"signerName":"kubernetes.io/kube-apiserver-client",
          "username":"alice","expirationSeconds":86400},
         "status":{"conditions":[{"type":"Approved","status":"True"}],"certificate":"LS0t"}}""".formatted(META)))
        .containsExactly("csr-1", "5m", "kubernetes.io/kube-apiserver-client", "alice", "24h", "Approved,Issued");
    assertThat(cells("node.k8s.io", "RuntimeClass", """
        {"metadata":{"name":"gvisor"},"handler":"runsc"}""")).containsExactly("gvisor", "runsc", "<unknown>");
    assertThat(cells("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", """
        {"metadata":{"name":"global-default"},"spec":{"type":"Limited","limited":{"nominalConcurrencyShares":20,
          "limitResponse":{"type":"Queue","queuing":{"queues":128,"handSize":6,"queueLengthLimit":50}}}}}"""))
        .containsExactly("global-default", "Limited", 20L, 128L, 6L, 50L, "<unknown>");
    assertThat(cells("flowcontrol.apiserver.k8s.io", "PriorityLevelConfiguration", """
        {"metadata":{"name":"exempt"},"spec":{"type":"Exempt"}}"""))
        .containsExactly("exempt", "Exempt", "<none>", "<none>", "<none>", "<none>", "<unknown>");
    assertThat(cells("flowcontrol.apiserver.k8s.io", "FlowSchema", """
        {"metadata":{"name":"fs"},"spec":{"priorityLevelConfiguration":{"name":"workload-low"},
          "matchingPrecedence":9000,"distinguisherMethod":{"type":"ByUser"}},
         "status":{"conditions":[{"type":"Dangling","status":"False"}]}}"""))
        .containsExactly("fs", "workload-low", 9000L, "ByUser", "<unknown>", "False");
    assertThat(cells("resource.k8s.io", "ResourceClaim", """
        {"metadata":{"name":"gpu"},"status":{"allocation":{},"reservedFor":[{"name":"p"}]}}"""))
        .containsExactly("gpu", "allocated,reserved", "<unknown>");
    assertThat(cells("networking.k8s.io", "IPAddress", """
        {"metadata":{"name":"10.96.0.1"},"spec":{"parentRef":{"group":"","resource":"services",
          "namespace":"default","name":"kubernetes"}}}""")).containsExactly("10.96.0.1", "services/default/kubernetes");
    assertThat(cells("admissionregistration.k8s.io", "ValidatingAdmissionPolicyBinding", """
        {"metadata":{"name":"b"},"spec":{"policyName":"p","paramRef":{"selector":{"matchLabels":{"a":"b"},
          "matchExpressions":[{"key":"k","operator":"In","values":["x","y"]}]}}}}""").get(2))
        .isEqualTo("&LabelSelector{MatchLabels:map[string]string{a: b,},MatchExpressions:"
            + "[]LabelSelectorRequirement{LabelSelectorRequirement{Key:k,Operator:In,Values:[x y],},},}");
  }
}
