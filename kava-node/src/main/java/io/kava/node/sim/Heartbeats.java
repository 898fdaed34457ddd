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
import java.util.function.Predicate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import tools.jackson.databind.node.ObjectNode;

/**
 * Every simulated node's heartbeats: the node Lease is renewed every quarter of its duration (10 s for the default
 * 40 s, as the kubelet does; a lease duration of 0 turns leases off) and the node status (condition heartbeat times)
 * every 5 minutes (the kubelet's nodeStatusReportFrequency).
 *
 * <p>5000 nodes renewing every 10 s are 500 Lease writes a second. Leases and status reports therefore run in two
 * separate lanes, each with its own due queue and its own limit of writes in flight, so slow status patches never
 * hold back a renewal; the Lease lane keeps {@link #LEASE_IN_FLIGHT} writes in flight (pipelined over the client's
 * connections), enough to sustain that rate at a write latency of a quarter of a second. As the kubelet does, a
 * node's next beat is due one period (plus up to 4 % jitter) after its last one <em>finished</em>: when the API
 * server is slow the beats slow down with it instead of piling up into bursts, and with the 40 s grace period of the
 * node lifecycle controller a renewal may take up to 30 s before anything is marked Unknown. First beats are spread
 * at random over the period so that thousands of nodes registered together do not renew together.
 */
