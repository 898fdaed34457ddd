package io.kava.controllers.replicaset;

import static io.kava.controllers.replicaset.Fixtures.NOW;
import static io.kava.controllers.replicaset.Fixtures.pod;
import static io.kava.controllers.replicaset.Fixtures.running;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.OwnerReference;
import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.selector.LabelSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ReplicaSyncTest {
  static final String KEY = "ns/web";
  static final OwnerReference REF = new OwnerReferenceBuilder().withApiVersion("apps/v1").withKind("ReplicaSet").withName("web")
      .withUid("rs-uid").withController(true).withBlockOwnerDeletion(true).build();
  static final ObjectReference OWNER = new ObjectReference();
  static final PodTemplateSpec TEMPLATE = new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
      .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().build();

  long now = 0;
  final Expectations expectations = new Expectations(() -> now);
  final FakePods pods = new FakePods();

  static ReplicaView rs(int replicas, int minReady, ReplicaStatus status) {
    return new ReplicaView("ns", "web", "rs-uid", 2, replicas, minReady, LabelSelector.fromSet(Map.of("app", "web")), null, TEMPLATE,
        false, null, status);
  }

  static ReplicaStatus empty() { return new ReplicaStatus(0, 0, 0, 0, 0, List.of()); }

  /** Records calls; fails creations from the n-th on when asked. */
  static final class FakePods implements PodControl {
    final List<String> created = Collections.synchronizedList(new ArrayList<>());
    final List<String> deleted = Collections.synchronizedList(new ArrayList<>());
    final AtomicInteger calls = new AtomicInteger();
    int failFrom = Integer.MAX_VALUE;
    RuntimeException failure = new KubernetesClientException("exceeded quota", 403, null);

    @Override
    public Pod create(String namespace, PodTemplateSpec template, OwnerReference controllerRef, ObjectReference owner) {
      int n = calls.incrementAndGet();
      if (n >= failFrom) throw failure;
      Pod p = ClientPodControl.fromTemplate(template, controllerRef);
      created.add(p.getMetadata().getGenerateName() + n);
      return p;
    }

    @Override
    public void delete(String namespace, String name, ObjectReference owner) {
      deleted.add(name);
    }
  }

  ReplicaSync sync(int burst) { return new ReplicaSync(pods, expectations, burst); }

  @Test
  void createsTheMissingPodsAndExpectsThem() throws Exception {
    sync(500).manage(KEY, rs(3, 0, empty()), REF, OWNER, List.of(running("a", NOW.minusSeconds(60))), List::of, NOW);
    assertThat(pods.created).hasSize(2).allMatch(n -> n.startsWith("web-"));
    assertThat(expectations.satisfied(KEY)).isFalse();
    assertThat(expectations.pending(KEY)).containsExactly(2, 0);
  }

  @Test
  void oneSyncCreatesAtMostTheBurst() throws Exception {
    sync(5).manage(KEY, rs(100, 0, empty()), REF, OWNER, List.of(), List::of, NOW);
    assertThat(pods.created).hasSize(5);
  }

  @Test
  void creationsStopAtTheFirstFailedBatchAndExpectOnlyWhatWasMade() {
    pods.failFrom = 2; // batch 1 succeeds, batch of 2 fails: 3 calls, 1 pod
    assertThatThrownBy(() -> sync(500).manage(KEY, rs(10, 0, empty()), REF, OWNER, List.of(), List::of, NOW))
        .isInstanceOf(KubernetesClientException.class);
    assertThat(pods.calls.get()).isEqualTo(3);
    assertThat(pods.created).hasSize(1);
    assertThat(expectations.pending(KEY)).containsExactly(1, 0);
  }

  @Test
  void aTerminatingNamespaceIsNotAFailure() throws Exception {
    pods.failFrom = 1;
    pods.failure = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
        .withMessage("unable to create new content in namespace ns because it is being terminated")
        .withNewDetails().addNewCause().withReason("NamespaceTerminating").endCause().endDetails().build());
    sync(500).manage(KEY, rs(3, 0, empty()), REF, OWNER, List.of(), List::of, NOW);
    assertThat(pods.created).isEmpty();
  }

  @Test
  void deletesTheLeastValuablePodsAndExpectsTheirDeletion() throws Exception {
    Pod pending = pod("pending").build();
    Pod ready = running("ready", NOW.minusSeconds(600));
    Pod notReady = pod("not-ready").editSpec().withNodeName("n1").endSpec().editStatus().withPhase("Running").endStatus().build();
    sync(500).manage(KEY, rs(1, 0, empty()), REF, OWNER, List.of(ready, notReady, pending), List::of, NOW);
    assertThat(pods.deleted).containsExactlyInAnyOrder("pending", "not-ready");
    expectations.deletionObserved(KEY, "ns/pending");
    assertThat(expectations.satisfied(KEY)).isFalse();
    expectations.deletionObserved(KEY, "ns/not-ready");
    assertThat(expectations.satisfied(KEY)).isTrue();
  }

  @Test
  void nothingToDoWhenTheCountIsRight() throws Exception {
    sync(500).manage(KEY, rs(1, 0, empty()), REF, OWNER, List.of(pod("a").build()), List::of, NOW);
    assertThat(pods.created).isEmpty();
    assertThat(pods.deleted).isEmpty();
  }

  @Test
  void statusCountsReadyAndAvailableWithMinReadySeconds() {
    Pod longReady = running("long", NOW.minusSeconds(60));
    Pod justReady = running("just", NOW.minusSeconds(5));
    Pod unlabeled = pod("extra").editMetadata().withLabels(Map.of("other", "x")).endMetadata().build();
    ReplicaStatus s = ReplicaSync.calculateStatus(rs(3, 10, empty()), List.of(longReady, justReady, unlabeled), null, NOW);
    assertThat(s.replicas()).isEqualTo(3);
    assertThat(s.fullyLabeledReplicas()).isEqualTo(2);
    assertThat(s.readyReplicas()).isEqualTo(2);
    assertThat(s.availableReplicas()).isEqualTo(1);
    assertThat(s.conditions()).isEmpty();
  }

  @Test
  void aFailedManageSetsReplicaFailureAndASuccessfulOneClearsIt() {
    Exception quota = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
        .withMessage("pods \"web-x\" is forbidden: exceeded quota: q").build());
    ReplicaStatus failed = ReplicaSync.calculateStatus(rs(3, 0, empty()), List.of(), quota, NOW);
    ReplicaStatus.Condition c = failed.condition(ReplicaStatus.REPLICA_FAILURE);
    assertThat(c.status()).isEqualTo("True");
    assertThat(c.reason()).isEqualTo("FailedCreate");
    assertThat(c.message()).isEqualTo("pods \"web-x\" is forbidden: exceeded quota: q");
    assertThat(c.lastTransitionTime()).isEqualTo("2025-06-01T12:00:00Z");

    ReplicaStatus again = ReplicaSync.calculateStatus(rs(3, 0, failed), List.of(), quota, NOW.plusSeconds(30));
    assertThat(again.condition(ReplicaStatus.REPLICA_FAILURE)).isEqualTo(c); // unchanged while it lasts

    ReplicaStatus cleared = ReplicaSync.calculateStatus(rs(3, 0, failed), List.of(), null, NOW);
    assertThat(cleared.conditions()).isEmpty();
  }

  @Test
  void statusIsWrittenOnlyWhenSomethingChanged() {
    ReplicaStatus s = new ReplicaStatus(2, 2, 1, 1, 2, List.of());
    assertThat(ReplicaSync.statusChanged(s, s, 2)).isFalse();
    assertThat(ReplicaSync.statusChanged(s, s, 3)).as("new generation observed").isTrue();
    assertThat(ReplicaSync.statusChanged(s, s.withCounts(2, 2, 2, 1), 2)).isTrue();
  }

  @Test
  void podsFromTheTemplateCarryItsMetadataAndTheControllerReference() {
    Pod p = ClientPodControl.fromTemplate(new PodTemplateSpecBuilder(TEMPLATE).editMetadata().withAnnotations(Map.of("a", "b"))
        .withName("ignored").endMetadata().build(), REF);
    assertThat(p.getMetadata().getGenerateName()).isEqualTo("web-");
    assertThat(p.getMetadata().getName()).isNull();
    assertThat(p.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(p.getMetadata().getAnnotations()).containsEntry("a", "b");
    assertThat(p.getMetadata().getOwnerReferences()).containsExactly(REF);
    assertThat(p.getSpec().getContainers().getFirst().getImage()).isEqualTo("nginx");
  }
}
