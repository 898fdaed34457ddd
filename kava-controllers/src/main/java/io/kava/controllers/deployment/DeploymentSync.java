package io.kava.controllers.deployment;

import static io.kava.controllers.deployment.DeploymentUtil.active;
import static io.kava.controllers.deployment.DeploymentUtil.actualReplicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.availableReplicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.availableReplicas;
import static io.kava.controllers.deployment.DeploymentUtil.condition;
import static io.kava.controllers.deployment.DeploymentUtil.hasProgressDeadline;
import static io.kava.controllers.deployment.DeploymentUtil.maxSurge;
import static io.kava.controllers.deployment.DeploymentUtil.maxUnavailable;
import static io.kava.controllers.deployment.DeploymentUtil.newCondition;
import static io.kava.controllers.deployment.DeploymentUtil.plus;
import static io.kava.controllers.deployment.DeploymentUtil.replicaCount;
import static io.kava.controllers.deployment.DeploymentUtil.replicas;
import static io.kava.controllers.deployment.DeploymentUtil.setCondition;

import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetSpec;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.client.EventRecorder;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The writing half of upstream's deployment controller (sync.go, rolling.go, recreate.go, progress.go): finds or
 * creates the new ReplicaSet, scales ReplicaSets, cleans up old ones and writes the Deployment's status.
 *
 * <p>Every method works on {@code d}, a private copy of the cached Deployment that the sync changes as it goes
 * (status, revision annotation). After each status write {@code d} takes the new resourceVersion, so a second write
 * in the same sync does not conflict with the first.
 */
final class DeploymentSync {
  private static final Logger log = LoggerFactory.getLogger(DeploymentSync.class);
  static final String COMPONENT = "deployment-controller";
  static final String SCALING_REASON = "ScalingReplicaSet";
  static final String ROLLBACK_DONE = "DeploymentRollback";
  static final String ROLLBACK_NOT_FOUND = "DeploymentRollbackRevisionNotFound";
  static final String ROLLBACK_TEMPLATE_UNCHANGED = "DeploymentRollbackTemplateUnchanged";

  /** A replica set after a scale attempt, and whether its size changed. */
  record Scaled(boolean scaled, ReplicaSet rs) {}

  /** The new replica set (may be null) and all others. */
  record NewAndOld(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    List<ReplicaSet> all() { return plus(oldRSs, newRS); }
  }

  private final DeploymentApi api;
  private final Clock clock;
  private final Progress progress;

  DeploymentSync(DeploymentApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
    this.progress = new Progress(api, clock);
  }

  // ---- entry points (syncDeployment's branches) --------------------------------------------------------------

