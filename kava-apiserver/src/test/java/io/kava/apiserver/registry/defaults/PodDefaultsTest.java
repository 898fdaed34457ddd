package io.kava.apiserver.registry.defaults;

import static io.kava.apiserver.registry.defaults.Fixtures.assertDefaults;
import static io.kava.apiserver.registry.defaults.Fixtures.json;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.apiserver.registry.Defaulter;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.node.ObjectNode;

class PodDefaultsTest {
  private final Defaulter pod = KindDefaults.forKind("", "Pod");

  /** What {@code kubectl run nginx --image=nginx} sends, and the spec a real cluster stores (before admission). */
  @Test
  void kubectlRunPod() {
    assertDefaults(pod, """
        {"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"run":"nginx"},"name":"nginx"},
         "spec":{"containers":[{"image":"nginx","name":"nginx","resources":{}}],"dnsPolicy":"ClusterFirst","restartPolicy":"Always"},
         "status":{}}""", """
        {"apiVersion":"v1","kind":"Pod","metadata":{"labels":{"run":"nginx"},"name":"nginx"},
         "spec":{"containers":[{"image":"nginx","imagePullPolicy":"Always","name":"nginx","resources":{},
                                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                 "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"restartPolicy":"Always",
                 "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30},
         "status":{}}""");
  }

  /** Defaults, then the create hook and DefaultTolerationSeconds: the pod as `kubectl get pod -o json` shows it. */
  @Test
  void createdPodWithStatusAndTolerations() {
    ObjectNode p = json("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},"spec":{"containers":[{"name":"c","image":"busybox:1.36"}]}}""");
    pod.apply(p);
    KindHooks.prepareForCreate("", "Pod").apply(null, p, null);
    PodAdmissionDefaults.apply(p);
    Fixtures.assertJson(p, json("""
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p"},
         "spec":{"containers":[{"image":"busybox:1.36","imagePullPolicy":"IfNotPresent","name":"c","resources":{},
                                "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File"}],
                 "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"restartPolicy":"Always",
                 "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30,
                 "tolerations":[
                   {"effect":"NoExecute","key":"node.kubernetes.io/not-ready","operator":"Exists","tolerationSeconds":300},
                   {"effect":"NoExecute","key":"node.kubernetes.io/unreachable","operator":"Exists","tolerationSeconds":300}]},
         "status":{"phase":"Pending","qosClass":"BestEffort"}}"""));
  }

  @Test
  void pullPolicyFollowsTheTag() {
    ObjectNode p = json("""
        {"spec":{"containers":[
          {"name":"a","image":"nginx"},{"name":"b","image":"nginx:latest"},{"name":"c","image":"nginx:1.25"},
          {"name":"d","image":"nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef"},
          {"name":"e","image":"localhost:5000/app"},{"name":"f","image":"registry.local:5000/team/app:v2"},
          {"name":"g","image":"Nginx"},{"name":"h","image":"busybox","imagePullPolicy":"Never"}]}}""");
    pod.apply(p);
    assertThat(Fixtures.fields(p.at("/spec/containers"), "imagePullPolicy"))
        .containsExactly("Always", "Always", "IfNotPresent", "IfNotPresent", "Always", "IfNotPresent", "IfNotPresent", "Never");
  }

  @Test
  void containerPortsProbesEnvAndLifecycle() {
    assertDefaults(pod, """
        {"spec":{"containers":[{"name":"c","image":"app:1",
          "ports":[{"containerPort":80},{"containerPort":53,"protocol":"UDP"}],
          "env":[{"name":"NODE","valueFrom":{"fieldRef":{"fieldPath":"spec.nodeName"}}},
                 {"name":"CPU","valueFrom":{"resourceFieldRef":{"resource":"limits.cpu"}}}],
          "livenessProbe":{"httpGet":{"port":8080}},
          "readinessProbe":{"tcpSocket":{"port":80},"periodSeconds":5},
          "startupProbe":{"grpc":{"port":9000}},
          "lifecycle":{"preStop":{"httpGet":{"port":"http"}}}}]}}""", """
        {"spec":{"containers":[{"name":"c","image":"app:1","imagePullPolicy":"IfNotPresent","resources":{},
          "terminationMessagePath":"/dev/termination-log","terminationMessagePolicy":"File",
          "ports":[{"containerPort":80,"protocol":"TCP"},{"containerPort":53,"protocol":"UDP"}],
          "env":[{"name":"NODE","valueFrom":{"fieldRef":{"apiVersion":"v1","fieldPath":"spec.nodeName"}}},
                 {"name":"CPU","valueFrom":{"resourceFieldRef":{"divisor":"0","resource":"limits.cpu"}}}],
          "livenessProbe":{"httpGet":{"path":"/","port":8080,"scheme":"HTTP"},
                           "failureThreshold":3,"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1},
          "readinessProbe":{"tcpSocket":{"port":80},"failureThreshold":3,"periodSeconds":5,"successThreshold":1,"timeoutSeconds":1},
          "startupProbe":{"grpc":{"port":9000,"service":""},"failureThreshold":3,"periodSeconds":10,"successThreshold":1,"timeoutSeconds":1},
          "lifecycle":{"preStop":{"httpGet":{"path":"/","port":"http","scheme":"HTTP"}}}}],
         "dnsPolicy":"ClusterFirst","enableServiceLinks":true,"restartPolicy":"Always",
         "schedulerName":"default-scheduler","securityContext":{},"terminationGracePeriodSeconds":30}}""");
  }

