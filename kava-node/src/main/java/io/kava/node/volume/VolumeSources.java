package io.kava.node.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * The API objects volumes read. {@link ApiVolumeSources} asks the API server; a node agent may answer from
 * informer caches; tests feed objects. An absent object is {@code Optional.empty()}; any other failure throws.
 */
public interface VolumeSources {
  Optional<ConfigMap> configMap(String namespace, String name);

  Optional<Secret> secret(String namespace, String name);

  Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name);

  Optional<PersistentVolume> persistentVolume(String name);

  /**
   * A token for the pod's service account through the TokenRequest API, bound to the pod.
   *
   * @param audiences empty for the API server's default audience
   * @param expirationSeconds the requested lifetime
   * @throws VolumeException when the service account is missing or the API server refuses or does not
   *     serve {@code serviceaccounts/token}
   */
  ServiceAccountToken requestToken(String namespace, String serviceAccount, List<String> audiences,
      long expirationSeconds, String podName, String podUid);

  /** A token and when it expires. */
  record ServiceAccountToken(String token, Instant expiration) {}
}
