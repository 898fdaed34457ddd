package io.kava.node.volume;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Secret;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Objects fed by tests; tokens are numbered so renewals are visible. */
final class FakeVolumeSources implements VolumeSources {
  final Map<String, ConfigMap> configMaps = new HashMap<>();
  final Map<String, Secret> secrets = new HashMap<>();
  final Map<String, PersistentVolumeClaim> claims = new HashMap<>();
  final Map<String, PersistentVolume> volumes = new HashMap<>();
  final List<String> tokenRequests = new ArrayList<>();
  boolean tokensServed = true;
  final Clock clock;

  FakeVolumeSources(Clock clock) { this.clock = clock; }

  void put(ConfigMap cm) { configMaps.put(cm.getMetadata().getNamespace() + "/" + cm.getMetadata().getName(), cm); }
  void put(Secret s) { secrets.put(s.getMetadata().getNamespace() + "/" + s.getMetadata().getName(), s); }
  void put(PersistentVolumeClaim c) { claims.put(c.getMetadata().getNamespace() + "/" + c.getMetadata().getName(), c); }
  void put(PersistentVolume v) { volumes.put(v.getMetadata().getName(), v); }

  @Override public Optional<ConfigMap> configMap(String ns, String name) { return Optional.ofNullable(configMaps.get(ns + "/" + name)); }
  @Override public Optional<Secret> secret(String ns, String name) { return Optional.ofNullable(secrets.get(ns + "/" + name)); }
  @Override public Optional<PersistentVolumeClaim> persistentVolumeClaim(String ns, String name) { return Optional.ofNullable(claims.get(ns + "/" + name)); }
  @Override public Optional<PersistentVolume> persistentVolume(String name) { return Optional.ofNullable(volumes.get(name)); }

  @Override
  public ServiceAccountToken requestToken(String ns, String sa, List<String> audiences, long exp, String podName, String podUid) {
    if (!tokensServed) throw new VolumeException("the API server does not serve serviceaccounts/token (TokenRequest)");
    tokenRequests.add(ns + "/" + sa + " " + audiences + " " + exp + " " + podName);
    return new ServiceAccountToken("token-" + tokenRequests.size(), clock.instant().plusSeconds(exp));
  }
}
