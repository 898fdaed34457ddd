package io.kava.apiserver.registry.kinds;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ServerServices;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class ServiceAccountAdmissionTest {
  private final Map<String, JsonNode> accounts = new HashMap<>();
  private final AtomicInteger lookups = new AtomicInteger();
  private final ServerServices services = new ServerServices() {
    public String allocateClusterIp(String requested, boolean dryRun) { throw new UnsupportedOperationException(); }
    public void releaseClusterIp(String ip) {}
    public int allocateNodePort(int requested, boolean dryRun) { throw new UnsupportedOperationException(); }
    public void releaseNodePort(int port) {}
    public JsonNode lookup(String group, String plural, String namespace, String name) {
      lookups.incrementAndGet();
      return plural.equals("serviceaccounts") ? accounts.get(namespace + "/" + name) : null;
    }
    public List<JsonNode> all(String group, String plural) { return List.of(); }
  };
  /** no sleeping between attempts in tests */
  private final ServiceAccountAdmission admission = new ServiceAccountAdmission(ServiceAccountAdmission.DEFAULT_ACCOUNT_ATTEMPTS, () -> 0);

  private static ObjectNode json(String s) { return (ObjectNode) Json.parse(s.getBytes(StandardCharsets.UTF_8)); }

  private void account(String name, String json) { accounts.put("ns1/" + name, json(json)); }

  private static ObjectNode pod(String spec) {
    return json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\"},\"spec\":" + spec + "}");
  }

  @Test
  void theDefaultAccountGetsTheKubeApiAccessVolumeInEveryContainer() {
    account("default", "{\"metadata\":{\"name\":\"default\"}}");
    ObjectNode pod = pod("{\"initContainers\":[{\"name\":\"i\"}],\"containers\":[{\"name\":\"a\",\"volumeMounts\":[{\"name\":\"x\",\"mountPath\":\"/x\"}]},{\"name\":\"b\"}],"
        + "\"volumes\":[{\"name\":\"x\",\"emptyDir\":{}}]}");
    admission.admit(services, pod);
    JsonNode spec = pod.path("spec");
    assertThat(spec.path("serviceAccountName").asString()).isEqualTo("default");
    assertThat(spec.path("serviceAccount").asString()).isEqualTo("default");
    JsonNode volume = spec.path("volumes").get(1);
    String name = volume.path("name").asString();
    assertThat(name).matches("kube-api-access-[bcdfghjklmnpqrstvwxz2456789]{5}");
    assertThat(volume.path("projected")).isEqualTo(json("""
        {"sources":[{"serviceAccountToken":{"expirationSeconds":3607,"path":"token"}},
          {"configMap":{"name":"kube-root-ca.crt","items":[{"key":"ca.crt","path":"ca.crt"}]}},
          {"downwardAPI":{"items":[{"fieldRef":{"apiVersion":"v1","fieldPath":"metadata.namespace"},"path":"namespace"}]}}],
         "defaultMode":420}"""));
    JsonNode expectedMount = json("{\"name\":\"" + name + "\",\"readOnly\":true,\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}");
    assertThat(spec.at("/initContainers/0/volumeMounts/0")).isEqualTo(expectedMount);
    assertThat(spec.at("/containers/0/volumeMounts/1")).isEqualTo(expectedMount);
    assertThat(spec.at("/containers/1/volumeMounts/0")).isEqualTo(expectedMount);
  }

  @Test
  void automountFalseOnThePodOrTheAccountMountsNothing() {
    account("default", "{\"metadata\":{\"name\":\"default\"}}");
    account("quiet", "{\"metadata\":{\"name\":\"quiet\"},\"automountServiceAccountToken\":false}");
    ObjectNode off = pod("{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"a\"}]}");
    admission.admit(services, off);
    assertThat(off.path("spec").has("volumes")).isFalse();
    assertThat(off.at("/spec/containers/0").has("volumeMounts")).isFalse();
    ObjectNode byAccount = pod("{\"serviceAccountName\":\"quiet\",\"containers\":[{\"name\":\"a\"}]}");
    admission.admit(services, byAccount);
    assertThat(byAccount.path("spec").has("volumes")).isFalse();
    // the pod's own choice wins over the account's
    ObjectNode podWins = pod("{\"serviceAccountName\":\"quiet\",\"automountServiceAccountToken\":true,\"containers\":[{\"name\":\"a\"}]}");
    admission.admit(services, podWins);
    assertThat(podWins.at("/spec/volumes/0/name").asString()).startsWith("kube-api-access-");
  }

  @Test
  void aContainerWithItsOwnMountAtThePathKeepsIt() {
    account("default", "{\"metadata\":{\"name\":\"default\"}}");
    ObjectNode pod = pod("{\"containers\":[{\"name\":\"a\",\"volumeMounts\":[{\"name\":\"mine\",\"mountPath\":\"/var/run/secrets/kubernetes.io/serviceaccount\"}]}],"
        + "\"volumes\":[{\"name\":\"mine\",\"emptyDir\":{}}]}");
    admission.admit(services, pod);
    assertThat(pod.at("/spec/containers/0/volumeMounts").size()).isEqualTo(1);
    assertThat(pod.at("/spec/volumes").size()).isEqualTo(1);
  }

  @Test
  void aMissingAccountIsForbiddenAndTheDefaultOneIsWaitedFor() {
    assertThatThrownBy(() -> admission.admit(services, pod("{\"serviceAccountName\":\"ghost\",\"containers\":[{\"name\":\"a\"}]}")))
        .isInstanceOfSatisfying(StatusException.class, e -> assertThat(e.code()).isEqualTo(403))
        .hasMessage("pods \"p\" is forbidden: error looking up service account ns1/ghost: serviceaccount \"ghost\" not found");
    assertThat(lookups.getAndSet(0)).isEqualTo(1);
    assertThatThrownBy(() -> admission.admit(services, pod("{\"containers\":[{\"name\":\"a\"}]}")))
        .hasMessageContaining("serviceaccount \"default\" not found");
    assertThat(lookups.get()).isEqualTo(ServiceAccountAdmission.DEFAULT_ACCOUNT_ATTEMPTS);
  }

  @Test
  void theAccountsPullSecretsApplyWhenThePodHasNone() {
    account("default", "{\"metadata\":{\"name\":\"default\"},\"imagePullSecrets\":[{\"name\":\"reg\"}]}");
    ObjectNode pod = pod("{\"automountServiceAccountToken\":false,\"containers\":[{\"name\":\"a\"}]}");
    admission.admit(services, pod);
    assertThat(pod.at("/spec/imagePullSecrets/0/name").asString()).isEqualTo("reg");
    ObjectNode own = pod("{\"automountServiceAccountToken\":false,\"imagePullSecrets\":[{\"name\":\"mine\"}],\"containers\":[{\"name\":\"a\"}]}");
    admission.admit(services, own);
    assertThat(own.at("/spec/imagePullSecrets").size()).isEqualTo(1);
    assertThat(own.at("/spec/imagePullSecrets/0/name").asString()).isEqualTo("mine");
  }

  @Test
  void mirrorPodsAreLeftAloneButMayNotNameAnAccount() {
    ObjectNode mirror = json("{\"metadata\":{\"name\":\"p\",\"namespace\":\"ns1\",\"annotations\":{\"kubernetes.io/config.mirror\":\"x\"}},"
        + "\"spec\":{\"containers\":[{\"name\":\"a\"}]}}");
    admission.admit(services, mirror);
    assertThat(mirror.path("spec").has("serviceAccountName")).isFalse();
    mirror.withObject("spec").put("serviceAccountName", "default");
    assertThatThrownBy(() -> admission.admit(services, mirror)).hasMessageContaining("a mirror pod may not reference service accounts");
  }
}
