package io.kava.node.env;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.Service;
import java.util.List;
import java.util.Optional;

/**
 * The API objects a container's environment reads; the node agent answers from informer caches, tests feed
 * objects. An absent object is {@code Optional.empty()}.
 */
public interface EnvSources {
  Optional<ConfigMap> configMap(String namespace, String name);

  Optional<Secret> secret(String namespace, String name);

  /** Every Service of a namespace (service links; {@code default} for the {@code kubernetes} service). */
  List<Service> services(String namespace);
}
