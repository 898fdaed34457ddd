package io.kava.controllers.deployment;

import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentCondition;
import io.fabric8.kubernetes.api.model.apps.DeploymentStatus;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Pods;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * Upstream's deployment utilities (pkg/controller/deployment/util): annotations, revisions, surge and
 * unavailability fenceposts, proportions, conditions and progress. Pure functions over fabric8 objects; the ones
 * that change an object say so and change only the copy they are given.
 */
public final class DeploymentUtil {
  public static final String REVISION = "deployment.kubernetes.io/revision";
  public static final String REVISION_HISTORY = "deployment.kubernetes.io/revision-history";
  public static final String DESIRED_REPLICAS = "deployment.kubernetes.io/desired-replicas";
  public static final String MAX_REPLICAS = "deployment.kubernetes.io/max-replicas";
  /** apps/v1's carrier of the old rollbackTo field; never copied to replica sets. */
  public static final String ROLLBACK_TO = "deprecated.deployment.rollback.to";
  public static final String LAST_APPLIED = "kubectl.kubernetes.io/last-applied-configuration";
  /** Upstream caps the revision-history annotation at this many characters. */
  public static final int MAX_REV_HISTORY_CHARS = 2000;

  // Condition types and reasons (apps/v1 and deployment util).
  public static final String AVAILABLE = "Available";
  public static final String PROGRESSING = "Progressing";
  public static final String REPLICA_FAILURE = "ReplicaFailure";
  public static final String NEW_RS_REASON = "NewReplicaSetCreated";
  public static final String FOUND_NEW_RS_REASON = "FoundNewReplicaSet";
  public static final String RS_UPDATED_REASON = "ReplicaSetUpdated";
  public static final String NEW_RS_AVAILABLE_REASON = "NewReplicaSetAvailable";
  public static final String TIMED_OUT_REASON = "ProgressDeadlineExceeded";
  public static final String FAILED_RS_CREATE_REASON = "ReplicaSetCreateError";
  public static final String PAUSED_REASON = "DeploymentPaused";
  public static final String RESUMED_REASON = "DeploymentResumed";
  public static final String MIN_AVAILABLE_REASON = "MinimumReplicasAvailable";
  public static final String MIN_UNAVAILABLE_REASON = "MinimumReplicasUnavailable";

  static final String RECREATE = "Recreate";
  static final String ROLLING_UPDATE = "RollingUpdate";

  private static final Set<String> SKIP_COPY = Set.of(LAST_APPLIED, REVISION, REVISION_HISTORY, DESIRED_REPLICAS, MAX_REPLICAS, ROLLBACK_TO);

  private DeploymentUtil() {}

  // ---- spec accessors with the API defaults ----------------------------------------------------------------------

  public static int replicas(Deployment d) {
    return d.getSpec() == null || d.getSpec().getReplicas() == null ? 1 : d.getSpec().getReplicas();
  }

  public static int replicas(ReplicaSet rs) {
    return rs == null || rs.getSpec() == null || rs.getSpec().getReplicas() == null ? 0 : rs.getSpec().getReplicas();
  }

  static int minReadySeconds(Deployment d) {
    return d.getSpec().getMinReadySeconds() == null ? 0 : d.getSpec().getMinReadySeconds();
  }

  static String strategy(Deployment d) {
    return d.getSpec().getStrategy() == null || d.getSpec().getStrategy().getType() == null ? ROLLING_UPDATE : d.getSpec().getStrategy().getType();
  }

  static boolean isRollingUpdate(Deployment d) { return ROLLING_UPDATE.equals(strategy(d)); }

  static boolean paused(Deployment d) { return Boolean.TRUE.equals(d.getSpec().getPaused()); }

  static boolean hasProgressDeadline(Deployment d) {
    Integer p = d.getSpec().getProgressDeadlineSeconds();
    return p != null && p != Integer.MAX_VALUE;
  }

  static boolean hasRevisionHistoryLimit(Deployment d) {
    Integer l = d.getSpec().getRevisionHistoryLimit();
    return l != null && l != Integer.MAX_VALUE;
  }

  static int statusReplicas(ReplicaSet rs) { return rs == null || rs.getStatus() == null ? 0 : n(rs.getStatus().getReplicas()); }

  static int readyReplicas(ReplicaSet rs) { return rs == null || rs.getStatus() == null ? 0 : n(rs.getStatus().getReadyReplicas()); }

  static int availableReplicas(ReplicaSet rs) { return rs == null || rs.getStatus() == null ? 0 : n(rs.getStatus().getAvailableReplicas()); }

