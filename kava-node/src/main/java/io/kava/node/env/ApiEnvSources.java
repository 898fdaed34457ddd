package io.kava.node.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.List;
import java.util.Optional;

/**
 * {@link EnvSources} by direct GETs and LISTs through fabric8: correct but one round trip per reference; a node
 * agent with informers for Services should answer {@link #services} from its cache instead.
 */
public final class ApiEnvSources implements EnvSources {
  private final KubernetesClient client;

  public ApiEnvSources(KubernetesClient client) {
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
  public List<Service> services(String namespace) {
    return client.services().inNamespace(namespace).list().getItems();
  }
}