final class Heartbeats implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Heartbeats.class);
  static final Duration STATUS_REPORT = Duration.ofMinutes(5);
  static final int LEASE_IN_FLIGHT = 128;
  static final int STATUS_IN_FLIGHT = 8;
  /** The kubelet's jitter factor for its lease renewal loop (wait.JitterUntil(…, 0.04, …)). */
  static final double JITTER = 0.04;
  /** Upstream's default --node-monitor-grace-period: a node silent this long is marked Unknown by the controller. */
  static final Duration NODE_MONITOR_GRACE = Duration.ofSeconds(40);

  /** The writes a heartbeat makes; the API in production, a recorder in tests. */
  interface Writes {
    void renewLease(Registered r) throws ApiException;

    void reportStatus(Registered r) throws ApiException;
  }

  private record Due(String node, long atNanos) implements Delayed {
    @Override public long getDelay(TimeUnit unit) { return unit.convert(atNanos - System.nanoTime(), TimeUnit.NANOSECONDS); }

    @Override public int compareTo(Delayed o) { return Long.compare(atNanos, ((Due) o).atNanos); }
  }

  /** What a heartbeat needs to know about a registered node. */
  record Registered(SimNode node, String uid, NodeObjects.Shape shape, Instant readySince, int leaseDurationSeconds) {
    Duration leaseRenew() { return Duration.ofMillis(leaseDurationSeconds * 250L); }
  }

  private final Writes writes;
  private final Duration statusReport;
  private final Map<String, Registered> registered = new ConcurrentHashMap<>();
  /** System.nanoTime() of each node's last successful lease renewal. */
  private final Map<String, Long> lastRenewal = new ConcurrentHashMap<>();
  private final ExecutorService writers = Executors.newVirtualThreadPerTaskExecutor();
  private final Predicate<String> silent;
  private final Lane leases;
  private final Lane statuses;
  private volatile boolean closed;

  /** @param silent nodes whose heartbeats are skipped for now (a "stopped" kubelet) */
  Heartbeats(RawApi rest, Clock clock, Predicate<String> silent) { this(apiWrites(rest, clock), STATUS_REPORT, silent); }

  Heartbeats(Writes writes, Duration statusReport, Predicate<String> silent) {
    this.writes = writes;
    this.statusReport = statusReport;
    this.silent = silent;
    this.leases = new Lane("lease", LEASE_IN_FLIGHT, r -> r.leaseDurationSeconds() > 0 ? r.leaseRenew() : null, this::renew);
    this.statuses = new Lane("status", STATUS_IN_FLIGHT, r -> this.statusReport, writes::reportStatus);
  }

  /** Starts heartbeats for a node whose Lease and status were just written. */
  void add(Registered r) {
    registered.put(r.node().name(), r);
    long now = System.nanoTime();
    if (r.leaseDurationSeconds() > 0) leases.schedule(r.node().name(), now + firstDelay(r.leaseRenew()));
    statuses.schedule(r.node().name(), now + firstDelay(statusReport));
  }

  void remove(String node) {
    registered.remove(node);
    lastRenewal.remove(node);
  }

  void update(Registered r) {
    Registered old = registered.put(r.node().name(), r);
    if (old == null) {
      add(r);
    } else if (old.leaseDurationSeconds() <= 0 && r.leaseDurationSeconds() > 0) { // leases were off: start renewing
      leases.schedule(r.node().name(), System.nanoTime() + firstDelay(r.leaseRenew()));
    }
  }

  /** True when renewals {@code previousNanos} and {@code nowNanos} are further apart than the node monitor grace period. */
  static boolean lapsed(long previousNanos, long nowNanos) { return nowNanos - previousNanos >= NODE_MONITOR_GRACE.toNanos(); }

  /** When the next beat is due after one that finished at {@code finishedNanos}: a period later, plus up to 4 %. */
  static long nextDue(long finishedNanos, Duration period, double random) {
    return finishedNanos + period.toNanos() + (long) (period.toNanos() * JITTER * random);
  }

  private static long firstDelay(Duration period) { return ThreadLocalRandom.current().nextLong(period.toNanos()) + 1; }

  private void renew(Registered r) throws ApiException {
    writes.renewLease(r);
    long now = System.nanoTime();
    Long previous = lastRenewal.put(r.node().name(), now);
    // A renewal this late means the node lifecycle controller has probably marked the node Unknown: report the
    // status now, as a kubelet does when it finds its node's Ready condition changed by someone else.
    if (previous != null && lapsed(previous, now)) writes.reportStatus(r);
  }

  /** A node whose kubelet comes back renews its lease and reports its status at once. */
  void resume(String node) throws ApiException {
    Registered r = registered.get(node);
    if (r == null) return;
    writes.renewLease(r);
    writes.reportStatus(r);
  }

  /** Writes the node's Lease now (registration). */
  void renewLease(Registered r) throws ApiException { writes.renewLease(r); }

  private interface Beat {
    void run(Registered r) throws ApiException;
  }

  /** One kind of beat: its due queue, its loop and its limit of writes in flight. */
  private final class Lane {
    private final String kind;
    private final DelayQueue<Due> due = new DelayQueue<>();
    private final Semaphore inFlight;
    private final java.util.function.Function<Registered, Duration> period;
    private final Beat beat;
    private final Thread loop;

    Lane(String kind, int maxInFlight, java.util.function.Function<Registered, Duration> period, Beat beat) {
      this.kind = kind;
      this.inFlight = new Semaphore(maxInFlight);
      this.period = period;
      this.beat = beat;
      this.loop = Thread.ofVirtual().name("kava-sim-heartbeats-" + kind).start(this::run);
    }

    void schedule(String node, long atNanos) { due.add(new Due(node, atNanos)); }

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
        Duration every = r == null ? null : period.apply(r);
        if (every == null) { // the node was removed (or its leases turned off): its beats stop
          inFlight.release();
          continue;
        }
        if (silent.test(d.node())) { // a stopped kubelet: the beat is skipped, the schedule kept
          inFlight.release();
          schedule(d.node(), nextDue(System.nanoTime(), every, ThreadLocalRandom.current().nextDouble()));
          continue;
        }
        try {
          writers.execute(() -> {
            try {
              beat.run(r);
            } catch (ApiException e) {
              log.debug("heartbeat {} of {}: {}", kind, d.node(), e.getMessage());
            } catch (RuntimeException e) {
              log.warn("heartbeat {} of {}", kind, d.node(), e);
            } finally {
              inFlight.release();
              if (!closed) schedule(d.node(), nextDue(System.nanoTime(), every, ThreadLocalRandom.current().nextDouble()));
            }
          });
        } catch (java.util.concurrent.RejectedExecutionException e) {
          return; // closing
        }
      }
    }

    void close() { loop.interrupt(); }
  }

  private static Writes apiWrites(RawApi rest, Clock clock) {
    return new Writes() {
      /** An unconditional PUT: the lease belongs to this node alone, and a PUT creates it if it is missing. */
      @Override
      public void renewLease(Registered r) throws ApiException {
        if (r.leaseDurationSeconds() <= 0) return;
        ObjectNode lease = NodeObjects.lease(r.node(), r.uid(), clock.instant(), r.leaseDurationSeconds());
        rest.putDiscardingResponse("/apis/coordination.k8s.io/v1/namespaces/" + NodeObjects.LEASE_NAMESPACE + "/leases/" + r.node().name(), lease);
      }

      @Override
      public void reportStatus(Registered r) throws ApiException {
        ObjectNode patch = io.kava.api.json.Json.object();
        patch.set("status", NodeObjects.status(r.node(), r.shape(), clock.instant(), r.readySince()));
        rest.patchDiscardingResponse("/api/v1/nodes/" + r.node().name() + "/status", RawApi.MERGE_PATCH, patch);
      }
    };
  }

  @Override
  public void close() {
    closed = true;
    leases.close();
    statuses.close();
    writers.shutdownNow();
  }
}
