package io.kava.node.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.authentication.BoundObjectReference;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestSpec;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;

/** {@link VolumeSources} by direct GETs (and TokenRequest POSTs) to the API server through fabric8. */
public final class ApiVolumeSources implements VolumeSources {
  private final KubernetesClient client;

  public ApiVolumeSources(KubernetesClient client) {
    this.client = client;
  }

  @Override
  public Optional<ConfigMap> configMap(String namespace, String name) {
    return Optional.ofNullable(client.configMaps().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<Secret> secret(String namespace, String name) {
    return Optional.ofNullable(client.secrets().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<PersistentVolumeClaim> persistentVolumeClaim(String namespace, String name) {
    return Optional.ofNullable(client.persistentVolumeClaims().inNamespace(namespace).withName(name).get());
  }

  @Override
  public Optional<PersistentVolume> persistentVolume(String name) {
    return Optional.ofNullable(client.persistentVolumes().withName(name).get());
  }

  @Override
  public ServiceAccountToken requestToken(String namespace, String serviceAccount, List<String> audiences,
      long expirationSeconds, String podName, String podUid) {
    // No GET of the service account first (one request less per pod start, as the kubelet): the TokenRequest answers
    // 404 naming the service account when it is missing.
    var sa = client.serviceAccounts().inNamespace(namespace).withName(serviceAccount);
    TokenRequest request = new TokenRequest();
    TokenRequestSpec spec = new TokenRequestSpec();
    spec.setAudiences(audiences);
    spec.setExpirationSeconds(expirationSeconds);
    spec.setBoundObjectRef(new BoundObjectReference("v1", "Pod", podName, podUid));
    request.setSpec(spec);
    TokenRequest answer;
    try {
      answer = sa.tokenRequest(request);
    } catch (KubernetesClientException e) {
      // A 404 about a named object (the bound pod is gone) is the server's answer; a bare 404 or 405 means no TokenRequest.
      boolean objectNotFound = e.getCode() == 404 && e.getStatus() != null && e.getStatus().getDetails() != null
          && e.getStatus().getDetails().getName() != null && !e.getStatus().getDetails().getName().isEmpty();
      if (objectNotFound && "serviceaccounts".equals(e.getStatus().getDetails().getKind())) {
        throw new VolumeException(e.getStatus().getMessage(), e);
      }
      if (objectNotFound) throw new VolumeException("failed to fetch token: " + e.getStatus().getMessage(), e);
      if (e.getCode() == 404 || e.getCode() == 405) {
        throw new VolumeException("the API server does not serve serviceaccounts/token (TokenRequest), so the token of "
            + "service account " + namespace + "/" + serviceAccount + " cannot be projected (HTTP " + e.getCode() + ")", e);
      }
      throw new VolumeException("failed to fetch token: " + e.getMessage(), e);
    }
    if (answer == null || answer.getStatus() == null || answer.getStatus().getToken() == null) {
      throw new VolumeException("failed to fetch token: the API server's TokenRequest answer carries no token");
    }
    String exp = answer.getStatus().getExpirationTimestamp();
    Instant expiration = exp == null ? Instant.now().plusSeconds(expirationSeconds) : OffsetDateTime.parse(exp).toInstant();
    return new ServiceAccountToken(answer.getStatus().getToken(), expiration);
  }
}
