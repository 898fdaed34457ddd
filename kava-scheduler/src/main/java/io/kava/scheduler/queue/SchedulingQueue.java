package io.kava.scheduler.queue;

import io.kava.scheduler.framework.ClusterEvent;
import io.kava.scheduler.framework.PodInfo;
import java.time.Duration;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Function;

/**
 * The scheduling queue, with upstream's three parts:
 *
 * <ul>
 *   <li><b>activeQ</b>: pods to try now, highest priority first, then the longest waiting;</li>
 *   <li><b>backoffQ</b>: pods that failed and wait out their backoff (1 s doubling per attempt, at most 10 s) before
 *       going back to activeQ ({@link #flushBackoffCompleted});</li>
 *   <li><b>unschedulable</b>: pods no node could take; they stay until a cluster event that one of the plugins that
 *       rejected them registered for ({@link #moveAllToActiveOrBackoff}), or for at most 5 minutes
 *       ({@link #flushUnschedulableLeftover}).</li>
 * </ul>
 *
 * A pod that fails while a cluster event arrived during its cycle goes to backoffQ rather than unschedulable: the
 * event might have been the one it waited for. Pods that failed with an error (not a rejection) always go to
 * backoffQ.
 *
 * <p>The queue owns no threads and reads time only from the injected clock, so tests drive it deterministically;
 * the scheduler calls the flush methods periodically. It also keeps the nominator: pending pods that preempted
 * others and wait for a node (status.nominatedNodeName). Thread-safe.
 */
public final class SchedulingQueue {
  public static final Duration INITIAL_BACKOFF = Duration.ofSeconds(1);
  public static final Duration MAX_BACKOFF = Duration.ofSeconds(10);
  public static final Duration MAX_IN_UNSCHEDULABLE = Duration.ofMinutes(5);

  private final InstantSource clock;
  private final long initialBackoffMs;
  private final long maxBackoffMs;
  private final Function<String, List<ClusterEvent>> pluginEvents;
  private final ReentrantLock lock = new ReentrantLock();
  private final Condition nonEmpty = lock.newCondition();
  // Everything below is guarded by lock.
  private final TreeSet<QueuedPodInfo> active = new TreeSet<>(Comparator
      .comparingInt((QueuedPodInfo q) -> -q.pod.priority())
      .thenComparingLong(q -> q.timestamp)
      .thenComparingLong(q -> q.seq));
  private final TreeSet<QueuedPodInfo> backoff = new TreeSet<>(Comparator
      .comparingLong(this::backoffExpiry)
      .thenComparingLong(q -> q.seq));
  private final Map<String, QueuedPodInfo> unschedulable = new HashMap<>();
  /** Every pod the queue knows, by key (namespace/name), wherever it is. */
  private final Map<String, QueuedPodInfo> pods = new HashMap<>();
  private final Map<String, List<PodInfo>> nominatedByNode = new HashMap<>();
  private final Map<String, String> nominatedNodeByUid = new HashMap<>();
  /**
   * How many pods hold a nomination, written under {@link #lock}: filters ask {@link #nominatedPods} for every node
   * they look at (500 of 5,000 nodes per pod), and almost always there are none — that answer needs no lock.
   */
  private volatile int nominatedCount;
  /** Cluster events since the last pop (the in-flight pod's cycle); more than the cap counts as "anything". */
  private final List<ClusterEvent> eventsInFlight = new ArrayList<>();
  private boolean eventsOverflowed;
  private long seq;
  private long schedulingCycle;
  private boolean closed;
  static final int MAX_EVENTS_IN_FLIGHT = 256;

  /**
   * @param pluginEvents the cluster events each plugin registered (by plugin name)
   */
  public SchedulingQueue(InstantSource clock, Function<String, List<ClusterEvent>> pluginEvents) {
    this(clock, pluginEvents, INITIAL_BACKOFF, MAX_BACKOFF);
  }

  public SchedulingQueue(InstantSource clock, Function<String, List<ClusterEvent>> pluginEvents, Duration initialBackoff, Duration maxBackoff) {
    this.clock = clock;
    this.pluginEvents = pluginEvents;
    this.initialBackoffMs = initialBackoff.toMillis();
    this.maxBackoffMs = maxBackoff.toMillis();
  }

  // ---------------------------------------------------------------------------------------------- pod events

