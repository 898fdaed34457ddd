package io.kava.apiserver.registry.kinds;

import io.kava.apiserver.errors.StatusException;
import io.kava.apiserver.registry.ServerServices;
import java.util.concurrent.ThreadLocalRandom;
import java.util.function.IntSupplier;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.JsonNodeFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Upstream's ServiceAccount admission plugin on pod create: the pod runs as {@code spec.serviceAccountName} (default
 * {@code default}), which must exist; unless the pod or the account turns automountServiceAccountToken off, every
 * container and init container mounts the projected volume {@code kube-api-access-XXXXX} (a bound token, the cluster
 * CA from ConfigMap {@code kube-root-ca.crt}, the namespace) read-only at {@link #MOUNT_PATH}; a pod without
 * imagePullSecrets takes the account's.
 */
public final class ServiceAccountAdmission {
  public static final String DEFAULT_ACCOUNT = "default";
  public static final String MOUNT_PATH = "/var/run/secrets/kubernetes.io/serviceaccount";
  public static final String VOLUME_PREFIX = "kube-api-access-";
  public static final String ROOT_CA_CONFIG_MAP = "kube-root-ca.crt";
  /** The token lifetime the volume asks for: upstream's 1h7s, which marks it as an automounted token. */
  public static final int TOKEN_EXPIRATION_SECONDS = 3607;
  static final String MIRROR_ANNOTATION = "kubernetes.io/config.mirror";
  /**
   * How often a missing {@code default} account is looked up before the pod is refused (upstream: 10 times, 100–200
   * ms apart), so a pod created right after its namespace waits for the service account controller.
   */
  static final int DEFAULT_ACCOUNT_ATTEMPTS = 10;

  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  // upstream's SimpleNameGenerator alphabet: no vowels, no look-alike digits
  private static final String ALPHABET = "bcdfghjklmnpqrstvwxz2456789";
  private final int defaultAccountAttempts;
  private final IntSupplier retryDelayMillis;

  ServiceAccountAdmission(int defaultAccountAttempts, IntSupplier retryDelayMillis) {
    this.defaultAccountAttempts = defaultAccountAttempts;
    this.retryDelayMillis = retryDelayMillis;
  }

  static final ServiceAccountAdmission UPSTREAM = new ServiceAccountAdmission(DEFAULT_ACCOUNT_ATTEMPTS, () -> 100 + ThreadLocalRandom.current().nextInt(100));

  /** Admits a pod being created (main resource only); may block briefly while waiting for the default account. */
  void admit(ServerServices services, ObjectNode pod) {
    ObjectNode spec = pod.withObject("spec");
    String name = spec.path("serviceAccountName").asString("");
    if (name.isEmpty()) name = spec.path("serviceAccount").asString("");
    if (pod.path("metadata").path("annotations").has(MIRROR_ANNOTATION)) {
      // kubelet's mirror pods stay as the node wrote them, and may not act as an account
      if (!name.isEmpty()) throw PodRules.forbidden(pod, "a mirror pod may not reference service accounts");
      return;
    }
    if (name.isEmpty()) name = DEFAULT_ACCOUNT;
    spec.put("serviceAccountName", name);
    spec.put("serviceAccount", name);
    String namespace = pod.path("metadata").path("namespace").asString("");
    JsonNode account = account(services, namespace, name);
    if (account == null) {
      throw PodRules.forbidden(pod, "error looking up service account " + namespace + "/" + name + ": serviceaccount \"" + name + "\" not found");
    }
    if (automount(pod, account)) mountToken(spec);
    JsonNode pullSecrets = spec.get("imagePullSecrets");
    if ((pullSecrets == null || pullSecrets.isEmpty()) && account.path("imagePullSecrets").isArray() && !account.path("imagePullSecrets").isEmpty()) {
      ArrayNode copy = spec.putArray("imagePullSecrets");
      account.path("imagePullSecrets").forEach(s -> copy.addObject().put("name", s.path("name").asString("")));
    }
  }

  private JsonNode account(ServerServices services, String namespace, String name) {
    int attempts = name.equals(DEFAULT_ACCOUNT) ? defaultAccountAttempts : 1;
    for (int i = 0; ; i++) {
      JsonNode sa = services.lookup("", "serviceaccounts", namespace, name);
      if (sa != null || i + 1 >= attempts) return sa;
      try {
        Thread.sleep(retryDelayMillis.getAsInt());
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  /** The pod's choice wins, then the account's; true when neither says. */
  static boolean automount(JsonNode pod, JsonNode account) {
    JsonNode p = pod.path("spec").get("automountServiceAccountToken");
    if (p != null && p.isBoolean()) return p.asBoolean();
    JsonNode a = account.get("automountServiceAccountToken");
    if (a != null && a.isBoolean()) return a.asBoolean();
    return true;
  }

  static void mountToken(ObjectNode spec) {
    String volumeName = null;
    boolean hasVolume = false;
    for (JsonNode v : spec.path("volumes")) {
      String n = v.path("name").asString("");
      if (n.startsWith(VOLUME_PREFIX)) {
        volumeName = n;
        hasVolume = true;
        break;
      }
    }
    if (volumeName == null) volumeName = VOLUME_PREFIX + randomSuffix();
    boolean needed = false;
    for (String list : new String[] {"initContainers", "containers"}) {
      for (JsonNode c : spec.path(list)) {
        if (!(c instanceof ObjectNode container)) continue;
        boolean mounted = false;
        for (JsonNode m : container.path("volumeMounts")) mounted |= MOUNT_PATH.equals(m.path("mountPath").asString(""));
        if (mounted) continue;
        ArrayNode mounts = container.get("volumeMounts") instanceof ArrayNode a ? a : container.putArray("volumeMounts");
        ObjectNode mount = mounts.addObject();
        mount.put("name", volumeName);
        mount.put("readOnly", true);
        mount.put("mountPath", MOUNT_PATH);
        needed = true;
      }
    }
    if (!needed || hasVolume) return;
    ArrayNode volumes = spec.get("volumes") instanceof ArrayNode a ? a : spec.putArray("volumes");
    ObjectNode volume = volumes.addObject();
    volume.put("name", volumeName);
    volume.set("projected", tokenVolumeSource());
  }

  /** The projected source of the automounted volume, as upstream writes it (defaultMode set explicitly). */
  static ObjectNode tokenVolumeSource() {
    ObjectNode projected = F.objectNode();
    ArrayNode sources = projected.putArray("sources");
    ObjectNode token = sources.addObject().putObject("serviceAccountToken");
    token.put("expirationSeconds", TOKEN_EXPIRATION_SECONDS);
    token.put("path", "token");
    ObjectNode ca = sources.addObject().putObject("configMap");
    ca.put("name", ROOT_CA_CONFIG_MAP);
    ObjectNode item = ca.putArray("items").addObject();
    item.put("key", "ca.crt");
    item.put("path", "ca.crt");
    ObjectNode file = sources.addObject().putObject("downwardAPI").putArray("items").addObject();
    ObjectNode fieldRef = file.putObject("fieldRef");
    fieldRef.put("apiVersion", "v1");
    fieldRef.put("fieldPath", "metadata.namespace");
    file.put("path", "namespace");
    projected.put("defaultMode", 420);
    return projected;
  }

  /** Not secret, only distinct (upstream's utilrand.String): a SecureRandom read /dev/urandom for every pod. */
  private static String randomSuffix() {
    ThreadLocalRandom random = ThreadLocalRandom.current();
    StringBuilder b = new StringBuilder(5);
    for (int i = 0; i < 5; i++) b.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
    return b.toString();
  }
}
