package io.kava.node.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Probe;
import io.fabric8.kubernetes.api.model.ProbeBuilder;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class ProbeManagerTest {
  final Instant t0 = Instant.parse("2026-11-26T12:00:00Z");
  final FakeProbeClock clock = new FakeProbeClock(t0);
  final List<String> events = Collections.synchronizedList(new ArrayList<>());
  final List<String> execs = Collections.synchronizedList(new ArrayList<>());
  /** Exit code answered for each command (by its first word), changeable during a test. */
  final java.util.Map<String, Integer> exitCodes = new java.util.concurrent.ConcurrentHashMap<>();
  final ExecRunner exec = (id, cmd, timeout) -> {
    execs.add(clock.now().getEpochSecond() - t0.getEpochSecond() + " " + cmd.getFirst());
    return new ExecRunner.Result(exitCodes.getOrDefault(cmd.getFirst(), 0), "out-" + cmd.getFirst());
  };
  final ProbeManager manager = new ProbeManager(new Prober(exec), clock,
      (id, kind, result, output) -> events.add(clock.now().getEpochSecond() - t0.getEpochSecond() + " " + id + " " + kind + " " + result));

  static Probe probe(String cmd, int delay, int period, int success, int failure) {
    return new ProbeBuilder().withNewExec().withCommand(cmd).endExec().withInitialDelaySeconds(delay).withPeriodSeconds(period)
        .withSuccessThreshold(success).withFailureThreshold(failure).withTimeoutSeconds(1).build();
  }

  @Test
  void readinessHonoursInitialDelayPeriodAndThresholds() {
    Container c = new ContainerBuilder().withName("c").withReadinessProbe(probe("ready", 5, 10, 2, 3)).build();
    manager.addContainer("pod", c, "c1", t0, "10.0.0.1");
    assertThat(events).containsExactly("0 c1 STARTUP SUCCESS", "0 c1 READINESS FAILURE");
    clock.advanceSeconds(4);
    assertThat(execs).isEmpty();
    clock.advanceSeconds(1); // t=5: first probe, 1 of 2 successes
    assertThat(execs).containsExactly("5 ready");
    assertThat(events).hasSize(2);
    clock.advanceSeconds(10); // t=15: second success -> ready
    assertThat(events).last().isEqualTo("15 c1 READINESS SUCCESS");
    exitCodes.put("ready", 1);
    clock.advanceSeconds(20); // t=25, 35: two failures, below threshold 3
    assertThat(events).last().isEqualTo("15 c1 READINESS SUCCESS");
    clock.advanceSeconds(10); // t=45: third failure -> not ready
    assertThat(events).last().isEqualTo("45 c1 READINESS FAILURE");
    assertThat(manager.result("c1", ProbeKind.READINESS)).contains(ProbeResult.FAILURE);
    clock.advanceSeconds(30); // readiness keeps probing after failure
    assertThat(execs).hasSize(8);
    manager.removeContainer("c1");
    clock.advanceSeconds(100);
    assertThat(execs).hasSize(8);
    assertThat(clock.pending()).isZero();
  }

  @Test
  void livenessFailureIsReportedOnceThenWorkerHolds() {
    exitCodes.put("alive", 1);
    Container c = new ContainerBuilder().withName("c").withLivenessProbe(probe("alive", 0, 5, 1, 2)).build();
    manager.addContainer("pod", c, "c1", t0, "10.0.0.1");
    clock.advanceSeconds(0);
    clock.advanceSeconds(5);
    assertThat(events).containsExactly("0 c1 STARTUP SUCCESS", "0 c1 LIVENESS SUCCESS", "5 c1 LIVENESS FAILURE");
    clock.advanceSeconds(60);
    assertThat(execs).containsExactly("0 alive", "5 alive"); // on hold until the restarted container is added
    manager.removeContainer("c1");
    exitCodes.put("alive", 0);
    manager.addContainer("pod", c, "c2", clock.now(), "10.0.0.1");
    clock.advanceSeconds(20);
    assertThat(events).doesNotContain("65 c2 LIVENESS FAILURE").contains("65 c2 LIVENESS SUCCESS");
  }

  @Test
  void startupProbeGatesLivenessAndReadiness() {
    exitCodes.put("start", 1);
    Container c = new ContainerBuilder().withName("c").withStartupProbe(probe("start", 0, 2, 1, 30))
        .withLivenessProbe(probe("alive", 0, 3, 1, 3)).withReadinessProbe(probe("ready", 0, 3, 1, 3)).build();
    manager.addContainer("pod", c, "c1", t0, "10.0.0.1");
    assertThat(events).containsExactly("0 c1 STARTUP UNKNOWN", "0 c1 READINESS FAILURE", "0 c1 LIVENESS SUCCESS");
    clock.advanceSeconds(6);
    assertThat(execs).containsOnly("0 start", "2 start", "4 start", "6 start");
    exitCodes.put("start", 0);
    clock.advanceSeconds(2); // t=8: started
    assertThat(events).contains("8 c1 STARTUP SUCCESS");
    clock.advanceSeconds(10);
    assertThat(execs.stream().filter(e -> e.endsWith("start"))).hasSize(5); // startup stops once started
    assertThat(execs).contains("9 alive", "9 ready");
    assertThat(events).contains("9 c1 READINESS SUCCESS");
  }

  @Test
  void startupFailureAfterThreshold() {
    exitCodes.put("start", 1);
    Container c = new ContainerBuilder().withName("c").withStartupProbe(probe("start", 0, 1, 1, 3)).build();
    manager.addContainer("pod", c, "c1", t0, "10.0.0.1");
    clock.advanceSeconds(10);
    assertThat(events).containsExactly("0 c1 STARTUP UNKNOWN", "2 c1 STARTUP FAILURE");
    assertThat(execs).hasSize(3);
  }

  @Test
  void containerStartedEarlierIsProbedAtOnceAndRemovePodStopsAll() {
    AtomicInteger n = new AtomicInteger();
    Container c = new ContainerBuilder().withName("c").withReadinessProbe(probe("ready", 30, 10, 1, 3)).build();
    Container d = new ContainerBuilder().withName("d").withReadinessProbe(probe("ready", 0, 10, 1, 3)).build();
    manager.addContainer("pod", c, "c1", t0.minusSeconds(100), "10.0.0.1"); // after an agent restart
    manager.addContainer("pod", d, "d1", t0, "10.0.0.1");
    clock.advanceSeconds(0);
    assertThat(events).contains("0 c1 READINESS SUCCESS", "0 d1 READINESS SUCCESS");
    manager.removePod("pod");
    assertThat(manager.containerIds()).isEmpty();
    assertThat(clock.pending()).isZero();
  }
}
