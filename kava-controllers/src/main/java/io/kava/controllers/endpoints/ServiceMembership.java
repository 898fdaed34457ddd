package io.kava.controllers.endpoints;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Service;
import io.kava.controllers.runtime.Keys;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Selectors;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Function;

/**
 * Which Services a pod event concerns (upstream's GetPodServiceMemberships and GetServicesToUpdateOnPodChange), for
 * the event handlers of the endpoint controllers: they turn a pod event into the keys of the Services to sync.
 */
public final class ServiceMembership {
  private final Function<String, List<Service>> servicesIn;

  /** @param servicesIn the cached Services of a namespace */
  public ServiceMembership(Function<String, List<Service>> servicesIn) { this.servicesIn = servicesIn; }

  /** Keys of the Services whose selector selects the pod. */
  public Set<String> servicesOf(Pod pod) {
    Set<String> keys = new HashSet<>();
    for (Service s : servicesIn.apply(pod.getMetadata().getNamespace())) {
      if (EndpointPods.selects(EndpointPods.selector(s), Selectors.labels(pod))) keys.add(Keys.of(s));
    }
    return keys;
  }

  /**
   * Keys to sync after a pod update: none when nothing endpoints show changed; the Services of the new pod when only
   * its endpoint changed; when its labels (or hostname) changed as well, the Services it joined or left, and with an
   * endpoint change also those it stays in.
   */
  public Set<String> servicesToUpdate(Pod old, Pod cur) {
    if (Objects.equals(old.getMetadata().getResourceVersion(), cur.getMetadata().getResourceVersion())) return Set.of();
    boolean labelsChanged = !Objects.equals(Selectors.labels(old), Selectors.labels(cur)) || !sameHostnameAndSubdomain(old, cur);
    boolean podChanged = endpointChanged(old, cur);
    if (!podChanged && !labelsChanged) return Set.of();
    Set<String> services = servicesOf(cur);
    if (!labelsChanged) return services;
    Set<String> before = servicesOf(old);
    Set<String> out = new HashSet<>();
    if (podChanged) {
      out.addAll(before);
      out.addAll(services);
      return out;
    }
    for (String k : services) if (!before.contains(k)) out.add(k);
    for (String k : before) if (!services.contains(k)) out.add(k);
    return out;
  }

  /** A change an endpoint shows: deletion started, readiness, IPs. Name, uid and node do not change once an IP is set. */
  static boolean endpointChanged(Pod old, Pod cur) {
    if (!Objects.equals(old.getMetadata().getDeletionTimestamp(), cur.getMetadata().getDeletionTimestamp())) return true;
    if (Pods.isReady(old) != Pods.isReady(cur)) return true;
    if (!EndpointPods.ips(old).equals(EndpointPods.ips(cur))) return true;
    // A terminal phase drops the pod from the endpoints even if its readiness was left as it was.
    return !Objects.equals(Pods.phase(old), Pods.phase(cur)) && (isTerminal(old) || isTerminal(cur));
  }

  private static boolean isTerminal(Pod p) {
    String phase = Pods.phase(p);
    return Pods.PHASE_SUCCEEDED.equals(phase) || Pods.PHASE_FAILED.equals(phase);
  }

  private static boolean sameHostnameAndSubdomain(Pod a, Pod b) {
    String ha = a.getSpec() == null ? null : a.getSpec().getHostname();
    String hb = b.getSpec() == null ? null : b.getSpec().getHostname();
    String sa = a.getSpec() == null ? null : a.getSpec().getSubdomain();
    String sb = b.getSpec() == null ? null : b.getSpec().getSubdomain();
    return Objects.equals(ha, hb) && Objects.equals(sa, sb);
  }
}
