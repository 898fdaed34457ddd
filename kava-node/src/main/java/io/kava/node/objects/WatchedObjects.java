package io.kava.node.objects;

import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.locks.ReentrantLock;
import java.util.function.Consumer;
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The objects of one kind (ConfigMaps or Secrets) that this node's pods refer to, each kept current by its own watch
 * while at least one registered pod refers to it: the kubelet's watch-based manager (its "Watch"
 * configMapAndSecretChangeDetectionStrategy).
 *
 * <p>Why one watch per object (a field selector on {@code metadata.name}) rather than one informer per namespace: a
 * node should hold only what its pods may read (the node authorizer grants a kubelet exactly those objects, and a
 * namespace's other Secrets do not belong in a node's memory), and the cost follows the node's pods, not the size of
 * their namespaces (a namespace with thousands of ConfigMaps and one pod here would otherwise be listed and followed
 * whole). The price is one watch per referenced object, as upstream pays it.
 *
 * <p>{@link #get} answers from the watch's store once it has synced; an object no registered pod refers to (a pod
 * not yet registered) or whose watch cannot sync within {@link #SYNC_WAIT} is read directly, so that a slow watch
 * never blocks a pod start. When a watched object changes, {@link #onChange} gets the uids of the pods that refer to
 * it, so that their volumes are refreshed at once instead of at their next resync.
 *
 * <p>An object marked immutable ({@code immutable: true}, which the API server never lets go back) cannot change any
 * more, so its watch is stopped and its last value kept for as long as pods refer to it, as the kubelet does: a node
 * whose pods mount immutable ConfigMaps and Secrets holds no watch for them. Thread-safe.
 */
public final class WatchedObjects<T> implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(WatchedObjects.class);
  /** How long {@link #get} waits for a new watch's first list before it reads the object directly. */
  static final Duration SYNC_WAIT = Duration.ofSeconds(5);

  /** A running watch of one object. */
  public interface Watch<T> {
    /** Whether the first list has arrived: {@link #current} is then the server's object as of the watch. */
    boolean synced();

    Optional<T> current();

    void stop();
  }

  /** Starts a watch of one object; {@code changed} runs on every change after the first list. */
  @FunctionalInterface
  public interface Watcher<T> {
    Watch<T> watch(ObjectRef ref, Runnable changed);
  }

  /** One GET of an object, for objects without a synced watch. */
  @FunctionalInterface
  public interface Reader<T> {
    Optional<T> get(ObjectRef ref);
  }

  /** The last value of an immutable object, whose watch was stopped. */
  private record Frozen<T>(T value) implements Watch<T> {
    @Override public boolean synced() { return true; }

    @Override public Optional<T> current() { return Optional.of(value); }

    @Override public void stop() { }
  }

  private static final class Entry<T> {
    final Set<String> pods = new HashSet<>();
    Watch<T> watch;
  }

  private final String kind;
  private final Watcher<T> watcher;
  private final Reader<T> direct;
  private final Duration syncWait;
  private final Predicate<T> immutable;
  private final ReentrantLock lock = new ReentrantLock();
  /** Guarded by lock. */
  private final Map<ObjectRef, Entry<T>> entries = new HashMap<>();
  /** What each registered pod refers to. Guarded by lock. */
  private final Map<String, Set<ObjectRef>> byPod = new HashMap<>();
  private volatile Consumer<Set<String>> onChange = pods -> { };

  /** @param immutable whether an object can no longer change (its watch is then stopped and its value kept) */
  public WatchedObjects(String kind, Watcher<T> watcher, Reader<T> direct, Predicate<T> immutable) {
    this(kind, watcher, direct, immutable, SYNC_WAIT);
  }

  WatchedObjects(String kind, Watcher<T> watcher, Reader<T> direct, Predicate<T> immutable, Duration syncWait) {
    this.kind = kind;
    this.watcher = watcher;
    this.direct = direct;
    this.immutable = immutable;
    this.syncWait = syncWait;
  }

  /** Who to tell which pods refer to an object that changed (called on the watch's thread; must not block). */
  public void onChange(Consumer<Set<String>> listener) { this.onChange = listener; }

  /**
   * Sets what a pod refers to (called on every pod add and update, as the kubelet's RegisterPod): watches start for
   * new references and stop for objects no pod refers to any more. O(the pod's references).
   */
  public void register(String podUid, Set<ObjectRef> refs) {
    lock.lock();
    try {
      Set<ObjectRef> old = byPod.put(podUid, Set.copyOf(refs));
      if (old != null && old.equals(refs)) return;
      for (ObjectRef r : refs) {
        if (old != null && old.contains(r)) continue;
        Entry<T> e = entries.computeIfAbsent(r, k -> new Entry<>());
        e.pods.add(podUid);
        if (e.watch == null) e.watch = watcher.watch(r, () -> changed(r));
      }
      if (old != null) for (ObjectRef r : old) if (!refs.contains(r)) release(r, podUid);
    } finally {
      lock.unlock();
    }
  }

  /** The pod is gone from this node: its references no longer keep watches running. */
  public void unregister(String podUid) {
    lock.lock();
    try {
      Set<ObjectRef> old = byPod.remove(podUid);
      if (old != null) for (ObjectRef r : old) release(r, podUid);
    } finally {
      lock.unlock();
    }
  }

  /** Caller holds lock. */
  private void release(ObjectRef r, String podUid) {
    Entry<T> e = entries.get(r);
    if (e == null) return;
    e.pods.remove(podUid);
    if (e.pods.isEmpty()) {
      entries.remove(r);
      e.watch.stop();
    }
  }

  /** The object as this node's watch has it; read directly when no pod registered it or its watch has not synced. */
  public Optional<T> get(ObjectRef ref) {
    Watch<T> w;
    lock.lock();
    try {
      Entry<T> e = entries.get(ref);
      w = e == null ? null : e.watch;
    } finally {
      lock.unlock();
    }
    if (w == null) return direct.get(ref);
    long deadline = System.nanoTime() + syncWait.toNanos();
    while (!w.synced()) {
      if (System.nanoTime() >= deadline) {
        log.debug("{} {}: watch not synced after {}; reading it directly", kind, ref, syncWait);
        return direct.get(ref);
      }
      try {
        Thread.sleep(10);
      } catch (InterruptedException ie) {
        Thread.currentThread().interrupt();
        return direct.get(ref);
      }
    }
    Optional<T> current = w.current();
    if (current.isPresent() && immutable.test(current.get()) && freeze(ref, w, current.get())) w.stop();
    return current;
  }

  /** Replaces {@code live}, the watch of {@code ref}, by the immutable {@code value}; false when it was replaced already. */
  private boolean freeze(ObjectRef ref, Watch<T> live, T value) {
    lock.lock();
    try {
      Entry<T> e = entries.get(ref);
      if (e == null || e.watch != live) return false;
      e.watch = new Frozen<>(value);
    } finally {
      lock.unlock();
    }
    log.debug("{} {} is immutable: its watch is stopped", kind, ref);
    return true;
  }

  /** How many objects are watched now. */
  public int watched() {
    lock.lock();
    try {
      return entries.size();
    } finally {
      lock.unlock();
    }
  }

  private void changed(ObjectRef r) {
    Set<String> pods;
    Watch<T> w;
    lock.lock();
    try {
      Entry<T> e = entries.get(r);
      if (e == null) return;
      pods = Set.copyOf(e.pods);
      w = e.watch;
    } finally {
      lock.unlock();
    }
    Optional<T> current = w.current();
    // Stopped from another thread: this runs on the watch's own event thread.
    if (current.isPresent() && immutable.test(current.get()) && freeze(r, w, current.get())) Thread.ofVirtual().start(w::stop);
    log.debug("{} {} changed; refreshing pods {}", kind, r, pods);
    onChange.accept(pods);
  }

  @Override
  public void close() {
    lock.lock();
    try {
      for (Entry<T> e : entries.values()) e.watch.stop();
      entries.clear();
      byPod.clear();
    } finally {
      lock.unlock();
    }
  }
}
