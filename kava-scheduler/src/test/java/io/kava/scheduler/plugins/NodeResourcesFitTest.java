package io.kava.scheduler.plugins;

import static io.kava.scheduler.Fixtures.container;
import static io.kava.scheduler.Fixtures.info;
import static io.kava.scheduler.Fixtures.node;
import static io.kava.scheduler.Fixtures.nodeInfo;
import static io.kava.scheduler.Fixtures.on;
import static io.kava.scheduler.Fixtures.pod;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Quantity;
import io.kava.scheduler.framework.CycleState;
import io.kava.scheduler.framework.NodeInfo;
import io.kava.scheduler.framework.PodInfo;
import io.kava.scheduler.framework.Status;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeResourcesFitTest {
  final NodeResourcesFit fit = new NodeResourcesFit();

  Status filter(PodInfo p, NodeInfo n) { return fit.filter(new CycleState(), p, n); }

  @Test
  void fitsWhatIsLeft() {
    NodeInfo n = nodeInfo(node("n", "4", "8Gi"), on("n", pod("a", "3", "1Gi")));
    assertThat(filter(info(pod("p", "1", "1Gi")), n).isSuccess()).isTrue();
    Status s = filter(info(pod("p", "1500m", "1Gi")), n);
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
    assertThat(s.reasons()).containsExactly("Insufficient cpu");
  }

  /**
   * The filter's shortcut (the node's free amounts, kept by every pod added or removed, and by copies) answers as the
   * sums of the node's pods' requests say, through random adds, removals and copies.
   */
  @Test
  void fitFollowsThePodsAddedRemovedAndCopied() {
    java.util.Random random = new java.util.Random(7);
    NodeInfo n = nodeInfo(node("n", "4", "8Gi", "5", Map.of(), List.of()));
    List<PodInfo> placed = new java.util.ArrayList<>();
    for (int step = 0; step < 400; step++) {
      int action = random.nextInt(4);
      if (action == 0 && placed.size() < 6) {
        PodInfo p = on("n", pod("p" + step, (1 + random.nextInt(1500)) + "m", (1 + random.nextInt(3000)) + "Mi"));
        n.addPod(p);
        placed.add(p);
      } else if (action == 1 && !placed.isEmpty()) {
        assertThat(n.removePod(placed.remove(random.nextInt(placed.size())))).isTrue();
      } else if (action == 2) {
        n = n.copy();
      }
      long cpu = placed.stream().mapToLong(p -> p.requests().milliCpu).sum();
      long mem = placed.stream().mapToLong(p -> p.requests().memory).sum();
      PodInfo candidate = info(pod("c", (1 + random.nextInt(2500)) + "m", (1 + random.nextInt(4000)) + "Mi"));
      boolean fits = placed.size() + 1 <= 5 && cpu + candidate.requests().milliCpu <= 4000
          && mem + candidate.requests().memory <= 8L * 1024 * 1024 * 1024;
      Status s = filter(candidate, n);
      assertThat(s.isSuccess()).as("step %d: %s", step, s.reasons()).isEqualTo(fits);
      // the scores read the node's own copies of its allocatable and non-zero requests: the same as the Resources
      long cpuScore = NodeResourcesFit.leastAllocated(n.nonZeroRequested().milliCpu + candidate.nonZeroMilliCpu(), n.allocatable().milliCpu);
      long memScore = NodeResourcesFit.leastAllocated(n.nonZeroRequested().memory + candidate.nonZeroMemory(), n.allocatable().memory);
      assertThat(fit.score(new CycleState(), candidate, n)).as("step %d", step).isEqualTo((cpuScore + memScore) / 2);
      double cpuShare = Math.min(1.0, (double) (n.nonZeroRequested().milliCpu + candidate.nonZeroMilliCpu()) / n.allocatable().milliCpu);
      double memShare = Math.min(1.0, (double) (n.nonZeroRequested().memory + candidate.nonZeroMemory()) / n.allocatable().memory);
      assertThat(new BalancedAllocation().score(new CycleState(), candidate, n)).as("step %d", step)
          .isEqualTo((long) ((1 - Math.abs(cpuShare - memShare) / 2) * 100));
    }
  }

  @Test
  void reportsEveryShortfallAndPodsCount() {
    NodeInfo n = nodeInfo(node("n", "2", "2Gi", "1", Map.of(), List.of()), on("n", pod("a", "1", "1Gi")));
    Status s = filter(info(pod("p", "2", "2Gi")), n);
    assertThat(s.reasons()).containsExactly("Too many pods", "Insufficient cpu", "Insufficient memory");
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE);
  }

  @Test
  void aRequestLargerThanTheWholeNodeIsUnresolvable() {
    Status s = filter(info(pod("p", "100", null)), nodeInfo(node("n", "4", "8Gi")));
    assertThat(s.code()).isEqualTo(Status.Code.UNSCHEDULABLE_AND_UNRESOLVABLE);
    assertThat(s.reasons()).containsExactly("Insufficient cpu");
  }

  @Test
  void initContainersCountAtTheirPeakAndOverheadIsAdded() {
    var p = pod("p", "500m", "100Mi", b -> b.editSpec()
        .withInitContainers(container("init", "3", "1Gi"))
        .withOverhead(Map.of("cpu", new Quantity("250m")))
        .endSpec());
    PodInfo pi = info(p);
    assertThat(pi.requests().milliCpu).isEqualTo(3250);
    assertThat(pi.requests().memory).isEqualTo(1024L * 1024 * 1024);
    assertThat(filter(pi, nodeInfo(node("n", "3", "8Gi"))).reasons()).containsExactly("Insufficient cpu");
    assertThat(filter(pi, nodeInfo(node("n", "3500m", "8Gi"))).isSuccess()).isTrue();
  }

  @Test
  void sidecarsRunBesideTheContainers() {
    var sidecar = container("side", "1", null);
    sidecar.setRestartPolicy("Always");
    var p = pod("p", "1", null, b -> b.editSpec().withInitContainers(sidecar, container("init", "1500m", null)).endSpec());
    // containers + sidecar = 2 cores; init runs beside the sidecar = 2.5 cores
    assertThat(info(p).requests().milliCpu).isEqualTo(2500);
  }

  @Test
  void extendedResources() {
    var n = node("n", "4", "8Gi");
    n.getStatus().getAllocatable().put("example.com/gpu", new Quantity("1"));
    var c = container("c", null, null);
    c.getResources().getRequests().put("example.com/gpu", new Quantity("2"));
    var p = pod("p", null, null, b -> b.editSpec().withContainers(c).endSpec());
    assertThat(filter(info(p), nodeInfo(n)).reasons()).containsExactly("Insufficient example.com/gpu");
  }

  @Test
  void leastAllocatedPrefersEmptierNodes() {
    PodInfo p = info(pod("p", "1", "1Gi"));
    NodeInfo empty = nodeInfo(node("a", "4", "4Gi"));
    NodeInfo busy = nodeInfo(node("b", "4", "4Gi"), on("b", pod("x", "2", "2Gi")));
    assertThat(fit.score(new CycleState(), p, empty)).isEqualTo(75);
    assertThat(fit.score(new CycleState(), p, busy)).isEqualTo(25);
  }

  @Test
  void podsThatRequestNothingScoreAsOneHundredMillicores() {
    PodInfo p = info(pod("p", null, null));
    assertThat(p.nonZeroMilliCpu()).isEqualTo(100);
    assertThat(p.nonZeroMemory()).isEqualTo(200L * 1024 * 1024);
    assertThat(p.requests().isZero()).isTrue();
  }

  @Test
  void balancedAllocationPrefersEvenUse() {
    BalancedAllocation b = new BalancedAllocation();
    PodInfo p = info(pod("p", "1", "1Gi"));
    NodeInfo even = nodeInfo(node("a", "4", "4Gi"));
    NodeInfo skewed = nodeInfo(node("b", "4", "4Gi"), on("b", pod("x", "2", null)));
    assertThat(b.score(new CycleState(), p, even)).isEqualTo(100);
    assertThat(b.score(new CycleState(), p, skewed)).isLessThan(100);
  }
}