  @Test
  void requestsDefaultFromLimitsAndQuantitiesAreCanonical() {
    ObjectNode p = json("""
        {"spec":{"containers":[{"name":"c","image":"app:1",
          "resources":{"limits":{"cpu":"1000m","memory":"1024Mi"},"requests":{"cpu":0.5}}}],
          "initContainers":[{"name":"i","image":"app:1","resources":{"limits":{"cpu":"0.0001"}}}]}}""");
    pod.apply(p);
    Fixtures.assertJson(p.at("/spec/containers/0/resources"), json("""
        {"limits":{"cpu":"1","memory":"1Gi"},"requests":{"cpu":"500m","memory":"1Gi"}}"""));
    Fixtures.assertJson(p.at("/spec/initContainers/0/resources"), json("""
        {"limits":{"cpu":"1m"},"requests":{"cpu":"1m"}}"""));
    KindHooks.prepareForCreate("", "Pod").apply(null, p, null);
    assertThat(p.at("/status/qosClass").asString()).isEqualTo("Burstable");
  }

  @Test
  void guaranteedQosWhenRequestsEqualLimits() {
    ObjectNode p = json("""
        {"spec":{"containers":[{"name":"c","image":"app:1","resources":{"limits":{"cpu":"1","memory":"1Gi"}}}]}}""");
    pod.apply(p);
    assertThat(KindHooks.qosClass(p)).isEqualTo("Guaranteed");
  }

  @Test
  void volumeDefaults() {
    ObjectNode p = json("""
        {"spec":{"containers":[{"name":"c","image":"app:1"}],"volumes":[
          {"name":"scratch"},
          {"name":"cache","emptyDir":{"sizeLimit":"1024Mi"}},
          {"name":"host","hostPath":{"path":"/data"}},
          {"name":"cfg","configMap":{"name":"cfg"}},
          {"name":"sec","secret":{"secretName":"sec","defaultMode":256}},
          {"name":"info","downwardAPI":{"items":[{"path":"labels","fieldRef":{"fieldPath":"metadata.labels"}}]}},
          {"name":"proj","projected":{"sources":[{"serviceAccountToken":{"path":"token"}},
             {"downwardAPI":{"items":[{"path":"ns","fieldRef":{"fieldPath":"metadata.namespace"}}]}}]}},
          {"name":"eph","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],"resources":{"requests":{"storage":"1000Mi"}}}}}}]}}""");
    pod.apply(p);
    Fixtures.assertJson(p.at("/spec/volumes"), Fixtures.JSON.readTree("""
        [{"name":"scratch","emptyDir":{}},
         {"name":"cache","emptyDir":{"sizeLimit":"1Gi"}},
         {"name":"host","hostPath":{"path":"/data","type":""}},
         {"name":"cfg","configMap":{"name":"cfg","defaultMode":420}},
         {"name":"sec","secret":{"secretName":"sec","defaultMode":256}},
         {"name":"info","downwardAPI":{"defaultMode":420,"items":[{"path":"labels","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.labels"}}]}},
         {"name":"proj","projected":{"defaultMode":420,"sources":[{"serviceAccountToken":{"expirationSeconds":3600,"path":"token"}},
            {"downwardAPI":{"items":[{"path":"ns","fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"}}]}}]}},
         {"name":"eph","ephemeral":{"volumeClaimTemplate":{"spec":{"accessModes":["ReadWriteOnce"],
            "resources":{"requests":{"storage":"1000Mi"}},"volumeMode":"Filesystem"}}}}]"""));
  }

  @Test
  void hostNetworkPodsGetHostPorts() {
    ObjectNode p = json("""
        {"spec":{"hostNetwork":true,"containers":[{"name":"c","image":"app:1","ports":[{"containerPort":8080}]}]}}""");
    pod.apply(p);
    assertThat(p.at("/spec/containers/0/ports/0/hostPort").asInt()).isEqualTo(8080);
  }

  @Test
  void explicitZerosOfPointerFieldsAreKept() {
    ObjectNode p = json("""
        {"spec":{"terminationGracePeriodSeconds":0,"enableServiceLinks":false,"containers":[{"name":"c","image":"app:1"}]}}""");
    pod.apply(p);
    assertThat(p.at("/spec/terminationGracePeriodSeconds").asInt()).isZero();
    assertThat(p.at("/spec/enableServiceLinks").asBoolean()).isFalse();
  }

  @Test
  void templatesGetPodSpecDefaultsOnly() {
    ObjectNode pt = json("""
        {"template":{"spec":{"containers":[{"name":"c","image":"app:1","resources":{"limits":{"cpu":"1"}}}]}}}""");
    KindDefaults.forKind("", "PodTemplate").apply(pt);
    assertThat(pt.at("/template/spec/enableServiceLinks").isMissingNode()).isTrue();
    assertThat(pt.at("/template/spec/containers/0/resources/requests").isMissingNode()).isTrue();
    assertThat(pt.at("/template/spec/schedulerName").asString()).isEqualTo("default-scheduler");
  }
}
