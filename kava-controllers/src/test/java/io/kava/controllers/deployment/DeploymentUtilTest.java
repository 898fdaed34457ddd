package io.kava.controllers.deployment;

import static io.kava.controllers.deployment.Fixtures.T0;
import static io.kava.controllers.deployment.Fixtures.deployment;
import static io.kava.controllers.deployment.Fixtures.rs;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kava.api.time.Timestamps;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class DeploymentUtilTest {
  @Test
  void percentagesRoundUpForSurgeAndDownForUnavailability() {
    assertThat(DeploymentUtil.scaledValue(new IntOrString("25%"), 3, true)).isEqualTo(1);
    assertThat(DeploymentUtil.scaledValue(new IntOrString("25%"), 3, false)).isZero();
    assertThat(DeploymentUtil.scaledValue(new IntOrString("25%"), 10, true)).isEqualTo(3);
    assertThat(DeploymentUtil.scaledValue(new IntOrString("25%"), 10, false)).isEqualTo(2);
    assertThat(DeploymentUtil.scaledValue(new IntOrString(4), 10, false)).isEqualTo(4);
    assertThatThrownBy(() -> DeploymentUtil.scaledValue(new IntOrString("4"), 10, false)).hasMessageContaining("not a percentage");
  }

  @Test
  void fencepostsNeverBothZero() {
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString(0), new IntOrString("25%"), 3)).containsExactly(0, 1);
    assertThat(DeploymentUtil.resolveFenceposts(new IntOrString("25%"), new IntOrString("25%"), 3)).containsExactly(1, 0);
    Deployment d = deployment(3, "25%", "25%", "v1");
    assertThat(DeploymentUtil.maxSurge(d)).isEqualTo(1);
    assertThat(DeploymentUtil.maxUnavailable(d)).isZero();
    assertThat(DeploymentUtil.maxUnavailable(deployment(2, 0, 5, "v1"))).as("capped at replicas").isEqualTo(2);
    assertThat(DeploymentUtil.maxUnavailable(deployment(0, 1, 1, "v1"))).isZero();
    assertThat(DeploymentUtil.maxSurge(Fixtures.recreate(3, "v1"))).isZero();
  }

  @Test
  void theNewReplicaSetGrowsWithinTheSurge() {
    Deployment d = deployment(3, 1, 0, "v2");
    ReplicaSet old = rs(d, "old", "v1", 3, 1, 100);
    ReplicaSet fresh = rs(d, "new", "v2", 0, 2, 1);
    assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, fresh), fresh)).isEqualTo(1);
    old.getSpec().setReplicas(2);
    // The old replica set still reports 3 pods: wait for them to go before surging again.
    ReplicaSet one = rsWithSpec(fresh, 1);
    assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, one), one)).isEqualTo(1);
    old.getStatus().setReplicas(2);
    assertThat(DeploymentUtil.newRSNewReplicas(d, List.of(old, one), one)).isEqualTo(2);
    assertThat(DeploymentUtil.newRSNewReplicas(Fixtures.recreate(5, "v2"), List.of(old), fresh)).isEqualTo(5);
  }

  static ReplicaSet rsWithSpec(ReplicaSet rs, int replicas) {
    ReplicaSet c = io.kava.controllers.workload.Serial.copy(rs);
    c.getSpec().setReplicas(replicas);
    c.getStatus().setReplicas(Math.min(replicas, c.getStatus().getReplicas()));
    return c;
  }

  @Test
  void newReplicaSetAnnotationsCarryRevisionHistoryOnRollback() {
    Deployment d = deployment(3, 1, 0, "v1");
    d.getMetadata().setAnnotations(new HashMap<>(Map.of("kubernetes.io/change-cause", "v1 again", DeploymentUtil.REVISION, "3",
        DeploymentUtil.LAST_APPLIED, "{}")));
    ReplicaSet back = rs(d, "old", "v1", 0, 1, 100);
    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(d, back, "4", true, DeploymentUtil.MAX_REV_HISTORY_CHARS)).isTrue();
    Map<String, String> a = back.getMetadata().getAnnotations();
    assertThat(a).containsEntry(DeploymentUtil.REVISION, "4").containsEntry(DeploymentUtil.REVISION_HISTORY, "1")
        .containsEntry("kubernetes.io/change-cause", "v1 again").doesNotContainKey(DeploymentUtil.LAST_APPLIED);
    DeploymentUtil.setNewReplicaSetAnnotations(d, back, "6", true, DeploymentUtil.MAX_REV_HISTORY_CHARS);
    assertThat(back.getMetadata().getAnnotations()).containsEntry(DeploymentUtil.REVISION_HISTORY, "1,4");
    assertThat(DeploymentUtil.setNewReplicaSetAnnotations(d, back, "5", true, DeploymentUtil.MAX_REV_HISTORY_CHARS))
        .as("never lowers a revision").isFalse();
  }

  @Test
  void revisionHistoryIsCappedByLength() {
    Deployment d = deployment(1, 1, 0, "v1");
    ReplicaSet r = rs(d, "x", "v1", 0, 9, 100);
    r.getMetadata().getAnnotations().put(DeploymentUtil.REVISION_HISTORY, "1,3,5,7");
    DeploymentUtil.setNewReplicaSetAnnotations(d, r, "10", true, 7);
    assertThat(r.getMetadata().getAnnotations().get(DeploymentUtil.REVISION_HISTORY)).isEqualTo("3,5,7,9");
  }

  @Test
  void proportionsFollowTheMaxReplicasAnnotation() {
    // Mid-rollout 4 pods (2 old, 2 new) under max-replicas 4; scaled to 6 with surge 25% (2): allowed 8.
    Deployment d = deployment(6, "25%", "25%", "v2");
    ReplicaSet old = rs(deployment(3, "25%", "25%", "v1"), "old", "v1", 2, 1, 100);
    old.getMetadata().getAnnotations().put(DeploymentUtil.MAX_REPLICAS, "4");
    assertThat(DeploymentUtil.replicaSetFraction(old, d)).isEqualTo(2);
    assertThat(DeploymentUtil.replicaSetProportion(old, d, 4, 2)).isEqualTo(2);
    assertThat(DeploymentUtil.replicaSetProportion(old, d, 4, 3)).isEqualTo(1);
    assertThat(DeploymentUtil.replicaSetProportion(old, deployment(0, 1, 1, "v1"), -2, 0)).isEqualTo(-2);
    assertThat(DeploymentUtil.roundToInt(2.5)).isEqualTo(3);
    assertThat(DeploymentUtil.roundToInt(-2.5)).isEqualTo(-3);
  }

  @Test
  void setConditionKeepsTransitionTimeWhileTheStatusStays() {
    DeploymentStatus s = new DeploymentStatus();
    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition("Progressing", "True", "NewReplicaSetCreated", "a", T0));
    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition("Progressing", "True", "NewReplicaSetCreated", "b", T0.plusSeconds(5)));
    assertThat(s.getConditions()).singleElement().extracting(DeploymentCondition::getMessage).isEqualTo("a");
    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition("Progressing", "True", "ReplicaSetUpdated", "c", T0.plusSeconds(9)));
    DeploymentCondition c = s.getConditions().getFirst();
    assertThat(c.getReason()).isEqualTo("ReplicaSetUpdated");
    assertThat(c.getLastTransitionTime()).isEqualTo(Timestamps.formatTime(T0));
    assertThat(c.getLastUpdateTime()).isEqualTo(Timestamps.formatTime(T0.plusSeconds(9)));
  }

  @Test
  void timesOutOnlyAfterTheDeadlineWithoutProgress() {
    Deployment d = deployment(3, 1, 0, "v1");
    d.getSpec().setProgressDeadlineSeconds(60);
    DeploymentStatus s = new DeploymentStatus();
    DeploymentUtil.setCondition(s, DeploymentUtil.newCondition("Progressing", "True", "ReplicaSetUpdated", "", T0));
    assertThat(DeploymentUtil.deploymentTimedOut(d, s, T0.plusSeconds(60))).isFalse();
    assertThat(DeploymentUtil.deploymentTimedOut(d, s, T0.plusSeconds(61))).isTrue();
    DeploymentStatus done = new DeploymentStatus();
    DeploymentUtil.setCondition(done, DeploymentUtil.newCondition("Progressing", "True", "NewReplicaSetAvailable", "", T0));
    assertThat(DeploymentUtil.deploymentTimedOut(d, done, T0.plusSeconds(6000))).isFalse();
  }

  @Test
  void findsTheOldestReplicaSetWithTheTemplateAsTheNewOne() {
    Deployment d = deployment(3, 1, 0, "v1");
    ReplicaSet a = rs(d, "a", "v1", 1, 1, 50);
    ReplicaSet b = rs(d, "b", "v1", 1, 2, 100);
    ReplicaSet c = rs(d, "c", "v2", 1, 3, 200);
    assertThat(DeploymentUtil.findNewReplicaSet(d, List.of(a, b, c))).isSameAs(b);
    assertThat(DeploymentUtil.findOldReplicaSets(d, List.of(a, b, c), b)).containsExactly(a, c);
  }

  @Test
  void activeOrLatest() {
    Deployment d = deployment(3, 1, 0, "v1");
    ReplicaSet newRS = rs(d, "n", "v2", 0, 2, 1);
    ReplicaSet old1 = rs(d, "o1", "v1", 0, 1, 100);
    ReplicaSet old2 = rs(d, "o2", "v1", 0, 1, 50);
    assertThat(DeploymentUtil.findActiveOrLatest(newRS, List.of(old1, old2))).isSameAs(newRS);
    assertThat(DeploymentUtil.findActiveOrLatest(null, List.of(old1, old2))).isSameAs(old2);
    old1.getSpec().setReplicas(2);
    assertThat(DeploymentUtil.findActiveOrLatest(newRS, List.of(old1, old2))).isSameAs(old1);
    newRS.getSpec().setReplicas(1);
    assertThat(DeploymentUtil.findActiveOrLatest(newRS, List.of(old1, old2))).isNull();
  }
}
