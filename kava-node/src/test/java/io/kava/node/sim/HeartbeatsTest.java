package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class HeartbeatsTest {
  @Test
  void aRenewalLaterThanTheNodeMonitorGracePeriodHasLapsed() {
    long t0 = 1_000_000_000L;
    assertThat(Heartbeats.lapsed(t0, t0 + TimeUnit.SECONDS.toNanos(10))).as("on time (every 10 s)").isFalse();
    assertThat(Heartbeats.lapsed(t0, t0 + TimeUnit.SECONDS.toNanos(39))).isFalse();
    assertThat(Heartbeats.lapsed(t0, t0 + TimeUnit.SECONDS.toNanos(40))).isTrue();
    assertThat(Heartbeats.lapsed(t0, t0 + TimeUnit.SECONDS.toNanos(120))).isTrue();
  }

  @Test
  void theNextBeatIsDueOnePeriodAfterTheLastFinishedPlusAtMostFourPercent() {
    Duration tenSeconds = Duration.ofSeconds(10);
    long finished = 5_000_000_000L;
    assertThat(Heartbeats.nextDue(finished, tenSeconds, 0.0)).isEqualTo(finished + tenSeconds.toNanos());
    assertThat(Heartbeats.nextDue(finished, tenSeconds, 0.999)).isBetween(finished + tenSeconds.toNanos(), finished + 10_400_000_000L);
  }

  @Test
  void hangingStatusReportsDoNotHoldBackLeaseRenewals() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    Map<String, AtomicInteger> renewals = new ConcurrentHashMap<>();
    CountDownLatch everyNodeRenewedTwice = new CountDownLatch(40);
    Heartbeats.Writes writes = new Heartbeats.Writes() {
      @Override public void renewLease(Heartbeats.Registered r) {
        if (renewals.computeIfAbsent(r.node().name(), n -> new AtomicInteger()).incrementAndGet() == 2) everyNodeRenewedTwice.countDown();
      }

      @Override public void reportStatus(Heartbeats.Registered r) {
        try {
          release.await(); // a status patch that never returns
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    };
    try (Heartbeats h = new Heartbeats(writes, Duration.ofMillis(1), n -> false)) {
      for (int i = 0; i < 40; i++) h.add(registered(i, 1)); // leases renewed every 250 ms, statuses due at once
      assertThat(everyNodeRenewedTwice.await(60, TimeUnit.SECONDS)).as("renewals of every node while status reports hang").isTrue();
    } finally {
      release.countDown();
    }
  }

  @Test
  void manyLeaseRenewalsAreInFlightAtOnceButNoMoreThanTheLimit() throws Exception {
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger inFlight = new AtomicInteger();
    AtomicInteger most = new AtomicInteger();
    CountDownLatch started = new CountDownLatch(Heartbeats.LEASE_IN_FLIGHT);
    Heartbeats.Writes writes = new Heartbeats.Writes() {
      @Override public void renewLease(Heartbeats.Registered r) throws io.kava.client.ApiException {
        most.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
        started.countDown();
        try {
          release.await(); // a slow API server
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        } finally {
          inFlight.decrementAndGet();
        }
      }

      @Override public void reportStatus(Heartbeats.Registered r) {}
    };
    try (Heartbeats h = new Heartbeats(writes, Duration.ofMinutes(5), n -> false)) {
      for (int i = 0; i < 2 * Heartbeats.LEASE_IN_FLIGHT; i++) h.add(registered(i, 1));
      assertThat(started.await(60, TimeUnit.SECONDS)).as("%d renewals in flight at once", Heartbeats.LEASE_IN_FLIGHT).isTrue();
    } finally {
      release.countDown();
    }
    assertThat(most.get()).isEqualTo(Heartbeats.LEASE_IN_FLIGHT);
  }

  private static Heartbeats.Registered registered(int i, int leaseSeconds) {
    SimNode node = SimNode.create("kava-sim-" + i, i, Cidr.parse("10.244.0.0/16").subnet(i, 24));
    return new Heartbeats.Registered(node, "uid-" + i, NodeObjects.Shape.defaults(), Instant.EPOCH, leaseSeconds);
  }
}