  static int n(Integer i) { return i == null ? 0 : i; }

  static long n(Long l) { return l == null ? 0 : l; }

  // ---- surge and unavailability ----------------------------------------------------------------------------------

  /**
   * intstr.GetScaledValueFromIntOrPercent: an int as is; "N%" of {@code total}, rounded up or down.
   *
   * @throws IllegalArgumentException for a string that is not a percentage
   */
  static int scaledValue(IntOrString v, int total, boolean roundUp) {
    if (v == null) return 0;
    if (v.getIntVal() != null) return v.getIntVal();
    String s = v.getStrVal();
    if (s == null) return 0;
    if (!s.endsWith("%")) throw new IllegalArgumentException("invalid value for IntOrString: invalid type: string is not a percentage");
    int pct;
    try {
      pct = Integer.parseInt(s.substring(0, s.length() - 1));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("invalid value \"" + s + "\": " + e.getMessage());
    }
    double scaled = (double) pct * (double) total / 100;
    return (int) (roundUp ? Math.ceil(scaled) : Math.floor(scaled));
  }

  /**
   * ResolveFenceposts: surge rounds up, unavailability rounds down; if both come out 0, unavailability becomes 1 so
   * a rollout can always move (surge might be blocked by quota).
   *
   * @return {surge, unavailable}
   */
  static int[] resolveFenceposts(IntOrString maxSurge, IntOrString maxUnavailable, int desired) {
    int surge = scaledValue(maxSurge, desired, true);
    int unavailable = scaledValue(maxUnavailable, desired, false);
    if (surge == 0 && unavailable == 0) unavailable = 1;
    return new int[] {surge, unavailable};
  }

  public static int maxSurge(Deployment d) {
    if (!isRollingUpdate(d)) return 0;
    try {
      var ru = d.getSpec().getStrategy().getRollingUpdate();
      return resolveFenceposts(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(), replicas(d))[0];
    } catch (IllegalArgumentException e) {
      return 0; // validation rejects such values
    }
  }

  public static int maxUnavailable(Deployment d) {
    if (!isRollingUpdate(d) || replicas(d) == 0) return 0;
    try {
      var ru = d.getSpec().getStrategy().getRollingUpdate();
      int u = resolveFenceposts(ru == null ? null : ru.getMaxSurge(), ru == null ? null : ru.getMaxUnavailable(), replicas(d))[1];
      return Math.min(u, replicas(d));
    } catch (IllegalArgumentException e) {
      return 0;
    }
  }

  // ---- counting ------------------------------------------------------------------------------------------------

  static int replicaCount(List<ReplicaSet> rss) {
    int t = 0;
    for (ReplicaSet rs : rss) if (rs != null) t += replicas(rs);
    return t;
  }

  static int actualReplicaCount(List<ReplicaSet> rss) {
    int t = 0;
    for (ReplicaSet rs : rss) t += statusReplicas(rs);
    return t;
  }

  static int readyReplicaCount(List<ReplicaSet> rss) {
    int t = 0;
    for (ReplicaSet rs : rss) t += readyReplicas(rs);
    return t;
  }

  static int availableReplicaCount(List<ReplicaSet> rss) {
    int t = 0;
    for (ReplicaSet rs : rss) t += availableReplicas(rs);
    return t;
  }

  /** Replica sets with spec.replicas > 0 (FilterActiveReplicaSets); nulls dropped. */
  static List<ReplicaSet> active(List<ReplicaSet> rss) {
    List<ReplicaSet> out = new ArrayList<>();
    for (ReplicaSet rs : rss) if (rs != null && replicas(rs) > 0) out.add(rs);
    return out;
  }

  /** The list with {@code rs} appended unless null (Go code appends a nil new RS and skips it later). */
  static List<ReplicaSet> plus(List<ReplicaSet> rss, ReplicaSet rs) {
    List<ReplicaSet> out = new ArrayList<>(rss);
    if (rs != null) out.add(rs);
    return out;
  }

  // ---- ordering ------------------------------------------------------------------------------------------------

  /** ReplicaSetsByCreationTimestamp: older first, then by name. */
  static final Comparator<ReplicaSet> BY_CREATION = (a, b) -> {
    Instant ta = Pods.time(a.getMetadata().getCreationTimestamp());
    Instant tb = Pods.time(b.getMetadata().getCreationTimestamp());
    if (!Objects.equals(ta, tb)) {
      if (ta == null) return -1;
      if (tb == null) return 1;
      return ta.compareTo(tb);
    }
    return a.getMetadata().getName().compareTo(b.getMetadata().getName());
  };

