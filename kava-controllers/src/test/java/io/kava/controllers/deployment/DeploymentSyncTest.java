package io.kava.controllers.deployment;

import static io.kava.controllers.deployment.Fixtures.T0;
import static io.kava.controllers.deployment.Fixtures.deployment;
import static io.kava.controllers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentSyncTest {
  final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

  static String progressing(Deployment d) {
    DeploymentCondition c = DeploymentUtil.condition(d.getStatus(), "Progressing");
    return c == null ? null : c.getReason();
  }

  static String available(Deployment d) {
    DeploymentCondition c = DeploymentUtil.condition(d.getStatus(), "Available");
    return c == null ? null : c.getReason();
  }

  @Test
  void aNewDeploymentGetsAReplicaSetNamedByItsTemplateHash() {
    Deployment d = deployment(3, "25%", "25%", "nginx");
    FakeApi api = new FakeApi(d);
    new DeploymentSync(api, clock).rolloutRolling(Serial.copy(d), api.list());
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), null);
    ReplicaSet rs = api.get("web-" + hash);
    assertThat(rs).isNotNull();
    assertThat(rs.getSpec().getReplicas()).isEqualTo(3);
    assertThat(rs.getMetadata().getLabels()).containsEntry("app", "web").containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getSpec().getSelector().getMatchLabels()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getSpec().getTemplate().getMetadata().getLabels()).containsEntry(PodTemplateHash.LABEL, hash);
    assertThat(rs.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "1")
        .containsEntry(DeploymentUtil.DESIRED_REPLICAS, "3").containsEntry(DeploymentUtil.MAX_REPLICAS, "4");
    assertThat(rs.getMetadata().getOwnerReferences()).singleElement().satisfies(r -> {
      assertThat(r.getKind()).isEqualTo("Deployment");
      assertThat(r.getController()).isTrue();
      assertThat(r.getBlockOwnerDeletion()).isTrue();
    });
    assertThat(api.events).containsExactly("Normal ScalingReplicaSet Scaled up replica set web-" + hash + " from 0 to 3");
    assertThat(api.deployment.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "1");
    assertThat(progressing(api.deployment)).isEqualTo("NewReplicaSetCreated");
  }

  /** Drives a rollout to its end, checking upstream's two bounds after every step. */
  @Test
  void aRollingUpdateKeepsWithinSurgeAndAvailability() {
    Deployment d = deployment(4, 1, 1, "v2");
    FakeApi api = new FakeApi(d);
    api.put(rs(d, "old", "v1", 4, 1, 1000));
    DeploymentSync sync = new DeploymentSync(api, clock);
    for (int step = 0; step < 50; step++) {
      Deployment cur = Serial.copy(api.deployment);
      sync.rolloutRolling(cur, api.list());
      int pods = DeploymentUtil.podCountForSurge(api.list());
      assertThat(pods).as("pods at step " + step).isLessThanOrEqualTo(5);
      api.settle(true);
      assertThat(DeploymentUtil.availableReplicaCount(api.list())).as("available at step " + step).isGreaterThanOrEqualTo(3);
      if (DeploymentUtil.deploymentComplete(api.deployment, api.deployment.getStatus())
          && "NewReplicaSetAvailable".equals(progressing(api.deployment))) break;
    }
    assertThat(progressing(api.deployment)).isEqualTo("NewReplicaSetAvailable");
    assertThat(available(api.deployment)).isEqualTo("MinimumReplicasAvailable");
    assertThat(api.get("web-old").getSpec().getReplicas()).isZero();
    assertThat(api.deployment.getStatus().getUpdatedReplicas()).isEqualTo(4);
    assertThat(api.deployment.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "2");
    assertThat(api.events).anyMatch(e -> e.startsWith("Normal ScalingReplicaSet Scaled down replica set web-old from 4 to "));
  }

  /**
   * An old replica set just scaled down still reports the available pods of its former size until its controller
   * catches up. Cleaning up "unhealthy" replicas must not read spec - available < 0 as a scale-down by a negative
   * count, which grew the old set again and went past maxSurge (seen as 6 pods for 4 + 1 in DeploymentE2ETest).
   */
  @Test
  void anOldReplicaSetWhoseStatusLagsItsScaleDownIsNotScaledUpAgain() {
    Deployment d = deployment(4, 1, 1, "v2");
    FakeApi api = new FakeApi(d);
    ReplicaSet old = rs(d, "old", "v1", 2, 1, 1000);
    old.getStatus().setReplicas(3);
    old.getStatus().setReadyReplicas(3);
    old.getStatus().setAvailableReplicas(3);
    ReplicaSet fresh = rs(d, "new", "v2", 3, 2, 10);
    api.put(old);
    api.put(fresh);
    DeploymentSync sync = new DeploymentSync(api, clock);
    sync.rolloutRolling(Serial.copy(api.deployment), api.list());
    assertThat(api.get("web-old").getSpec().getReplicas()).as("old replica set after the sync").isLessThanOrEqualTo(2);
    assertThat(api.events).noneMatch(e -> e.contains("Scaled up replica set web-old"));
    assertThat(DeploymentUtil.replicaCount(api.list())).as("replicas of both sets").isLessThanOrEqualTo(5);
  }

  @Test
  void noOldPodIsRetiredWhileNewOnesAreNotAvailable() {
    Deployment d = deployment(3, 1, 0, "v2");
    FakeApi api = new FakeApi(d);
    api.put(rs(d, "old", "v1", 3, 1, 1000));
    DeploymentSync sync = new DeploymentSync(api, clock);
    for (int i = 0; i < 5; i++) {
      sync.rolloutRolling(Serial.copy(api.deployment), api.list());
      api.settle(false);
    }
    assertThat(api.get("web-old").getSpec().getReplicas()).isEqualTo(3);
    assertThat(DeploymentUtil.replicaCount(api.list())).isEqualTo(4);
  }

  @Test
  void scalingMidRolloutIsProportional() {
    Deployment before = deployment(3, "25%", "25%", "v2");
    FakeApi api = new FakeApi(before);
    ReplicaSet old = rs(before, "old", "v1", 2, 1, 1000);
    ReplicaSet fresh = rs(before, "new", "v2", 2, 2, 10);
    api.put(old);
    api.put(fresh);
    Deployment d = deployment(6, "25%", "25%", "v2");
    DeploymentSync sync = new DeploymentSync(api, clock);
    assertThat(sync.isScalingEvent(d, api.list())).isTrue();
    sync.sync(d, api.list());
    // allowed 6 + 2 = 8, 4 to add, each replica set doubles (max-replicas annotation 4 -> 8).
    assertThat(api.get("web-old").getSpec().getReplicas()).isEqualTo(4);
    assertThat(api.get("web-new").getSpec().getReplicas()).isEqualTo(4);
    assertThat(api.get("web-new").getMetadata().getAnnotations()).containsEntry(DeploymentUtil.DESIRED_REPLICAS, "6")
        .containsEntry(DeploymentUtil.MAX_REPLICAS, "8");
    assertThat(api.events).contains("Normal ScalingReplicaSet Scaled up replica set web-new from 2 to 4",
        "Normal ScalingReplicaSet Scaled up replica set web-old from 2 to 4");
    assertThat(sync.isScalingEvent(d, api.list())).isFalse();
  }

  @Test
  void scalingASettledDeploymentScalesItsOneReplicaSet() {
    Deployment d = deployment(5, "25%", "25%", "v1");
    FakeApi api = new FakeApi(d);
    api.put(rs(deployment(3, "25%", "25%", "v1"), "cur", "v1", 3, 1, 100));
    DeploymentSync sync = new DeploymentSync(api, clock);
    assertThat(sync.isScalingEvent(d, api.list())).isTrue();
    sync.sync(d, api.list());
    assertThat(api.get("web-cur").getSpec().getReplicas()).isEqualTo(5);
    assertThat(api.events).containsExactly("Normal ScalingReplicaSet Scaled up replica set web-cur from 3 to 5");
  }

  @Test
  void oldReplicaSetsBeyondTheHistoryLimitAreDeletedOldestRevisionFirst() {
    Deployment d = deployment(2, 1, 0, "v5");
    d.getSpec().setRevisionHistoryLimit(2);
    FakeApi api = new FakeApi(d);
    for (int i = 1; i <= 4; i++) api.put(rs(d, "r" + i, "v" + i, 0, i, 1000 - i));
    api.put(rs(d, "r5", "v5", 2, 5, 1));
    new DeploymentSync(api, clock).cleanupDeployment(DeploymentUtil.findOldReplicaSets(d, api.list(), api.get("web-r5")), d);
    assertThat(api.deleted).containsExactly("web-r1", "web-r2");
  }

  @Test
  void rollingBackToAnOldTemplateRevivesItsReplicaSetUnderTheNextRevision() {
    Deployment d = deployment(2, 1, 0, "v1");
    d.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(DeploymentUtil.REVISION, "2", "kubernetes.io/change-cause", "undo")));
    FakeApi api = new FakeApi(d);
    api.put(rs(d, "one", "v1", 0, 1, 100));
    api.put(rs(d, "two", "v2", 2, 2, 10));
    new DeploymentSync(api, clock).rolloutRolling(Serial.copy(d), api.list());
    ReplicaSet back = api.get("web-one");
    assertThat(back.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3")
        .containsEntry(DeploymentUtil.REVISION_HISTORY, "1").containsEntry("kubernetes.io/change-cause", "undo");
    new DeploymentSync(api, clock).rolloutRolling(Serial.copy(api.deployment), api.list());
    assertThat(api.deployment.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION, "3");
    assertThat(api.get("web-one").getSpec().getReplicas()).isEqualTo(1);
  }

  @Test
  void recreateScalesOldDownAndWaitsForTheirPodsBeforeCreating() {
    Deployment d = Fixtures.recreate(2, "v2");
    FakeApi api = new FakeApi(d);
    ReplicaSet old = rs(d, "old", "v1", 2, 1, 100);
    api.put(old);
    DeploymentSync sync = new DeploymentSync(api, clock);
    Pod oldPod = new PodBuilder().withNewMetadata().withName("p").endMetadata().withNewStatus().withPhase("Running").endStatus().build();

    sync.rolloutRecreate(Serial.copy(api.deployment), api.list(), Map.of("uid-old", List.of(oldPod)));
    assertThat(api.get("web-old").getSpec().getReplicas()).isZero();
    assertThat(api.replicaSets).hasSize(1);

    api.settle(true);
    sync.rolloutRecreate(Serial.copy(api.deployment), api.list(), Map.of("uid-old", List.of(oldPod)));
    assertThat(api.replicaSets).as("an old pod still runs").hasSize(1);

    sync.rolloutRecreate(Serial.copy(api.deployment), api.list(), Map.of("uid-old", List.of()));
    assertThat(api.replicaSets).hasSize(2);
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), null);
    assertThat(api.get("web-" + hash).getSpec().getReplicas()).isEqualTo(2);
  }

  @Test
  void aNameTakenByAnotherTemplateBumpsTheCollisionCount() {
    Deployment d = deployment(1, 1, 0, "v1");
    FakeApi api = new FakeApi(d);
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), null);
    ReplicaSet squatter = rs(deployment(1, 1, 0, "other"), "x", "other", 1, 1, 100);
    squatter.getMetadata().setName("web-" + hash);
    squatter.getMetadata().setOwnerReferences(null);
    api.put(squatter);
    DeploymentSync sync = new DeploymentSync(api, clock);
    assertThatThrownBy(() -> sync.rolloutRolling(Serial.copy(d), List.of())).isInstanceOf(KubernetesClientException.class);
    assertThat(api.deployment.getStatus().getCollisionCount()).isEqualTo(1);
    sync.rolloutRolling(Serial.copy(api.deployment), List.of());
    assertThat(api.replicaSets).containsKey("web-" + PodTemplateHash.compute(d.getSpec().getTemplate(), 1));
  }

  @Test
  void aFailedCreateIsReportedOnTheDeployment() {
    Deployment d = deployment(1, 1, 0, "v1");
    FakeApi api = new FakeApi(d);
    api.createFailure = new KubernetesClientException(new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(403)
        .withMessage("forbidden by policy").build());
    assertThatThrownBy(() -> new DeploymentSync(api, clock).rolloutRolling(Serial.copy(d), List.of()));
    assertThat(progressing(api.deployment)).isEqualTo("ReplicaSetCreateError");
    assertThat(api.events).singleElement().asString().startsWith("Warning ReplicaSetCreateError Failed to create new replica set \"web-")
        .endsWith(": forbidden by policy");
  }

  @Test
  void pausingAndResumingSetProgressingUnknown() {
    Deployment d = deployment(1, 1, 0, "v1");
    d.getSpec().setPaused(true);
    FakeApi api = new FakeApi(d);
    DeploymentSync sync = new DeploymentSync(api, clock);
    sync.checkPausedConditions(Serial.copy(d));
    assertThat(progressing(api.deployment)).isEqualTo("DeploymentPaused");
    Deployment resumed = Serial.copy(api.deployment);
    resumed.getSpec().setPaused(false);
    sync.checkPausedConditions(resumed);
    assertThat(progressing(api.deployment)).isEqualTo("DeploymentResumed");
  }

  @Test
  void aStuckRolloutIsLookedAtWhenItsDeadlinePasses() {
    Deployment d = deployment(1, 1, 0, "v2");
    d.getSpec().setProgressDeadlineSeconds(30);
    FakeApi api = new FakeApi(d);
    api.put(rs(d, "old", "v1", 1, 1, 100));
    DeploymentSync sync = new DeploymentSync(api, clock);
    sync.rolloutRolling(Serial.copy(d), api.list());
    api.settle(false);
    sync.rolloutRolling(Serial.copy(api.deployment), api.list()); // progress: the new pod exists
    assertThat(api.requeues).isEmpty();
    sync.rolloutRolling(Serial.copy(api.deployment), api.list()); // nothing new: come back at the deadline
    assertThat(api.requeues).isNotEmpty();
    assertThat(api.requeues.getLast()).isEqualTo(java.time.Duration.ofSeconds(31));
    DeploymentSync later = new DeploymentSync(api, Clock.fixed(T0.plusSeconds(31), ZoneOffset.UTC));
    later.rolloutRolling(Serial.copy(api.deployment), api.list());
    assertThat(progressing(api.deployment)).isEqualTo("ProgressDeadlineExceeded");
  }
  @Test
  void theDeprecatedRollbackAnnotationRestoresAnOldTemplate() {
    Deployment d = deployment(2, 1, 0, "v2");
    d.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(DeploymentUtil.REVISION, "2", DeploymentUtil.ROLLBACK_TO, "0",
        "kubernetes.io/change-cause", "v2")));
    FakeApi api = new FakeApi(d);
    ReplicaSet one = rs(d, "one", "v1", 0, 1, 100);
    one.getMetadata().getAnnotations().put("kubernetes.io/change-cause", "v1");
    api.put(one);
    api.put(rs(d, "two", "v2", 2, 2, 10));
    new DeploymentSync(api, clock).rollback(Serial.copy(d), api.list());
    Deployment back = api.deployment;
    assertThat(back.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("v1");
    assertThat(back.getSpec().getTemplate().getMetadata().getLabels()).doesNotContainKey(PodTemplateHash.LABEL);
    assertThat(back.getMetadata().getAnnotations()).doesNotContainKey(DeploymentUtil.ROLLBACK_TO)
        .containsEntry("kubernetes.io/change-cause", "v1").containsEntry(DeploymentUtil.REVISION, "2");
    assertThat(api.events).contains("Normal DeploymentRollback Rolled back deployment \"web\" to revision 1");
  }

  @Test
  void aRollbackToAMissingRevisionIsDroppedWithAWarning() {
    Deployment d = deployment(2, 1, 0, "v2");
    d.getMetadata().setAnnotations(new java.util.HashMap<>(Map.of(DeploymentUtil.ROLLBACK_TO, "7")));
    FakeApi api = new FakeApi(d);
    api.put(rs(d, "two", "v2", 2, 1, 10));
    new DeploymentSync(api, clock).rollback(Serial.copy(d), api.list());
    assertThat(api.deployment.getMetadata().getAnnotations()).doesNotContainKey(DeploymentUtil.ROLLBACK_TO);
    assertThat(api.deployment.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("v2");
    assertThat(api.events).contains("Warning DeploymentRollbackRevisionNotFound Unable to find the revision to rollback to.");
  }
}