  /** A new pending pod: straight to activeQ. */
  public void add(PodInfo pod) {
    lock.lock();
    try {
      QueuedPodInfo q = pods.get(pod.key());
      if (q != null) {
        updateLocked(q, pod, true);
        return;
      }
      q = new QueuedPodInfo(pod, now());
      pods.put(pod.key(), q);
      toActive(q);
      nominateFromStatus(pod);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A pending pod changed. In activeQ or backoffQ it is updated in place; an unschedulable pod whose spec, labels
   * or annotations changed may fit now, so it moves on (to backoffQ if still backing off); status-only changes
   * (our own condition writes) leave it where it is.
   */
  public void update(PodInfo oldPod, PodInfo newPod) {
    lock.lock();
    try {
      QueuedPodInfo q = pods.get(newPod.key());
      if (q == null) {
        q = new QueuedPodInfo(newPod, now());
        pods.put(newPod.key(), q);
        toActive(q);
      } else {
        updateLocked(q, newPod, oldPod == null || specChanged(oldPod, newPod));
      }
      nominateFromStatus(newPod);
    } finally {
      lock.unlock();
    }
  }

  private void updateLocked(QueuedPodInfo q, PodInfo pod, boolean changed) {
    switch (q.where) {
      case ACTIVE -> {
        active.remove(q);
        q.pod = pod;
        active.add(q);
      }
      case BACKOFF -> {
        backoff.remove(q);
        q.pod = pod;
        backoff.add(q);
      }
      case UNSCHEDULABLE -> {
        q.pod = pod;
        if (changed) {
          unschedulable.remove(q.pod.key());
          q.where = QueuedPodInfo.Where.NONE;
          if (backingOff(q)) toBackoff(q);
          else toActive(q);
        }
      }
      case IN_FLIGHT, NONE -> q.pod = pod;
    }
  }

  /** The pod is gone (deleted, or bound by someone else): forget it everywhere. */
  public void delete(PodInfo pod) {
    lock.lock();
    try {
      QueuedPodInfo q = pods.get(pod.key());
      if (q != null && (pod.uid() == null || q.pod.uid() == null || pod.uid().equals(q.pod.uid()))) {
        removeLocked(q);
        if (q.where == QueuedPodInfo.Where.IN_FLIGHT) q.deletedInFlight = true;
        pods.remove(pod.key());
      }
      removeNominatedLocked(pod);
    } finally {
      lock.unlock();
    }
  }

  private void removeLocked(QueuedPodInfo q) {
    switch (q.where) {
      case ACTIVE -> active.remove(q);
      case BACKOFF -> backoff.remove(q);
      case UNSCHEDULABLE -> unschedulable.remove(q.pod.key());
      default -> { }
    }
  }

  // ------------------------------------------------------------------------------------------ scheduling cycle

  /**
   * Takes the next pod to schedule, waiting up to {@code timeout} for one; null on timeout or after close. The pod
   * is "in flight" until {@link #done} or {@link #addUnschedulable}.
   */
  public QueuedPodInfo pop(Duration timeout) throws InterruptedException {
    lock.lock();
    try {
      long nanos = timeout.toNanos();
      while (active.isEmpty() && !closed) {
        if (nanos <= 0) return null;
        nanos = nonEmpty.awaitNanos(nanos);
      }
      if (closed) return null;
      QueuedPodInfo q = active.pollFirst();
      q.where = QueuedPodInfo.Where.IN_FLIGHT;
      q.attempts++;
      schedulingCycle++;
      eventsInFlight.clear();
      eventsOverflowed = false;
      return q;
    } finally {
      lock.unlock();
    }
  }

  /** The number of the cycle of the last popped pod (pass it to {@link #addUnschedulable}). */
  public long schedulingCycle() {
    lock.lock();
    try {
      return schedulingCycle;
    } finally {
      lock.unlock();
    }
  }

  /** The popped pod was bound (or handed to binding): it leaves the queue. */
  public void done(QueuedPodInfo q) {
    lock.lock();
    try {
      if (q.where == QueuedPodInfo.Where.IN_FLIGHT) {
        q.where = QueuedPodInfo.Where.NONE;
        pods.remove(q.pod.key(), q);
      }
    } finally {
      lock.unlock();
    }
  }

  /**
   * A popped pod failed. After an {@code error} it backs off. After a rejection it waits in the unschedulable pool
   * for an event that one of the plugins in {@code rejectedBy} registered for (any event when empty), unless such an
   * event already happened while it was being scheduled in cycle {@code podCycle}: then it backs off and is retried,
   * since that event may have been the one it needed.
   */
  public void addUnschedulable(QueuedPodInfo q, Set<String> rejectedBy, boolean error, long podCycle) {
    lock.lock();
    try {
      if (q.deletedInFlight || closed) return;
      if (q.where != QueuedPodInfo.Where.IN_FLIGHT && q.where != QueuedPodInfo.Where.NONE) return; // already re-added
      QueuedPodInfo current = pods.get(q.pod.key());
      if (current != null && current != q) return; // the pod came back through an informer event meanwhile
      q.timestamp = now();
      q.unschedulablePlugins = Set.copyOf(rejectedBy);
      pods.put(q.pod.key(), q);
      if (error || (podCycle == schedulingCycle && sawInterestingEvent(q)) || podCycle != schedulingCycle) {
        toBackoff(q);
      } else {
        q.where = QueuedPodInfo.Where.UNSCHEDULABLE;
        unschedulable.put(q.pod.key(), q);
      }
    } finally {
      lock.unlock();
    }
  }

  // ------------------------------------------------------------------------------------------------- movement

  /** Moves every backed-off pod whose backoff has expired to activeQ. Call every second. */
  public void flushBackoffCompleted() {
    lock.lock();
    try {
      long now = now();
      while (!backoff.isEmpty() && backoffExpiry(backoff.first()) <= now) {
        QueuedPodInfo q = backoff.pollFirst();
        q.where = QueuedPodInfo.Where.NONE;
        toActive(q);
      }
    } finally {
      lock.unlock();
    }
  }

  /** Retries pods that sat in the unschedulable pool for longer than 5 minutes. Call every 30 seconds. */
  public void flushUnschedulableLeftover() {
    lock.lock();
    try {
      long now = now();
      List<QueuedPodInfo> stale = new ArrayList<>();
      for (QueuedPodInfo q : unschedulable.values()) if (now - q.timestamp > MAX_IN_UNSCHEDULABLE.toMillis()) stale.add(q);
      move(stale, ClusterEvent.UNSCHEDULABLE_TIMEOUT);
    } finally {
      lock.unlock();
    }
  }

  /**
   * A cluster event happened: unschedulable pods rejected by a plugin that registered for it (or by none) move to
   * activeQ, or to backoffQ while still backing off.
   */
  public void moveAllToActiveOrBackoff(ClusterEvent event) { moveToActiveOrBackoff(event, p -> true); }

  /**
   * A pod was bound somewhere. Only pods it could unblock move: those whose required affinity or topology spread
   * constraint selects it (upstream moves pods with matching affinity terms on this event). Others wait on.
   */
  public void assignedPodAdded(PodInfo added) {
    moveToActiveOrBackoff(ClusterEvent.ASSIGNED_POD_ADD, p -> selects(p, added));
  }

  static boolean selects(PodInfo waiting, PodInfo added) {
    for (var t : waiting.requiredAffinity()) if (t.namespaces().contains(added.namespace()) || t.namespaceSelector() != null) {
      if (t.selector().matches(added.labels())) return true;
    }
    if (waiting.namespace().equals(added.namespace())) {
      for (var c : waiting.spreadConstraints()) if (c.selector().matches(added.labels())) return true;
    }
    return false;
  }

  private void moveToActiveOrBackoff(ClusterEvent event, java.util.function.Predicate<PodInfo> which) {
    lock.lock();
    try {
      List<QueuedPodInfo> matching = new ArrayList<>();
      for (QueuedPodInfo q : unschedulable.values()) if (interested(q, event) && which.test(q.pod)) matching.add(q);
      move(matching, event);
      if (eventsInFlight.size() < MAX_EVENTS_IN_FLIGHT) eventsInFlight.add(event);
      else eventsOverflowed = true;
    } finally {
      lock.unlock();
    }
  }

  private void move(List<QueuedPodInfo> qs, ClusterEvent event) {
    for (QueuedPodInfo q : qs) {
      unschedulable.remove(q.pod.key());
      q.where = QueuedPodInfo.Where.NONE;
      if (backingOff(q)) toBackoff(q);
      else toActive(q);
    }
  }

  private boolean sawInterestingEvent(QueuedPodInfo q) {
    if (eventsOverflowed) return true;
    for (ClusterEvent e : eventsInFlight) if (interested(q, e)) return true;
    return false;
  }

  private boolean interested(QueuedPodInfo q, ClusterEvent event) {
    if (q.unschedulablePlugins.isEmpty() || event.kind() == ClusterEvent.Kind.WILDCARD) return true;
    for (String plugin : q.unschedulablePlugins) {
      for (ClusterEvent registered : pluginEvents.apply(plugin)) if (event.matches(registered)) return true;
    }
    return false;
  }

  // ---------------------------------------------------------------------------------------------- nominator

  /** Records that {@code pod} waits for room on {@code nodeName} ("" removes the nomination). */
  public void nominate(PodInfo pod, String nodeName) {
    lock.lock();
    try {
      removeNominatedLocked(pod);
      if (nodeName != null && !nodeName.isEmpty() && pod.nodeName().isEmpty()) {
        nominatedByNode.computeIfAbsent(nodeName, k -> new ArrayList<>()).add(pod);
        nominatedNodeByUid.put(pod.uid(), nodeName);
        nominatedCount = nominatedNodeByUid.size();
      }
    } finally {
      lock.unlock();
    }
  }

  private void nominateFromStatus(PodInfo pod) {
    String n = pod.nominatedNodeName();
    if (!n.isEmpty()) {
      removeNominatedLocked(pod);
      nominatedByNode.computeIfAbsent(n, k -> new ArrayList<>()).add(pod);
      nominatedNodeByUid.put(pod.uid(), n);
      nominatedCount = nominatedNodeByUid.size();
    } else if (nominatedNodeByUid.containsKey(pod.uid())) {
      // Keep our own nomination until the API reflects it; replace the pod object so filters see the latest.
      String cur = nominatedNodeByUid.get(pod.uid());
      List<PodInfo> l = nominatedByNode.get(cur);
      if (l != null) l.replaceAll(p -> p.uid().equals(pod.uid()) ? pod : p);
    }
  }

  /** The pod is bound or gone: it no longer holds a nomination. */
  public void removeNominated(PodInfo pod) {
    lock.lock();
    try {
      removeNominatedLocked(pod);
    } finally {
      lock.unlock();
    }
  }

  private void removeNominatedLocked(PodInfo pod) {
    String node = nominatedNodeByUid.remove(pod.uid());
    if (node == null) return;
    nominatedCount = nominatedNodeByUid.size();
    List<PodInfo> l = nominatedByNode.get(node);
    if (l == null) return;
    l.removeIf(p -> p.uid().equals(pod.uid()));
    if (l.isEmpty()) nominatedByNode.remove(node);
  }

  public List<PodInfo> nominatedPods(String nodeName) {
    if (nominatedCount == 0) return List.of();
    lock.lock();
    try {
      List<PodInfo> l = nominatedByNode.get(nodeName);
      return l == null ? List.of() : List.copyOf(l);
    } finally {
      lock.unlock();
    }
  }

  // ---------------------------------------------------------------------------------------------------- misc

  /** Sizes of activeQ, backoffQ and the unschedulable pool (tests, logs). */
  public record Sizes(int active, int backoff, int unschedulable) {}

  public Sizes sizes() {
    lock.lock();
    try {
      return new Sizes(active.size(), backoff.size(), unschedulable.size());
    } finally {
      lock.unlock();
    }
  }

  /** Where the pod with {@code key} is: "active", "backoff", "unschedulable", "in-flight", or null. */
  public String whereIs(String key) {
    lock.lock();
    try {
      QueuedPodInfo q = pods.get(key);
      if (q == null) return null;
      return switch (q.where) {
        case ACTIVE -> "active";
        case BACKOFF -> "backoff";
        case UNSCHEDULABLE -> "unschedulable";
        case IN_FLIGHT -> "in-flight";
        case NONE -> null;
      };
    } finally {
      lock.unlock();
    }
  }

  public void close() {
    lock.lock();
    try {
      closed = true;
      nonEmpty.signalAll();
    } finally {
      lock.unlock();
    }
  }

  /** Backoff after n attempts: initial·2^(n-1), at most max. */
  long backoffDuration(QueuedPodInfo q) {
    long d = initialBackoffMs;
    for (int i = 1; i < q.attempts && d < maxBackoffMs; i++) d *= 2;
    return Math.min(d, maxBackoffMs);
  }

  private long backoffExpiry(QueuedPodInfo q) { return q.timestamp + backoffDuration(q); }

  private boolean backingOff(QueuedPodInfo q) { return backoffExpiry(q) > now(); }

  private void toActive(QueuedPodInfo q) {
    q.seq = ++seq;
    q.where = QueuedPodInfo.Where.ACTIVE;
    active.add(q);
    nonEmpty.signal();
  }

  private void toBackoff(QueuedPodInfo q) {
    q.seq = ++seq;
    q.where = QueuedPodInfo.Where.BACKOFF;
    backoff.add(q);
  }

  private long now() { return clock.millis(); }

  /** Whether what scheduling depends on changed: anything but status and bookkeeping metadata. */
  static boolean specChanged(PodInfo a, PodInfo b) {
    var ma = a.pod().getMetadata();
    var mb = b.pod().getMetadata();
    return !java.util.Objects.equals(a.pod().getSpec(), b.pod().getSpec())
        || !java.util.Objects.equals(ma.getLabels(), mb.getLabels())
        || !java.util.Objects.equals(ma.getAnnotations(), mb.getAnnotations())
        || !java.util.Objects.equals(ma.getFinalizers(), mb.getFinalizers());
  }
}