  /** ReplicaSetsBySizeOlder: larger first; of equal size the older first (for scaling down). */
  static final Comparator<ReplicaSet> BY_SIZE_OLDER = (a, b) ->
      replicas(a) != replicas(b) ? Integer.compare(replicas(b), replicas(a)) : BY_CREATION.compare(a, b);

  /** ReplicaSetsBySizeNewer: larger first; of equal size the newer first (for scaling up). */
  static final Comparator<ReplicaSet> BY_SIZE_NEWER = (a, b) ->
      replicas(a) != replicas(b) ? Integer.compare(replicas(b), replicas(a)) : BY_CREATION.compare(b, a);

  /** ReplicaSetsByRevision: lower revision first, then by creation. */
  static final Comparator<ReplicaSet> BY_REVISION = (a, b) -> {
    long ra = revisionOrZero(a);
    long rb = revisionOrZero(b);
    return ra != rb ? Long.compare(ra, rb) : BY_CREATION.compare(a, b);
  };

  // ---- revisions and annotations ---------------------------------------------------------------------------------

  /**
   * The revision annotation; 0 when absent.
   *
   * @throws NumberFormatException when it is not a number
   */
  static long revision(ReplicaSet rs) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(REVISION);
    return v == null || v.isEmpty() ? 0 : Long.parseLong(v);
  }

  static long revisionOrZero(ReplicaSet rs) {
    try {
      return revision(rs);
    } catch (NumberFormatException e) {
      return 0;
    }
  }

  /** MaxRevision: the highest revision among {@code rss}; unreadable ones are skipped. */
  static long maxRevision(List<ReplicaSet> rss) {
    long max = 0;
    for (ReplicaSet rs : rss) {
      try {
        max = Math.max(max, revision(rs));
      } catch (NumberFormatException e) {
        // upstream logs and skips
      }
    }
    return max;
  }

  static Map<String, String> annotations(io.fabric8.kubernetes.api.model.HasMetadata o) {
    if (o.getMetadata().getAnnotations() == null) o.getMetadata().setAnnotations(new HashMap<>());
    return o.getMetadata().getAnnotations();
  }

  /** SetDeploymentRevision: sets the deployment's revision annotation; true if it changed. Mutates {@code d}. */
  static boolean setDeploymentRevision(Deployment d, String revision) {
    Map<String, String> a = annotations(d);
    if (Objects.equals(a.get(REVISION), revision)) return false;
    a.put(REVISION, revision);
    return true;
  }

  /** Annotations the controller owns, never copied between deployment and replica set. */
  static boolean skipCopy(String key) { return SKIP_COPY.contains(key); }

  /** Copies the deployment's annotations except the ones the controller owns; true if any changed. Mutates {@code rs}. */
  static boolean copyDeploymentAnnotations(Deployment d, ReplicaSet rs) {
    boolean changed = false;
    Map<String, String> to = annotations(rs);
    Map<String, String> from = d.getMetadata().getAnnotations();
    if (from == null) return false;
    for (Map.Entry<String, String> e : from.entrySet()) {
      if (SKIP_COPY.contains(e.getKey()) || Objects.equals(to.get(e.getKey()), e.getValue())) continue;
      to.put(e.getKey(), e.getValue());
      changed = true;
    }
    return changed;
  }

  /**
   * SetNewReplicaSetAnnotations: copies the deployment's annotations, raises the replica set's revision to
   * {@code newRevision} when that is higher (keeping the one it replaces in revision-history, which is how a
   * rollback to an old template shows its past), and for a replica set about to be created sets the replicas
   * annotations. Mutates {@code rs}; true if anything changed.
   */
  static boolean setNewReplicaSetAnnotations(Deployment d, ReplicaSet rs, String newRevision, boolean exists, int historyLimitChars) {
    boolean changed = copyDeploymentAnnotations(d, rs);
    Map<String, String> a = annotations(rs);
    String oldRevision = a.get(REVISION);
    boolean had = oldRevision != null;
    long oldRev;
    try {
      oldRev = oldRevision == null || oldRevision.isEmpty() ? 0 : Long.parseLong(oldRevision);
    } catch (NumberFormatException e) {
      return false;
    }
    long newRev;
    try {
      newRev = Long.parseLong(newRevision);
    } catch (NumberFormatException e) {
      return false;
    }
    if (oldRev < newRev) {
      a.put(REVISION, newRevision);
      changed = true;
    }
    if (had && oldRev < newRev) {
      String history = a.getOrDefault(REVISION_HISTORY, "");
      if (history.isEmpty()) {
        a.put(REVISION_HISTORY, oldRevision);
      } else {
        List<String> old = new ArrayList<>(List.of(history.split(",", -1)));
        int total = history.length() + oldRevision.length() + 1;
        int start = 0;
        while (total > historyLimitChars && start < old.size()) {
          total -= old.get(start).length() + 1;
          start++;
        }
        if (total <= historyLimitChars) {
          List<String> kept = new ArrayList<>(old.subList(start, old.size()));
          kept.add(oldRevision);
          a.put(REVISION_HISTORY, String.join(",", kept));
        }
      }
    }
    if (!exists && setReplicasAnnotations(rs, replicas(d), replicas(d) + maxSurge(d))) changed = true;
    return changed;
  }

  /** Sets desired-replicas and max-replicas; true if either changed. Mutates {@code rs}. */
  static boolean setReplicasAnnotations(ReplicaSet rs, int desired, int max) {
    Map<String, String> a = annotations(rs);
    boolean changed = false;
    String ds = Integer.toString(desired);
    if (!ds.equals(a.get(DESIRED_REPLICAS))) {
      a.put(DESIRED_REPLICAS, ds);
      changed = true;
    }
    String ms = Integer.toString(max);
    if (!ms.equals(a.get(MAX_REPLICAS))) {
      a.put(MAX_REPLICAS, ms);
      changed = true;
    }
    return changed;
  }

  static boolean replicasAnnotationsNeedUpdate(ReplicaSet rs, int desired, int max) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    if (a == null) return true;
    return !Integer.toString(desired).equals(a.get(DESIRED_REPLICAS)) || !Integer.toString(max).equals(a.get(MAX_REPLICAS));
  }

  static Integer intAnnotation(ReplicaSet rs, String key) {
    Map<String, String> a = rs.getMetadata().getAnnotations();
    String v = a == null ? null : a.get(key);
    if (v == null) return null;
    try {
      return Integer.parseInt(v);
    } catch (NumberFormatException e) {
      return null;
    }
  }

  // ---- finding the new and old replica sets ---------------------------------------------------------------------

  /** FindNewReplicaSet: the oldest replica set whose template equals the deployment's (ignoring the hash label). */
  static ReplicaSet findNewReplicaSet(Deployment d, List<ReplicaSet> rss) {
    List<ReplicaSet> sorted = new ArrayList<>(rss);
    sorted.sort(BY_CREATION);
    for (ReplicaSet rs : sorted) {
      if (PodTemplateHash.equalIgnoreHash(rs.getSpec().getTemplate(), d.getSpec().getTemplate())) return rs;
    }
    return null;
  }

  /** FindOldReplicaSets: every replica set but the new one. */
  static List<ReplicaSet> findOldReplicaSets(Deployment d, List<ReplicaSet> rss, ReplicaSet newRS) {
    List<ReplicaSet> all = new ArrayList<>();
    for (ReplicaSet rs : rss) {
      if (newRS != null && Objects.equals(rs.getMetadata().getUid(), newRS.getMetadata().getUid())) continue;
      all.add(rs);
    }
    return all;
  }

  // ---- sizing ------------------------------------------------------------------------------------------------

  /**
   * NewRSNewReplicas: how large the new replica set may be now.
   *
   * <p>One deliberate difference from upstream: a replica set counts with the larger of spec.replicas and
   * status.replicas. Upstream counts spec only, so right after an old replica set is scaled down the new one may
   * grow before the old pods are gone, and for a moment more than replicas + maxSurge pods run. Counting what the
   * old replica set still reports waits for its controller to see its pods go (one status round trip), which keeps
   * the surge bound true for pods, not just for specs. This is the direction upstream's KEP-3973 (terminating pods
   * in deployments) takes.
   */
  static int newRSNewReplicas(Deployment d, List<ReplicaSet> all, ReplicaSet newRS) {
    switch (strategy(d)) {
      case ROLLING_UPDATE -> {
        var ru = d.getSpec().getStrategy().getRollingUpdate();
        int surge = scaledValue(ru == null ? null : ru.getMaxSurge(), replicas(d), true);
        int current = podCountForSurge(all);
        int maxTotal = replicas(d) + surge;
        if (current >= maxTotal) return replicas(newRS);
        int up = Math.min(maxTotal - current, replicas(d) - replicas(newRS));
        return replicas(newRS) + up;
      }
      case RECREATE -> {
        return replicas(d);
      }
      default -> throw new IllegalArgumentException("deployment type " + strategy(d) + " isn't supported");
    }
  }

  /** Per replica set the larger of spec.replicas and status.replicas (see {@link #newRSNewReplicas}). */
  static int podCountForSurge(List<ReplicaSet> rss) {
    int t = 0;
    for (ReplicaSet rs : rss) if (rs != null) t += Math.max(replicas(rs), statusReplicas(rs));
    return t;
  }

  /** IsSaturated: the new replica set has all replicas, wants all (annotation) and has them all available. */
  static boolean isSaturated(Deployment d, ReplicaSet rs) {
    if (rs == null) return false;
    Integer desired = intAnnotation(rs, DESIRED_REPLICAS);
    if (desired == null) return false;
    return replicas(rs) == replicas(d) && desired == replicas(d) && availableReplicas(rs) == replicas(d);
  }

  /**
   * FindActiveOrLatest: the one replica set with replicas, or if none has any the new one (else the newest old one);
   * null when several are active.
   */
  static ReplicaSet findActiveOrLatest(ReplicaSet newRS, List<ReplicaSet> oldRSs) {
    if (newRS == null && oldRSs.isEmpty()) return null;
    List<ReplicaSet> olds = new ArrayList<>(oldRSs);
    olds.sort(BY_CREATION.reversed());
    List<ReplicaSet> act = active(plus(olds, newRS));
    return switch (act.size()) {
      case 0 -> newRS != null ? newRS : olds.getFirst();
      case 1 -> act.getFirst();
      default -> null;
    };
  }

  /**
   * GetReplicaSetProportion: this replica set's share of {@code toAdd} (negative when scaling down), never more
   * (in size) than what is left to hand out.
   */
  static int replicaSetProportion(ReplicaSet rs, Deployment d, int toAdd, int added) {
    if (rs == null || replicas(rs) == 0 || toAdd == 0 || toAdd == added) return 0;
    int fraction = replicaSetFraction(rs, d);
    int allowed = toAdd - added;
    return toAdd > 0 ? Math.min(fraction, allowed) : Math.max(fraction, allowed);
  }

  /** getReplicaSetFraction: its size scaled by new max / old max (old max from the max-replicas annotation). */
  static int replicaSetFraction(ReplicaSet rs, Deployment d) {
    if (replicas(d) == 0) return -replicas(rs);
    int deploymentMax = replicas(d) + maxSurge(d);
    Integer before = intAnnotation(rs, MAX_REPLICAS);
    int beforeMax;
    if (before == null || before == 0) {
      // Scaled by hand or annotation lost: assume the deployment's current size.
      beforeMax = d.getStatus() == null ? 0 : n(d.getStatus().getReplicas());
      if (beforeMax == 0) return 0;
    } else {
      beforeMax = before;
    }
    double newSize = (double) (replicas(rs) * deploymentMax) / (double) beforeMax;
    return roundToInt(newSize) - replicas(rs);
  }

  /** integer.RoundToInt32: half away from zero. */
  static int roundToInt(double a) { return a < 0 ? (int) (a - 0.5) : (int) (a + 0.5); }

  // ---- conditions and progress ----------------------------------------------------------------------------------

  static DeploymentCondition condition(DeploymentStatus s, String type) {
    if (s == null || s.getConditions() == null) return null;
    for (DeploymentCondition c : s.getConditions()) if (type.equals(c.getType())) return c;
    return null;
  }

  static DeploymentCondition newCondition(String type, String status, String reason, String message, Instant now) {
    DeploymentCondition c = new DeploymentCondition();
    c.setType(type);
    c.setStatus(status);
    c.setReason(reason);
    c.setMessage(message);
    String t = Timestamps.formatTime(now);
    c.setLastUpdateTime(t);
    c.setLastTransitionTime(t);
    return c;
  }

  /**
   * SetDeploymentCondition: same status and reason as the current condition changes nothing; the same status keeps
   * the current lastTransitionTime; the new condition goes to the end. Mutates {@code s}.
   */
  static void setCondition(DeploymentStatus s, DeploymentCondition c) {
    DeploymentCondition cur = condition(s, c.getType());
    if (cur != null && Objects.equals(cur.getStatus(), c.getStatus()) && Objects.equals(cur.getReason(), c.getReason())) return;
    if (cur != null && Objects.equals(cur.getStatus(), c.getStatus())) c.setLastTransitionTime(cur.getLastTransitionTime());
    List<DeploymentCondition> next = new ArrayList<>();
    if (s.getConditions() != null) for (DeploymentCondition x : s.getConditions()) if (!c.getType().equals(x.getType())) next.add(x);
    next.add(c);
    s.setConditions(next);
  }

  static void removeCondition(DeploymentStatus s, String type) {
    if (s.getConditions() == null) return;
    List<DeploymentCondition> next = new ArrayList<>();
    for (DeploymentCondition x : s.getConditions()) if (!type.equals(x.getType())) next.add(x);
    s.setConditions(next);
  }

  /** DeploymentComplete: every replica updated and available, none old, and the current generation seen. */
  static boolean deploymentComplete(Deployment d, DeploymentStatus s) {
    int want = replicas(d);
    return n(s.getUpdatedReplicas()) == want && n(s.getReplicas()) == want && n(s.getAvailableReplicas()) == want
        && n(s.getObservedGeneration()) >= n(d.getMetadata().getGeneration());
  }

  /** DeploymentProgressing: more updated, fewer old, more ready or more available pods than before. */
  static boolean deploymentProgressing(Deployment d, DeploymentStatus s) {
    DeploymentStatus old = d.getStatus() == null ? new DeploymentStatus() : d.getStatus();
    int oldOld = n(old.getReplicas()) - n(old.getUpdatedReplicas());
    int newOld = n(s.getReplicas()) - n(s.getUpdatedReplicas());
    return n(s.getUpdatedReplicas()) > n(old.getUpdatedReplicas()) || newOld < oldOld
        || n(s.getReadyReplicas()) > n(old.getReadyReplicas()) || n(s.getAvailableReplicas()) > n(old.getAvailableReplicas());
  }

  /** DeploymentTimedOut: no progress reported for progressDeadlineSeconds (a completed rollout never times out). */
  static boolean deploymentTimedOut(Deployment d, DeploymentStatus s, Instant now) {
    if (!hasProgressDeadline(d)) return false;
    DeploymentCondition c = condition(s, PROGRESSING);
    if (c == null) return false;
    if (NEW_RS_AVAILABLE_REASON.equals(c.getReason())) return false;
    if (TIMED_OUT_REASON.equals(c.getReason())) return true;
    Instant from = Pods.time(c.getLastUpdateTime());
    if (from == null) return false;
    return from.plusSeconds(d.getSpec().getProgressDeadlineSeconds()).isBefore(now);
  }

  /** reflect.DeepEqual of two statuses, reading absent counts as 0 (the wire omits zeros). */
  static boolean sameStatus(DeploymentStatus a, DeploymentStatus b) {
    if (a == null) a = new DeploymentStatus();
    if (b == null) b = new DeploymentStatus();
    return n(a.getObservedGeneration()) == n(b.getObservedGeneration())
        && n(a.getReplicas()) == n(b.getReplicas())
        && n(a.getUpdatedReplicas()) == n(b.getUpdatedReplicas())
        && n(a.getReadyReplicas()) == n(b.getReadyReplicas())
        && n(a.getAvailableReplicas()) == n(b.getAvailableReplicas())
        && n(a.getUnavailableReplicas()) == n(b.getUnavailableReplicas())
        && n(a.getTerminatingReplicas()) == n(b.getTerminatingReplicas())
        && Objects.equals(a.getCollisionCount(), b.getCollisionCount())
        && sameConditions(a.getConditions(), b.getConditions());
  }

  private static boolean sameConditions(List<DeploymentCondition> a, List<DeploymentCondition> b) {
    List<DeploymentCondition> x = a == null ? List.of() : a;
    List<DeploymentCondition> y = b == null ? List.of() : b;
    if (x.size() != y.size()) return false;
    for (int i = 0; i < x.size(); i++) {
      DeploymentCondition p = x.get(i);
      DeploymentCondition q = y.get(i);
      if (!Objects.equals(p.getType(), q.getType()) || !Objects.equals(p.getStatus(), q.getStatus())
          || !Objects.equals(p.getReason(), q.getReason()) || !Objects.equals(p.getMessage(), q.getMessage())
          || !sameTime(p.getLastUpdateTime(), q.getLastUpdateTime()) || !sameTime(p.getLastTransitionTime(), q.getLastTransitionTime())) {
        return false;
      }
    }
    return true;
  }

  private static boolean sameTime(String a, String b) { return Objects.equals(Pods.time(a), Pods.time(b)); }
}
