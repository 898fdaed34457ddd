package io.kava.node.sim;

import io.kava.client.ApiException;
import io.kava.client.RawApi;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.DelayQueue;
import java.util.concurrent.Delayed;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every simulated node's heartbeats from one loop: the node Lease is renewed every quarter of its duration (10 s
 * for the default 40 s, as the kubelet does; a lease duration of 0 turns leases off) and the node status (condition heartbeat times) every 5 minutes (the kubelet's
 * nodeStatusReportFrequency). Due times are spread at random over the period so that thousands of nodes do not
 * renew in bursts; at most {@link #MAX_IN_FLIGHT} writes run at once.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  static final Duration STATUS_REPORT = Duration.ofMinutes(5);
  static final int MAX_IN_FLIGHT = 16;
  /** Upstream's default --node-monitor-grace-period: a node silent this long is marked Unknown by the controller. */
  static final Duration NODE_MONITOR_GRACE = Duration.ofSeconds(40);

  private enum Kind { LEASE, STATUS }

  private record Due(String node, Kind kind, long atNanos) implements Delayed {
    @Override public long getDelay(TimeUnit unit) { return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS); }

    @Override public int compareTo(Delayed o) { return Long.compare(atNanos, ((Due) o).atNanos); }
  }

  /** What a heartbeat needs to know about a registered node. */
  record Registered(SimNode node, String uid, NodeObjects.Shape shape, Instant readySince, int leaseDurationSeconds) {
    Duration leaseRenew() { return Duration.ofMillis(leaseDurationSeconds * 250L); }
  }

  private final RawApi rest;
  private final Clock clock;
  private final DelayQueue<Due> due = new DelayQueue<>();
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();
  /** System.nanoTime() of each node's last successful lease renewal. */
  private final Map<String, Long> lastRenewal = new ConcurrentHashMap<>();
  private final Semaphore inFlight = new Semaphore(MAX_IN_FLIGHT);
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final Thread loop;
  private final java.util.function.Predicate<String> silent;
  private volatile boolean closed;

  /** @param silent nodes whose heartbeats are skipped for now (a "stopped" kubelet) */
  Heartbeats(RawApi rest, Clock clock, java.util.function.Predicate<String> silent) {
    this.rest = rest;
    this.clock = clock;
    this.silent = silent;
    this.loop = Thread.ofVirtual().name("kava-sim-heartbeats").start(this::run);
  }

  /** Starts heartbeats for a node whose Lease and status were just written. */
  void add(Registered r) {
    registered.put(r.node().name(), r);
    long now = System.nanoTime();
    if (r.leaseDurationSeconds() > 0) due.add(new Due(r.node().name(), Kind.LEASE, now + jitter(r.leaseRenew())));
    due.add(new Due(r.node().name(), Kind.STATUS, now + jitter(STATUS_REPORT)));
  }

  void remove(String node) {
    registered.remove(node);
    lastRenewal.remove(node);
  }

  /** True when renewals {@code previousNanos} and {@code nowNanos} are further apart than the node monitor grace period. */
  static boolean lapsed(long previousNanos, long nowNanos) { return nowNanos - previousNanos >= NODE_MONITOR_GRACE.toNanos(); }

  void update(Registered r) {
    Registered old = registered.put(r.node().name(), r);
    if (old == null) {
      add(r);
    } else if (old.leaseDurationSeconds() <= 0 && r.leaseDurationSeconds() > 0) { // leases were off: start renewing
      due.add(new Due(r.node().name(), Kind.LEASE, System.nanoTime() + jitter(r.leaseRenew())));
    }
  }

  private static long jitter(Duration period) { return ThreadLocalRandom.current().nextLong(period.toNanos()) + 1; }

  private void run() {
    while (!closed) {
      Due d;
      try {
        d = due.take();
        inFlight.acquire();
      } catch (InterruptedException e) {
        return;
      }
      Registered r = registered.get(d.node());
      if (r == null) { // the node was removed: its heartbeats stop
        inFlight.release();
        continue;
      }
      if (d.kind() == Kind.STATUS || r.leaseDurationSeconds() > 0) {
        Duration period = d.kind() == Kind.LEASE ? r.leaseRenew() : STATUS_REPORT;
        due.add(new Due(d.node(), d.kind(), d.atNanos() + period.toNanos()));
      }
      if (silent.test(d.node())) { // a stopped kubelet: the beat is skipped, the schedule kept
        inFlight.release();
        continue;
      }
      writers.execute(() -> {
        try {
          if (d.kind() == Kind.LEASE) {
            renewLease(r);
            long now = System.nanoTime();
            Long previous = lastRenewal.put(d.node(), now);
            // A renewal this late means the node lifecycle controller has probably marked the node Unknown: report
            // the status now, as a kubelet does when it finds its node's Ready condition changed by someone else.
            if (previous != null && lapsed(previous, now)) reportStatus(r);
          } else {
            reportStatus(r);
          }
        } catch (ApiException e) {
          log.debug("heartbeat {} of {}: {}", d.kind(), d.node(), e.getMessage());
        } finally {
          inFlight.release();
        }
      });
    }
  }

  /** An unconditional PUT: the lease belongs to this node alone, and a PUT creates it if it is missing. */
  void renewLease(Registered r) throws ApiException {
    if (r.leaseDurationSeconds() <= 0) return;
    ObjectNode lease = NodeObjects.lease(r.node(), r.uid(), clock.instant(), r.leaseDurationSeconds());
    rest.put("/apis/coordination.k8s.io/v1/namespaces/" + NodeObjects.LEASE_NAMESPACE + "/leases/" + r.node().name(), lease);
  }

  /** A node whose kubelet comes back renews its lease and reports its status at once. */
  void resume(String node) throws ApiException {
    Registered r = registered.get(node);
    if (r == null) return;
    renewLease(r);
    reportStatus(r);
  }

  void reportStatus(Registered r) throws ApiException {
    ObjectNode patch = io.kava.api.json.Json.object();
    patch.set("status", NodeObjects.status(r.node(), r.shape(), clock.instant(), r.readySince()));
    rest.patch("/api/v1/nodes/" + r.node().name() + "/status", RawApi.MERGE_PATCH, patch);
  }

  @Override
  public void close() {
    closed = true;
    loop.interrupt();
    writers.shutdownNow();
  }
}
