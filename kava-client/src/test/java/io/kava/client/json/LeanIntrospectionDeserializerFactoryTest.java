package io.kava.client.json;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.KubernetesResource;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;
import io.kava.client.ClientSerialization;
import org.junit.jupiter.api.Test;

/** fabric8's serialization on a mapper with the lean factory decodes exactly what fabric8's default decodes. */
class LeanIntrospectionDeserializerFactoryTest {
  private final KubernetesSerialization lean = ClientSerialization.create();
  private final KubernetesSerialization plain = new KubernetesSerialization();

  static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"web","namespace":"dev","labels":{"app":"web"},"annotations":{"a":"b"},
        "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"web-1","uid":"u","controller":true,"blockOwnerDeletion":true}],
        "creationTimestamp":"2026-11-28T07:00:00Z","finalizers":["x/y"],"somethingNew":{"nested":[1,2]}},
       "spec":{"nodeName":"n1","restartPolicy":"Always","terminationGracePeriodSeconds":30,"priority":0,
        "containers":[{"name":"c","image":"busybox","command":["sh","-c","sleep 1"],"args":[],
          "env":[{"name":"A","value":"1"},{"name":"B","valueFrom":{"fieldRef":{"fieldPath":"status.podIP"}}}],
          "ports":[{"name":"http","containerPort":8080,"protocol":"TCP"}],
          "resources":{"requests":{"cpu":"100m","memory":"64Mi"},"limits":{"memory":"1Gi"}},
          "livenessProbe":{"httpGet":{"path":"/","port":"http"},"periodSeconds":2},
          "readinessProbe":{"grpc":{"port":9000,"service":null},"timeoutSeconds":1},
          "securityContext":{"runAsUser":1000,"capabilities":{"add":["NET_ADMIN"]}},"futureField":true}],
        "volumes":[{"name":"v","configMap":{"name":"cm","defaultMode":420,"items":[{"key":"k","path":"p"}]}},{"name":"e","emptyDir":{}}],
        "tolerations":[{"key":"k","operator":"Exists","effect":"NoExecute","tolerationSeconds":300}],
        "affinity":{"nodeAffinity":{"requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
          {"matchExpressions":[{"key":"zone","operator":"In","values":["a"]}]}]}}}},
       "status":{"phase":"Running","podIP":"10.0.0.5","podIPs":[{"ip":"10.0.0.5"}],"conditions":[{"type":"Ready","status":"True"}],
        "containerStatuses":[{"name":"c","ready":true,"restartCount":2,"image":"busybox","imageID":"sha256:1",
          "state":{"running":{"startedAt":"2026-11-28T07:00:01Z"}},"lastState":{"terminated":{"exitCode":1,"reason":"Error"}}}]}}""";

  static final String DEPLOYMENT = """
      {"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"web","generation":3},
       "spec":{"replicas":3,"selector":{"matchLabels":{"app":"web"}},"strategy":{"type":"RollingUpdate",
        "rollingUpdate":{"maxSurge":"25%","maxUnavailable":1}},"template":{"metadata":{"labels":{"app":"web"}},
        "spec":{"containers":[{"name":"c","image":"nginx"}]}}},
       "status":{"replicas":3,"availableReplicas":2,"conditions":[{"type":"Available","status":"False","reason":"MinimumReplicasUnavailable"}]}}""";

  static final String SERVICE = """
      {"apiVersion":"v1","kind":"Service","metadata":{"name":"web"},"spec":{"type":"NodePort","clusterIP":"10.96.0.10",
       "ports":[{"port":80,"targetPort":"http","nodePort":30080,"protocol":"TCP"}],"selector":{"app":"web"}}}""";

  static final String LEASE = """
      {"apiVersion":"coordination.k8s.io/v1","kind":"Lease","metadata":{"name":"n1"},
       "spec":{"holderIdentity":"n1","leaseDurationSeconds":40,"renewTime":"2026-11-28T07:00:00.123456Z"}}""";

  @Test
  void decodesEveryFieldAsJacksonsOwnFactoryDoes() {
    assertSame(POD, Pod.class);
    assertSame(DEPLOYMENT, Deployment.class);
    assertSame(SERVICE, Service.class);
    assertSame(LEASE, Lease.class);
    Pod p = lean.unmarshal(POD, Pod.class);
    assertThat(p.getSpec().getContainers().getFirst().getResources().getRequests().get("cpu")).isEqualTo(new Quantity("100m"));
    assertThat(p.getMetadata().getAdditionalProperties()).containsKey("somethingNew");
    assertThat(p.getSpec().getContainers().getFirst().getAdditionalProperties()).containsEntry("futureField", true);
    assertThat(p.getSpec().getContainers().getFirst().getLivenessProbe().getHttpGet().getPort().getStrVal()).isEqualTo("http");
  }

  @Test
  void rejectsWhatJacksonsOwnFactoryRejects() {
    String bad = "{\"apiVersion\":\"v1\",\"kind\":\"Pod\",\"spec\":{\"containers\":\"not a list\"}}";
    assertThatThrownBy(() -> plain.unmarshal(bad, Pod.class)).isInstanceOf(RuntimeException.class);
    assertThatThrownBy(() -> lean.unmarshal(bad, Pod.class)).isInstanceOf(RuntimeException.class);
  }

  private void assertSame(String json, Class<? extends KubernetesResource> type) {
    Object a = lean.unmarshal(json, type);
    Object b = plain.unmarshal(json, type);
    assertThat(a).isEqualTo(b);
    assertThat(lean.asJson(a)).isEqualTo(plain.asJson(b));
  }
}
