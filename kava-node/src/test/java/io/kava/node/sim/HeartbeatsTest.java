package io.kava.node.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
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
}