  /** Scaling, paused or deleting deployments: sizes follow spec.replicas, no rollout. */
  void sync(Deployment d, List<ReplicaSet> rsList) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    scale(d, rs.newRS(), rs.oldRSs());
    if (DeploymentUtil.paused(d) && rollbackTo(d) == null) cleanupDeployment(rs.oldRSs(), d);
    progress.syncDeploymentStatus(rs.all(), rs.newRS(), d);
  }

  void syncStatusOnly(Deployment d, List<ReplicaSet> rsList) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    progress.syncDeploymentStatus(rs.all(), rs.newRS(), d);
  }

  /** A change of spec.replicas shows as a replica set whose desired-replicas annotation differs. */
  boolean isScalingEvent(Deployment d, List<ReplicaSet> rsList) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    for (ReplicaSet r : active(rs.all())) {
      Integer desired = DeploymentUtil.intAnnotation(r, DeploymentUtil.DESIRED_REPLICAS);
      if (desired == null) continue;
      if (desired != replicas(d)) {
        log.debug("{}/{}: scaling event: replica set {} (resourceVersion {}) wants {} replicas, the deployment {} (resourceVersion {})",
            d.getMetadata().getNamespace(), d.getMetadata().getName(), r.getMetadata().getName(), r.getMetadata().getResourceVersion(),
            desired, replicas(d), d.getMetadata().getResourceVersion());
        return true;
      }
    }
    return false;
  }

  /**
   * Pausing and resuming set Progressing to Unknown (DeploymentPaused / DeploymentResumed) so the time spent paused
   * does not count against progressDeadlineSeconds. A timed-out condition is kept.
   */
  void checkPausedConditions(Deployment d) {
    if (!hasProgressDeadline(d)) return;
    DeploymentCondition cond = condition(d.getStatus(), DeploymentUtil.PROGRESSING);
    if (cond != null && DeploymentUtil.TIMED_OUT_REASON.equals(cond.getReason())) return;
    boolean pausedCond = cond != null && DeploymentUtil.PAUSED_REASON.equals(cond.getReason());
    DeploymentStatus s = status(d);
    if (DeploymentUtil.paused(d) && !pausedCond) {
      setCondition(s, newCondition(DeploymentUtil.PROGRESSING, "Unknown", DeploymentUtil.PAUSED_REASON, "Deployment is paused", now()));
    } else if (!DeploymentUtil.paused(d) && pausedCond) {
      setCondition(s, newCondition(DeploymentUtil.PROGRESSING, "Unknown", DeploymentUtil.RESUMED_REASON, "Deployment is resumed", now()));
    } else {
      return;
    }
    writeStatus(d);
  }

  // ---- the deprecated server-side rollback ---------------------------------------------------------------------

  /**
   * Upstream's rollback for the {@code deprecated.deployment.rollback.to} annotation (apps/v1's carrier of the old
   * spec.rollbackTo; kubectl rolls back on its own): copies the template and annotations of the replica set with that
   * revision (0: the previous one) into the deployment and removes the annotation. The revision bump follows in the
   * next sync, as for any template change.
   */
  void rollback(Deployment d, List<ReplicaSet> rsList) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, true);
    List<ReplicaSet> all = rs.all();
    long to;
    try {
      to = Long.parseLong(rollbackTo(d).trim());
    } catch (NumberFormatException e) {
      to = -1;
    }
    if (to == 0) {
      to = lastRevision(all);
      if (to == 0) {
        api.event(d, EventRecorder.WARNING, ROLLBACK_NOT_FOUND, "Unable to find last revision.");
        clearRollbackTo(d);
        return;
      }
    }
    for (ReplicaSet r : all) {
      long v;
      try {
        v = DeploymentUtil.revision(r);
      } catch (NumberFormatException e) {
        continue;
      }
      if (v != to) continue;
      if (!PodTemplateHash.equalIgnoreHash(d.getSpec().getTemplate(), r.getSpec().getTemplate())) {
        PodTemplateSpec t = Serial.copy(r.getSpec().getTemplate());
        if (t.getMetadata() != null && t.getMetadata().getLabels() != null) {
          Map<String, String> labels = new LinkedHashMap<>(t.getMetadata().getLabels());
          labels.remove(PodTemplateHash.LABEL);
          t.getMetadata().setLabels(labels);
        }
        d.getSpec().setTemplate(t);
        // The deployment takes the replica set's annotations (change-cause...) so that they are not overwritten on it.
        Map<String, String> kept = new HashMap<>();
        DeploymentUtil.annotations(d).forEach((k, val) -> {
          if (DeploymentUtil.skipCopy(k)) kept.put(k, val);
        });
        DeploymentUtil.annotations(r).forEach((k, val) -> {
          if (!DeploymentUtil.skipCopy(k)) kept.put(k, val);
        });
        d.getMetadata().setAnnotations(kept);
        clearRollbackTo(d);
        api.event(d, EventRecorder.NORMAL, ROLLBACK_DONE, "Rolled back deployment \"" + d.getMetadata().getName() + "\" to revision " + to);
      } else {
        api.event(d, EventRecorder.WARNING, ROLLBACK_TEMPLATE_UNCHANGED,
            "The rollback revision contains the same template as current deployment \"" + d.getMetadata().getName() + "\"");
        clearRollbackTo(d);
      }
      return;
    }
    api.event(d, EventRecorder.WARNING, ROLLBACK_NOT_FOUND, "Unable to find the revision to rollback to.");
    clearRollbackTo(d);
  }

  private void clearRollbackTo(Deployment d) {
    DeploymentUtil.annotations(d).remove(DeploymentUtil.ROLLBACK_TO);
    api.updateDeployment(d);
  }

  /** LastRevision: the second highest revision (the one before the current). */
  static long lastRevision(List<ReplicaSet> all) {
    long max = 0;
    long second = 0;
    for (ReplicaSet r : all) {
      long v;
      try {
        v = DeploymentUtil.revision(r);
      } catch (NumberFormatException e) {
        continue;
      }
      if (v >= max) {
        second = max;
        max = v;
      } else if (v > second) {
        second = v;
      }
    }
    return second;
  }

  // ---- rollouts ------------------------------------------------------------------------------------------------

  /** RollingUpdate: surge the new replica set, then retire old pods as availability allows. */
  void rolloutRolling(Deployment d, List<ReplicaSet> rsList) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, true);
    ReplicaSet newRS = rs.newRS();
    List<ReplicaSet> oldRSs = rs.oldRSs();
    List<ReplicaSet> all = rs.all();

    Scaled up = reconcileNewReplicaSet(all, newRS, d);
    if (up.scaled()) {
      progress.syncRolloutStatus(plus(oldRSs, up.rs()), up.rs(), d);
      return;
    }
    boolean down = reconcileOldReplicaSets(all, active(oldRSs), newRS, d);
    if (down) {
      progress.syncRolloutStatus(all, newRS, d);
      return;
    }
    if (DeploymentUtil.deploymentComplete(d, status(d))) cleanupDeployment(oldRSs, d);
    progress.syncRolloutStatus(all, newRS, d);
  }

  /** Recreate: every old pod gone before the new replica set gets any. */
  void rolloutRecreate(Deployment d, List<ReplicaSet> rsList, Map<String, List<Pod>> podsByRS) {
    NewAndOld rs = getAllReplicaSetsAndSyncRevision(d, rsList, false);
    ReplicaSet newRS = rs.newRS();
    List<ReplicaSet> oldRSs = rs.oldRSs();
    List<ReplicaSet> all = rs.all();

    if (scaleDownOldReplicaSetsForRecreate(active(oldRSs), d)) {
      progress.syncRolloutStatus(all, newRS, d);
      return;
    }
    if (oldPodsRunning(newRS, oldRSs, podsByRS)) {
      progress.syncRolloutStatus(all, newRS, d);
      return;
    }
    if (newRS == null) {
      rs = getAllReplicaSetsAndSyncRevision(d, rsList, true);
      newRS = rs.newRS();
      oldRSs = rs.oldRSs();
      all = rs.all();
    }
    Scaled up = scaleReplicaSetAndRecordEvent(newRS, replicas(d), d);
    if (up.scaled()) {
      newRS = up.rs();
      all = plus(oldRSs, newRS);
    }
    if (DeploymentUtil.deploymentComplete(d, status(d))) cleanupDeployment(oldRSs, d);
    progress.syncRolloutStatus(all, newRS, d);
  }

  private Scaled reconcileNewReplicaSet(List<ReplicaSet> all, ReplicaSet newRS, Deployment d) {
    if (replicas(newRS) == replicas(d)) return new Scaled(false, newRS);
    if (replicas(newRS) > replicas(d)) return scaleReplicaSetAndRecordEvent(newRS, replicas(d), d);
    return scaleReplicaSetAndRecordEvent(newRS, DeploymentUtil.newRSNewReplicas(d, all, newRS), d);
  }

  /**
   * Scales old replica sets down as far as availability allows: first their unhealthy pods (those never count as
   * available), then healthy ones while more than spec.replicas - maxUnavailable stay available.
   */
  private boolean reconcileOldReplicaSets(List<ReplicaSet> all, List<ReplicaSet> oldRSs, ReplicaSet newRS, Deployment d) {
    if (replicaCount(oldRSs) == 0) return false;
    int allPods = replicaCount(all);
    int minAvailable = replicas(d) - maxUnavailable(d);
    int newUnavailable = replicas(newRS) - availableReplicas(newRS);
    int maxScaledDown = allPods - minAvailable - newUnavailable;
    if (maxScaledDown <= 0) return false;

    List<ReplicaSet> olds = new ArrayList<>(oldRSs);
    int cleaned;
    try {
      cleaned = cleanupUnhealthyReplicas(olds, d, maxScaledDown);
    } catch (RuntimeException e) {
      // Upstream gives up on this pass and lets the status sync run; the replica set's next status brings another.
      log.debug("{}/{}: {}", d.getMetadata().getNamespace(), d.getMetadata().getName(), e.getMessage());
      return false;
    }
    int scaledDown;
    try {
      scaledDown = scaleDownOldReplicaSetsForRollingUpdate(plus(olds, newRS), olds, d);
    } catch (RuntimeException e) {
      return false;
    }
    return cleaned + scaledDown > 0;
  }

  /** Scales old replica sets down by their unavailable pods, oldest first, up to {@code maxCleanup}; updates the list. */
  private int cleanupUnhealthyReplicas(List<ReplicaSet> oldRSs, Deployment d, int maxCleanup) {
    oldRSs.sort(DeploymentUtil.BY_CREATION);
    int total = 0;
    for (int i = 0; i < oldRSs.size(); i++) {
      if (total >= maxCleanup) break;
      ReplicaSet rs = oldRSs.get(i);
      if (replicas(rs) == 0) continue;
      if (replicas(rs) == availableReplicas(rs)) continue;
      int down = Math.min(maxCleanup - total, replicas(rs) - availableReplicas(rs));
      if (down < 0) {
        // Its status still counts the pods of a larger size (the scale-down is not observed yet): a "clean-up" would
        // scale it up again, past maxSurge. Upstream refuses the same way and leaves this pass to the status sync.
        throw new IllegalStateException("when cleaning up unhealthy replicas, got invalid request to scale down "
            + rs.getMetadata().getNamespace() + "/" + rs.getMetadata().getName() + " " + replicas(rs) + " -> " + (replicas(rs) - down));
      }
      Scaled s = scaleReplicaSetAndRecordEvent(rs, replicas(rs) - down, d);
      total += down;
      oldRSs.set(i, s.rs());
    }
    return total;
  }

  private int scaleDownOldReplicaSetsForRollingUpdate(List<ReplicaSet> all, List<ReplicaSet> oldRSs, Deployment d) {
    int minAvailable = replicas(d) - maxUnavailable(d);
    int available = availableReplicaCount(all);
    if (available <= minAvailable) return 0;
    List<ReplicaSet> olds = new ArrayList<>(oldRSs);
    olds.sort(DeploymentUtil.BY_CREATION);
    int total = 0;
    int toScaleDown = available - minAvailable;
    for (ReplicaSet rs : olds) {
      if (total >= toScaleDown) break;
      if (replicas(rs) == 0) continue;
      int down = Math.min(replicas(rs), toScaleDown - total);
      scaleReplicaSetAndRecordEvent(rs, replicas(rs) - down, d);
      total += down;
    }
    return total;
  }

  private boolean scaleDownOldReplicaSetsForRecreate(List<ReplicaSet> oldRSs, Deployment d) {
    boolean scaled = false;
    for (ReplicaSet rs : oldRSs) {
      if (replicas(rs) == 0) continue;
      if (scaleReplicaSetAndRecordEvent(rs, 0, d).scaled()) scaled = true;
    }
    return scaled;
  }

  /** Old pods still exist (in any non-terminal phase), or an old replica set still reports some. */
  static boolean oldPodsRunning(ReplicaSet newRS, List<ReplicaSet> oldRSs, Map<String, List<Pod>> podsByRS) {
    if (actualReplicaCount(oldRSs) > 0) return true;
    for (Map.Entry<String, List<Pod>> e : podsByRS.entrySet()) {
      if (newRS != null && e.getKey().equals(newRS.getMetadata().getUid())) continue;
      for (Pod p : e.getValue()) {
        String phase = p.getStatus() == null ? null : p.getStatus().getPhase();
        if ("Failed".equals(phase) || "Succeeded".equals(phase)) continue;
        return true;
      }
    }
    return false;
  }

  // ---- the new replica set -----------------------------------------------------------------------------------

  NewAndOld getAllReplicaSetsAndSyncRevision(Deployment d, List<ReplicaSet> rsList, boolean create) {
    ReplicaSet existing = DeploymentUtil.findNewReplicaSet(d, rsList);
    List<ReplicaSet> oldRSs = DeploymentUtil.findOldReplicaSets(d, rsList, existing);
    return new NewAndOld(getNewReplicaSet(d, rsList, existing, oldRSs, create), oldRSs);
  }

  /**
   * The replica set running the deployment's template: the existing one brought up to date (annotations, revision,
   * minReadySeconds), or, when {@code create}, a new one named {@code <deployment>-<pod-template-hash>}.
   */
  private ReplicaSet getNewReplicaSet(Deployment d, List<ReplicaSet> rsList, ReplicaSet existing, List<ReplicaSet> oldRSs, boolean create) {
    long maxOld = DeploymentUtil.maxRevision(oldRSs);
    String newRevision = Long.toString(maxOld + 1);

    if (existing != null) {
      ReplicaSet copy = Serial.copy(existing);
      boolean annotationsUpdated = DeploymentUtil.setNewReplicaSetAnnotations(d, copy, newRevision, true, DeploymentUtil.MAX_REV_HISTORY_CHARS);
      boolean minReadyUpdate = n(copy.getSpec().getMinReadySeconds()) != DeploymentUtil.minReadySeconds(d);
      if (annotationsUpdated || minReadyUpdate) {
        copy.getSpec().setMinReadySeconds(DeploymentUtil.minReadySeconds(d));
        return api.updateReplicaSet(copy);
      }
      boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, copy.getMetadata().getAnnotations().get(DeploymentUtil.REVISION));
      DeploymentCondition cond = condition(d.getStatus(), DeploymentUtil.PROGRESSING);
      if (hasProgressDeadline(d) && cond == null) {
        setCondition(status(d), newCondition(DeploymentUtil.PROGRESSING, "True", DeploymentUtil.FOUND_NEW_RS_REASON,
            "Found new replica set \"" + copy.getMetadata().getName() + "\"", now()));
        needsUpdate = true;
      }
      if (needsUpdate) writeStatus(d);
      return copy;
    }
    if (!create) return null;

    PodTemplateSpec template = Serial.copy(d.getSpec().getTemplate());
    String hash = PodTemplateHash.compute(d.getSpec().getTemplate(), d.getStatus() == null ? null : d.getStatus().getCollisionCount());
    Map<String, String> labels = new LinkedHashMap<>();
    if (template.getMetadata() == null) template.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMeta());
    if (template.getMetadata().getLabels() != null) labels.putAll(template.getMetadata().getLabels());
    labels.put(PodTemplateHash.LABEL, hash);
    template.getMetadata().setLabels(labels);
    LabelSelector selector = Serial.copy(d.getSpec().getSelector());
    Map<String, String> match = new LinkedHashMap<>();
    if (selector.getMatchLabels() != null) match.putAll(selector.getMatchLabels());
    match.put(PodTemplateHash.LABEL, hash);
    selector.setMatchLabels(match);

    ReplicaSet fresh = new ReplicaSet();
    fresh.setMetadata(new ObjectMetaBuilder()
        .withName(d.getMetadata().getName() + "-" + hash)
        .withNamespace(d.getMetadata().getNamespace())
        .withOwnerReferences(Owners.newControllerRef(d, DeploymentController.API_VERSION, DeploymentController.KIND))
        .withLabels(new LinkedHashMap<>(labels))
        .build());
    ReplicaSetSpec spec = new ReplicaSetSpec();
    spec.setReplicas(0);
    spec.setMinReadySeconds(DeploymentUtil.minReadySeconds(d));
    spec.setSelector(selector);
    spec.setTemplate(template);
    fresh.setSpec(spec);
    int newReplicas = DeploymentUtil.newRSNewReplicas(d, plus(oldRSs, fresh), fresh);
    spec.setReplicas(newReplicas);
    DeploymentUtil.setNewReplicaSetAnnotations(d, fresh, newRevision, false, DeploymentUtil.MAX_REV_HISTORY_CHARS);

    boolean alreadyExists = false;
    ReplicaSet created;
    try {
      created = api.createReplicaSet(fresh);
    } catch (KubernetesClientException e) {
      if (ApiErrors.isAlreadyExists(e)) {
        // Our own earlier create not yet in the cache, or another template hashing to the same name.
        ReplicaSet found = api.cachedReplicaSet(d.getMetadata().getNamespace(), fresh.getMetadata().getName());
        if (found == null) throw e;
        var ref = Owners.controllerOf(found);
        if (ref != null && Objects.equals(ref.getUid(), d.getMetadata().getUid())
            && PodTemplateHash.equalIgnoreHash(d.getSpec().getTemplate(), found.getSpec().getTemplate())) {
          created = found;
          alreadyExists = true;
        } else {
          // A hash collision: bump collisionCount so the next sync computes another name.
          DeploymentStatus s = status(d);
          s.setCollisionCount(s.getCollisionCount() == null ? 1 : s.getCollisionCount() + 1);
          try {
            writeStatus(d);
          } catch (KubernetesClientException ignored) {
            // the retry will find the collision again
          }
          throw e;
        }
      } else if (ApiErrors.isNamespaceTerminating(e)) {
        throw e;
      } else {
        String msg = "Failed to create new replica set \"" + fresh.getMetadata().getName() + "\": " + ApiErrors.message(e);
        if (hasProgressDeadline(d)) {
          setCondition(status(d), newCondition(DeploymentUtil.PROGRESSING, "False", DeploymentUtil.FAILED_RS_CREATE_REASON, msg, now()));
          try {
            writeStatus(d);
          } catch (KubernetesClientException ignored) {
            // the bigger problem is reported below
          }
        }
        api.event(d, EventRecorder.WARNING, DeploymentUtil.FAILED_RS_CREATE_REASON, msg);
        throw e;
      }
    }
    if (!alreadyExists && newReplicas > 0) {
      api.event(d, EventRecorder.NORMAL, SCALING_REASON,
          "Scaled up replica set " + created.getMetadata().getName() + " from 0 to " + newReplicas);
    }
    boolean needsUpdate = DeploymentUtil.setDeploymentRevision(d, newRevision);
    if (!alreadyExists && hasProgressDeadline(d)) {
      setCondition(status(d), newCondition(DeploymentUtil.PROGRESSING, "True", DeploymentUtil.NEW_RS_REASON,
          "Created new replica set \"" + created.getMetadata().getName() + "\"", now()));
      needsUpdate = true;
    }
    if (needsUpdate) writeStatus(d);
    return created;
  }

  // ---- scaling -------------------------------------------------------------------------------------------------

  /**
   * Sizes the replica sets for spec.replicas outside a rollout: one active replica set takes it all; a saturated
   * new one means old ones go to zero; otherwise (a rolling rollout in progress) the difference is shared out in
   * proportion to the replica sets' sizes, leftovers to the largest.
   */
  void scale(Deployment d, ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    ReplicaSet one = DeploymentUtil.findActiveOrLatest(newRS, oldRSs);
    if (one != null) {
      if (replicas(one) == replicas(d)) return;
      scaleReplicaSetAndRecordEvent(one, replicas(d), d);
      return;
    }
    if (DeploymentUtil.isSaturated(d, newRS)) {
      for (ReplicaSet old : active(oldRSs)) scaleReplicaSetAndRecordEvent(old, 0, d);
      return;
    }
    if (!DeploymentUtil.isRollingUpdate(d)) return;

    List<ReplicaSet> all = active(plus(oldRSs, newRS));
    int allReplicas = replicaCount(all);
    int allowed = replicas(d) > 0 ? replicas(d) + maxSurge(d) : 0;
    int toAdd = allowed - allReplicas;
    String op = "";
    if (toAdd > 0) {
      all.sort(DeploymentUtil.BY_SIZE_NEWER);
      op = "up";
    } else if (toAdd < 0) {
      all.sort(DeploymentUtil.BY_SIZE_OLDER);
      op = "down";
    }
    int added = 0;
    Map<String, Integer> sizes = new HashMap<>();
    for (ReplicaSet rs : all) {
      if (toAdd != 0) {
        int p = DeploymentUtil.replicaSetProportion(rs, d, toAdd, added);
        sizes.put(rs.getMetadata().getName(), replicas(rs) + p);
        added += p;
      } else {
        sizes.put(rs.getMetadata().getName(), replicas(rs));
      }
    }
    for (int i = 0; i < all.size(); i++) {
      ReplicaSet rs = all.get(i);
      String name = rs.getMetadata().getName();
      if (i == 0 && toAdd != 0) {
        int leftover = toAdd - added;
        sizes.put(name, Math.max(0, sizes.get(name) + leftover));
      }
      scaleReplicaSet(rs, sizes.get(name), d, op);
    }
  }

  Scaled scaleReplicaSetAndRecordEvent(ReplicaSet rs, int newScale, Deployment d) {
    if (replicas(rs) == newScale) return new Scaled(false, rs);
    return scaleReplicaSet(rs, newScale, d, replicas(rs) < newScale ? "up" : "down");
  }

  /** Sets the size and the replicas annotations; records "Scaled up/down replica set X from A to B". */
  private Scaled scaleReplicaSet(ReplicaSet rs, int newScale, Deployment d, String op) {
    boolean sizeChange = replicas(rs) != newScale;
    int maxReplicas = replicas(d) + maxSurge(d);
    boolean annotationsChange = DeploymentUtil.replicasAnnotationsNeedUpdate(rs, replicas(d), maxReplicas);
    if (!sizeChange && !annotationsChange) return new Scaled(false, rs);
    int oldScale = replicas(rs);
    ReplicaSet copy = Serial.copy(rs);
    copy.getSpec().setReplicas(newScale);
    DeploymentUtil.setReplicasAnnotations(copy, replicas(d), maxReplicas);
    ReplicaSet updated = api.updateReplicaSet(copy);
    log.debug("{}/{}: replica set {} scaled {} from {} to {} (resourceVersion {} -> {})", d.getMetadata().getNamespace(),
        d.getMetadata().getName(), updated.getMetadata().getName(), op, oldScale, newScale, rs.getMetadata().getResourceVersion(),
        updated.getMetadata().getResourceVersion());
    if (sizeChange) {
      api.event(d, EventRecorder.NORMAL, SCALING_REASON,
          "Scaled " + op + " replica set " + updated.getMetadata().getName() + " from " + oldScale + " to " + newScale);
    }
    return new Scaled(sizeChange, updated);
  }

  /** Deletes the oldest old replica sets beyond revisionHistoryLimit, only those fully scaled down and settled. */
  void cleanupDeployment(List<ReplicaSet> oldRSs, Deployment d) {
    if (!DeploymentUtil.hasRevisionHistoryLimit(d)) return;
    List<ReplicaSet> cleanable = new ArrayList<>();
    for (ReplicaSet rs : oldRSs) if (rs != null && rs.getMetadata().getDeletionTimestamp() == null) cleanable.add(rs);
    int diff = cleanable.size() - d.getSpec().getRevisionHistoryLimit();
    if (diff <= 0) return;
    cleanable.sort(DeploymentUtil.BY_REVISION);
    for (int i = 0; i < diff; i++) {
      ReplicaSet rs = cleanable.get(i);
      if (DeploymentUtil.statusReplicas(rs) != 0 || replicas(rs) != 0
          || n(rs.getMetadata().getGeneration()) > (rs.getStatus() == null ? 0 : DeploymentUtil.n(rs.getStatus().getObservedGeneration()))
          || rs.getMetadata().getDeletionTimestamp() != null) {
        continue;
      }
      api.deleteReplicaSet(rs);
    }
  }

  // ---- helpers -------------------------------------------------------------------------------------------------

  private void writeStatus(Deployment d) { progress.writeStatus(d); }

  private static DeploymentStatus status(Deployment d) {
    if (d.getStatus() == null) d.setStatus(new DeploymentStatus());
    return d.getStatus();
  }

  /** apps/v1 has no rollbackTo; the deprecated annotation is its carrier. Rollbacks are done by kubectl. */
  static String rollbackTo(Deployment d) {
    Map<String, String> a = d.getMetadata().getAnnotations();
    return a == null ? null : a.get(DeploymentUtil.ROLLBACK_TO);
  }

  private Instant now() { return clock.instant(); }

  private static int n(Integer i) { return i == null ? 0 : i; }

  private static long n(Long l) { return l == null ? 0 : l; }
}
