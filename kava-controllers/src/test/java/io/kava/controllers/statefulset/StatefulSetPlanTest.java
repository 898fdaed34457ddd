package io.kava.controllers.statefulset;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodConditionBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetStatus;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Revisions;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class StatefulSetPlanTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  static final String NEW = "web-new";
  static final String OLD = "web-old";

  static StatefulSetBuilder set(int replicas) {
    return new StatefulSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("set-uid").withGeneration(1L).endMetadata()
        .withNewSpec().withReplicas(replicas).withServiceName("nginx").withPodManagementPolicy("OrderedReady")
        .withNewSelector().withMatchLabels(Map.of("app", "web")).endSelector()
        .withNewTemplate().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("nginx").endContainer().endSpec().endTemplate()
        .withNewUpdateStrategy().withType("RollingUpdate").withNewRollingUpdate().withPartition(0).endRollingUpdate().endUpdateStrategy()
        .endSpec();
  }

  static Pod pod(int ordinal, String revision, boolean ready) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName("web-" + ordinal).withNamespace("ns").withUid("uid-" + ordinal)
        .withLabels(Map.of("app", "web", Revisions.HASH_LABEL, revision)).withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(100)))
        .endMetadata().withNewSpec().withNodeName("n").endSpec().withNewStatus().withPhase(ready ? "Running" : "Pending").endStatus();
    if (ready) {
      b.editStatus().withConditions(new PodConditionBuilder().withType("Ready").withStatus("True")
          .withLastTransitionTime(Timestamps.formatTime(NOW.minusSeconds(50))).build()).endStatus();
    }
    return b.build();
  }

  static Pod terminating(Pod p) { return new PodBuilder(p).editMetadata().withDeletionTimestamp(Timestamps.formatTime(NOW)).endMetadata().build(); }

  static List<StatefulSetPlan.Action> plan(StatefulSet s, Pod... pods) { return StatefulSetPlan.plan(s, List.of(pods), NEW, NOW); }

  static StatefulSetPlan.Action create(int ord) { return new StatefulSetPlan.Create(ord, true); }

  static String deleted(StatefulSetPlan.Action a) { return ((StatefulSetPlan.Delete) a).pod().getMetadata().getName(); }

  @Test
  void orderedReadyCreatesOneOrdinalAtATimeAfterThePreviousIsReady() {
    StatefulSet s = set(3).build();
    assertThat(plan(s)).containsExactly(create(0));
    assertThat(plan(s, pod(0, NEW, false))).isEmpty();
    assertThat(plan(s, pod(0, NEW, true))).containsExactly(create(1));
    assertThat(plan(s, pod(0, NEW, true), pod(1, NEW, true))).containsExactly(create(2));
    assertThat(plan(s, pod(0, NEW, true), pod(1, NEW, true), pod(2, NEW, true))).isEmpty();
  }

  @Test
  void parallelCreatesAndDeletesAllAtOnce() {
    StatefulSet s = set(3).editSpec().withPodManagementPolicy("Parallel").endSpec().build();
    assertThat(plan(s)).containsExactly(create(0), create(1), create(2));
    StatefulSet one = set(1).editSpec().withPodManagementPolicy("Parallel").endSpec().build();
    assertThat(plan(one, pod(0, NEW, true), pod(1, NEW, false), pod(2, NEW, true))).extracting(StatefulSetPlanTest::deleted).containsExactly("web-2", "web-1");
  }

  @Test
  void scaleDownDeletesTheHighestOrdinalFirstAndWaitsForIt() {
    StatefulSet s = set(1).build();
    assertThat(plan(s, pod(0, NEW, true), pod(1, NEW, true), pod(2, NEW, true))).extracting(StatefulSetPlanTest::deleted).containsExactly("web-2");
    assertThat(plan(s, pod(0, NEW, true), pod(1, NEW, true), terminating(pod(2, NEW, true)))).isEmpty();
  }

  @Test
  void rollingUpdateReplacesFromTheTopDownToThePartition() {
    StatefulSet s = set(3).build();
    assertThat(plan(s, pod(0, OLD, true), pod(1, OLD, true), pod(2, OLD, true))).extracting(StatefulSetPlanTest::deleted).containsExactly("web-2");
    // web-2 was recreated at the new revision but is not ready yet: wait.
    assertThat(plan(s, pod(0, OLD, true), pod(1, OLD, true), pod(2, NEW, false))).isEmpty();
    assertThat(plan(s, pod(0, OLD, true), pod(1, OLD, true), pod(2, NEW, true))).extracting(StatefulSetPlanTest::deleted).containsExactly("web-1");
    StatefulSet partitioned = set(3).editSpec().editUpdateStrategy().editRollingUpdate().withPartition(2).endRollingUpdate().endUpdateStrategy().endSpec().build();
    assertThat(plan(partitioned, pod(0, OLD, true), pod(1, OLD, true), pod(2, NEW, true))).isEmpty();
    // Below the partition, a missing pod comes back at the current revision.
    assertThat(plan(partitioned, pod(0, OLD, true), pod(2, NEW, true))).containsExactly(new StatefulSetPlan.Create(1, false));
  }

  @Test
  void onDeleteDoesNotReplacePods() {
    StatefulSet s = set(2).editSpec().withNewUpdateStrategy().withType("OnDelete").endUpdateStrategy().endSpec().build();
    assertThat(plan(s, pod(0, OLD, true), pod(1, OLD, true))).isEmpty();
    assertThat(plan(s, pod(0, OLD, true))).containsExactly(create(1));
  }

  @Test
  void failedPodsAreDeletedToBeRecreated() {
    Pod failed = new PodBuilder(pod(0, NEW, false)).editStatus().withPhase("Failed").endStatus().build();
    assertThat(plan(set(2).build(), failed)).extracting(StatefulSetPlanTest::deleted).containsExactly("web-0");
  }

  @Test
  void statusCountsRevisionsAndCompletesTheRollout() {
    StatefulSet s = set(3).build();
    StatefulSetStatus mid = StatefulSetPlan.status(s, List.of(pod(0, OLD, true), pod(1, NEW, true), pod(2, NEW, true)), OLD, NEW, NOW);
    assertThat(mid.getReplicas()).isEqualTo(3);
    assertThat(mid.getReadyReplicas()).isEqualTo(3);
    assertThat(mid.getCurrentReplicas()).isEqualTo(1);
    assertThat(mid.getUpdatedReplicas()).isEqualTo(2);
    assertThat(mid.getCurrentRevision()).isEqualTo(OLD);
    StatefulSetStatus done = StatefulSetPlan.status(s, List.of(pod(0, NEW, true), pod(1, NEW, true), pod(2, NEW, true)), OLD, NEW, NOW);
    assertThat(done.getCurrentRevision()).isEqualTo(NEW);
    assertThat(done.getCurrentReplicas()).isEqualTo(3);
    assertThat(done.getAvailableReplicas()).isEqualTo(3);
  }

  @Test
  void podsGetStableIdentityAndClaims() {
    StatefulSet s = set(3).editSpec().addToVolumeClaimTemplates(new PersistentVolumeClaimBuilder().withNewMetadata().withName("www").endMetadata()
        .withNewSpec().withAccessModes("ReadWriteOnce").withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).endSpec().build();
    Pod p = StatefulPods.newPod(s, s.getSpec().getTemplate(), NEW, 2, new OwnerReferenceBuilder().withName("web").withUid("set-uid").withController(true).build());
    assertThat(p.getMetadata().getName()).isEqualTo("web-2");
    assertThat(p.getMetadata().getLabels()).containsEntry("statefulset.kubernetes.io/pod-name", "web-2")
        .containsEntry("apps.kubernetes.io/pod-index", "2").containsEntry(Revisions.HASH_LABEL, NEW);
    assertThat(p.getSpec().getHostname()).isEqualTo("web-2");
    assertThat(p.getSpec().getSubdomain()).isEqualTo("nginx");
    assertThat(p.getSpec().getVolumes()).singleElement().satisfies(v -> assertThat(v.getPersistentVolumeClaim().getClaimName()).isEqualTo("www-web-2"));
    assertThat(StatefulPods.claims(s, 2)).singleElement().satisfies(c -> {
      assertThat(c.getMetadata().getName()).isEqualTo("www-web-2");
      assertThat(c.getMetadata().getLabels()).containsEntry("app", "web");
    });
    assertThat(StatefulPods.ordinal(p)).isEqualTo(2);
    assertThat(StatefulPods.isMemberOf(s, p)).isTrue();
  }
}
