package io.kava.controllers.runtime;

import io.fabric8.kubernetes.api.model.APIGroup;
import io.fabric8.kubernetes.api.model.APIResource;
import io.fabric8.kubernetes.api.model.APIResourceList;
import io.fabric8.kubernetes.api.model.GroupVersionForDiscovery;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Reads the API's discovery documents (/api/v1 and /apis/...) into {@link ApiResource}s. Controllers that act on
 * every resource (namespace deletion, garbage collection) use it instead of a built-in list, so custom resources
 * are covered too.
 */
public final class ApiDiscovery {
  private ApiDiscovery() {}

  /**
   * What one discovery pass found.
   *
   * @param preferred resources of each group's preferred version (subresources left out)
   * @param failures  group versions whose resource list could not be read, with the reason
   */
  public record Snapshot(List<ApiResource> preferred, Map<String, ApiResource> byApiVersionKind, Map<String, String> failures) {
    /** The resource serving {@code kind} in {@code apiVersion}, e.g. ("apps/v1", "ReplicaSet"). */
    public Optional<ApiResource> forKind(String apiVersion, String kind) {
      return Optional.ofNullable(byApiVersionKind.get(apiVersion + "/" + kind));
    }
  }

  public static Snapshot discover(KubernetesClient client) {
    List<ApiResource> preferred = new ArrayList<>();
    Map<String, ApiResource> byKind = new LinkedHashMap<>();
    Map<String, String> failures = new LinkedHashMap<>();
    read(client, "", "v1", true, preferred, byKind, failures);
    for (APIGroup g : client.getApiGroups().getGroups()) {
      String preferredVersion = g.getPreferredVersion() == null ? null : g.getPreferredVersion().getVersion();
      for (GroupVersionForDiscovery gv : g.getVersions()) {
        boolean isPreferred = preferredVersion == null ? gv == g.getVersions().get(0) : gv.getVersion().equals(preferredVersion);
        read(client, g.getName(), gv.getVersion(), isPreferred, preferred, byKind, failures);
      }
    }
    return new Snapshot(List.copyOf(preferred), Map.copyOf(byKind), Map.copyOf(failures));
  }

  private static void read(KubernetesClient client, String group, String version, boolean preferredVersion,
                           List<ApiResource> preferred, Map<String, ApiResource> byKind, Map<String, String> failures) {
    String gv = group.isEmpty() ? version : group + "/" + version;
    APIResourceList list;
    try {
      list = client.getApiResources(gv);
    } catch (RuntimeException e) {
      failures.put(gv, String.valueOf(e.getMessage()));
      return;
    }
    if (list == null) {
      failures.put(gv, "the server could not find the requested resource");
      return;
    }
    for (APIResource r : list.getResources()) {
      if (r.getName().contains("/")) continue; // subresources are not collections of their own
      ApiResource res = new ApiResource(group, version, r.getName(), r.getKind(), Boolean.TRUE.equals(r.getNamespaced()),
          r.getVerbs() == null ? new HashSet<>() : new HashSet<>(r.getVerbs()));
      byKind.putIfAbsent(gv + "/" + r.getKind(), res);
      if (preferredVersion) preferred.add(res);
    }
  }
}
