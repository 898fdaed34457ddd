package io.kava.testing.e2e.workloads;

import io.fabric8.kubernetes.api.model.ContainerStatus;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodCondition;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.PodStatus;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Plays the kubelet for pods no node runs: reports them Running and Ready through pods/status, the way a kubelet
 * reports a started container that passed its readiness probe. Which pods become ready is up to the test
 * ({@link #readyWhen}); pods are left unscheduled, so their deletion is immediate as for any unbound pod.
 */
final class FakeKubelet implements AutoCloseable {
  private final KubernetesClient client;
  private final SharedIndexInformer<Pod> informer;
  private final Set<String> done = ConcurrentHashMap.newKeySet();
  private final AtomicInteger ips = new AtomicInteger(1);
  private volatile Predicate<Pod> readyWhen = p -> true;

  FakeKubelet(KubernetesClient client, String namespace) {
    this.client = client;
    this.informer = client.pods().inNamespace(namespace).inform(new ResourceEventHandler<>() {
      @Override
      public void onAdd(Pod p) { consider(p); }

      @Override
      public void onUpdate(Pod old, Pod p) { consider(p); }

      @Override
      public void onDelete(Pod p, boolean unknown) { done.remove(p.getMetadata().getUid()); }
    }, 0);
  }

  /** Which pods to report ready from now on; pods already seen are looked at again. */
  FakeKubelet readyWhen(Predicate<Pod> p) {
    readyWhen = p;
    informer.getStore().list().forEach(this::consider);
    return this;
  }

  /** Reports no more pods ready until {@link #readyWhen} says otherwise. */
  FakeKubelet hold() { return readyWhen(p -> false); }

  FakeKubelet readyAll() { return readyWhen(p -> true); }

  private void consider(Pod p) {
    if (p.getMetadata().getDeletionTimestamp() != null || ready(p) || !readyWhen.test(p)) return;
    if (!done.add(p.getMetadata().getUid())) return;
    Thread.ofVirtual().start(() -> markReady(p.getMetadata().getNamespace(), p.getMetadata().getName(), p.getMetadata().getUid()));
  }

  static boolean ready(Pod p) {
    if (p.getStatus() == null || p.getStatus().getConditions() == null) return false;
    return p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()));
  }

  private void markReady(String ns, String name, String uid) {
    for (int attempt = 0; attempt < 20; attempt++) {
      Pod pod = client.pods().inNamespace(ns).withName(name).get();
      if (pod == null || !uid.equals(pod.getMetadata().getUid()) || pod.getMetadata().getDeletionTimestamp() != null) return;
      String now = Instant.now().truncatedTo(ChronoUnit.SECONDS).toString();
      PodStatus s = pod.getStatus() == null ? new PodStatus() : pod.getStatus();
      s.setPhase("Running");
      s.setStartTime(now);
      s.setPodIP("10.250." + (ips.get() / 250) + "." + (ips.getAndIncrement() % 250 + 1));
      List<PodCondition> conds = new ArrayList<>();
      if (s.getConditions() != null) {
        for (PodCondition c : s.getConditions()) {
          if (!Set.of("Ready", "ContainersReady", "Initialized").contains(c.getType())) conds.add(c);
        }
      }
      for (String type : List.of("Initialized", "ContainersReady", "Ready")) {
        conds.add(new PodConditionBuilder().withType(type).withStatus("True").withLastTransitionTime(now).build());
      }
      s.setConditions(conds);
      List<ContainerStatus> cs = new ArrayList<>();
      pod.getSpec().getContainers().forEach(c -> cs.add(new ContainerStatusBuilder().withName(c.getName()).withImage(c.getImage())
          .withImageID("").withContainerID("fake://" + uid + "/" + c.getName()).withReady(true).withStarted(true).withRestartCount(0)
          .withNewState().withNewRunning().withStartedAt(now).endRunning().endState().build()));
      s.setContainerStatuses(cs);
      pod.setStatus(s);
      try {
        client.pods().inNamespace(ns).resource(pod).updateStatus();
        return;
      } catch (KubernetesClientException e) {
        if (e.getCode() == 404) return;
        if (e.getCode() != 409) throw e;
      }
    }
  }

  @Override
  public void close() { informer.close(); }
}
