package io.kava.node.cgroups;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirementsBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Pod cgroups as the kubelet lays them out and limits them, on cgroup file systems faked in a temp dir. */
class PodCgroupsTest {
  @TempDir Path root;

  static Container container(String name, Map<String, String> requests, Map<String, String> limits) {
    var r = new ResourceRequirementsBuilder();
    requests.forEach((k, v) -> r.addToRequests(k, new Quantity(v)));
    limits.forEach((k, v) -> r.addToLimits(k, new Quantity(v)));
    return new ContainerBuilder().withName(name).withResources(r.build()).build();
  }

  static Pod pod(String uid, Container... containers) {
    return new PodBuilder().withNewMetadata().withName("p-" + uid).withNamespace("ns").withUid(uid).endMetadata()
        .withNewSpec().withContainers(containers).endSpec().build();
  }

  static Pod guaranteed(String uid) {
    return pod(uid, container("a", Map.of("cpu", "100m", "memory", "32Mi"), Map.of("cpu", "100m", "memory", "32Mi")),
        container("b", Map.of(), Map.of("cpu", "250m", "memory", "64Mi")));
  }

  static String read(Path f) throws Exception { return Files.readString(f).strip(); }

  @Test
  void qosClassesComeFromStatusFirstThenRequestsAndLimits() {
    assertThat(QosClass.of(guaranteed("g"))).isEqualTo(QosClass.GUARANTEED); // limits stand for unset requests
    Pod burstable = pod("b", container("a", Map.of("cpu", "50m"), Map.of()));
    assertThat(QosClass.of(burstable)).isEqualTo(QosClass.BURSTABLE);
    assertThat(QosClass.of(pod("e", container("a", Map.of("cpu", "0"), Map.of())))).as("zero counts as unset").isEqualTo(QosClass.BEST_EFFORT);
    assertThat(QosClass.of(pod("m", container("a", Map.of("cpu", "1", "memory", "1Gi"), Map.of("cpu", "1", "memory", "2Gi")))))
        .isEqualTo(QosClass.BURSTABLE);
    burstable.setStatus(new io.fabric8.kubernetes.api.model.PodStatusBuilder().withQosClass("BestEffort").build());
    assertThat(QosClass.of(burstable)).as("the class the API server recorded").isEqualTo(QosClass.BEST_EFFORT);
  }

  @Test
  void podLimitsAreTheSumsOfContainerLimitsWhenEveryContainerHasThem() {
    ResourceConfig g = ResourceConfig.forPod(guaranteed("g"), QosClass.GUARANTEED);
    assertThat(g).isEqualTo(new ResourceConfig(358L, 35_000L, 100_000L, 96L << 20)); // 350m -> 358 shares, 35 ms per 100 ms

    Pod partly = pod("b", container("a", Map.of("cpu", "100m", "memory", "16Mi"), Map.of("cpu", "200m", "memory", "64Mi")),
        container("b", Map.of("cpu", "100m"), Map.of("memory", "32Mi")));
    // memory limited everywhere: a pod limit; cpu not: shares only
    assertThat(ResourceConfig.forPod(partly, QosClass.BURSTABLE)).isEqualTo(new ResourceConfig(204L, null, null, 96L << 20));
    assertThat(ResourceConfig.forPod(pod("e", new ContainerBuilder().withName("a").build()), QosClass.BEST_EFFORT))
        .isEqualTo(ResourceConfig.shares(2));
  }

  @Test
  void initContainersCountAtTheirPeakAndSidecarsAllTheTime() {
    Pod p = pod("i", container("main", Map.of(), Map.of("cpu", "100m", "memory", "100Mi")));
    Container sidecar = container("side", Map.of(), Map.of("cpu", "50m", "memory", "10Mi"));
    sidecar.setRestartPolicy("Always");
    p.getSpec().setInitContainers(java.util.List.of(sidecar, container("big-init", Map.of(), Map.of("cpu", "500m", "memory", "20Mi"))));
    ResourceConfig c = ResourceConfig.forPod(p, QosClass.GUARANTEED);
    // cpu: max(100 + 50, 500 + 50) = 550m; memory: max(100 + 10, 20 + 10) = 110Mi
    assertThat(c.cpuQuota()).isEqualTo(55_000L);
    assertThat(c.memoryLimit()).isEqualTo(110L << 20);
  }

  @Test
  void sharesAndQuotaConversionsMatchTheKubelet() {
    assertThat(ResourceConfig.milliCpuToShares(0)).isEqualTo(2);
    assertThat(ResourceConfig.milliCpuToShares(1)).isEqualTo(2);
    assertThat(ResourceConfig.milliCpuToShares(1000)).isEqualTo(1024);
    assertThat(ResourceConfig.milliCpuToShares(1_000_000)).isEqualTo(262_144);
    assertThat(ResourceConfig.milliCpuToQuota(5, 100_000)).isEqualTo(1000);
    assertThat(ResourceConfig.milliCpuToQuota(1500, 100_000)).isEqualTo(150_000);
    assertThat(ResourceConfig.sharesToWeight(2)).isEqualTo(1);
    assertThat(ResourceConfig.sharesToWeight(262_144)).isEqualTo(10_000);
    assertThat(ResourceConfig.sharesToWeight(1024)).isEqualTo(39);
  }

  @Test
  void v1TiersAndPodCgroupsCarryTheirLimits() throws Exception {
    Files.createDirectories(root.resolve("cpu"));
    Files.createDirectories(root.resolve("memory"));
    CgroupFs fs = CgroupFs.detect(root);
    assertThat(fs).isInstanceOf(CgroupFs.V1.class);
    PodCgroups pc = new PodCgroups(fs, "/kava-1", 2000, 4L << 30);
    pc.ensureTiers();
    assertThat(read(root.resolve("cpu/kava-1/kubepods/cpu.shares"))).isEqualTo("2048");
    assertThat(read(root.resolve("memory/kava-1/kubepods/memory.limit_in_bytes"))).isEqualTo(Long.toString(4L << 30));
    assertThat(read(root.resolve("cpu/kava-1/kubepods/besteffort/cpu.shares"))).isEqualTo("2");
    assertThat(read(root.resolve("cpu/kava-1/kubepods/burstable/cpu.shares"))).isEqualTo("2");

    assertThat(pc.ensurePod(guaranteed("g1"))).isEqualTo("/kava-1/kubepods/podg1");
    assertThat(read(root.resolve("cpu/kava-1/kubepods/podg1/cpu.cfs_quota_us"))).isEqualTo("35000");
    assertThat(read(root.resolve("cpu/kava-1/kubepods/podg1/cpu.cfs_period_us"))).isEqualTo("100000");
    assertThat(read(root.resolve("memory/kava-1/kubepods/podg1/memory.limit_in_bytes"))).isEqualTo(Long.toString(96L << 20));

    Pod b1 = pod("b1", container("a", Map.of("cpu", "500m"), Map.of()));
    Pod b2 = pod("b2", container("a", Map.of("cpu", "250m"), Map.of("memory", "64Mi")));
    assertThat(pc.ensurePod(b1)).isEqualTo("/kava-1/kubepods/burstable/podb1");
    pc.ensurePod(b2);
    pc.ensurePod(b2); // idempotent: counted once
    assertThat(read(root.resolve("cpu/kava-1/kubepods/burstable/cpu.shares"))).isEqualTo("768"); // 750m
    assertThat(root.resolve("cpu/kava-1/kubepods/burstable/podb1/cpu.cfs_quota_us")).doesNotExist();
    assertThat(root.resolve("memory/kava-1/kubepods/burstable/podb1/memory.limit_in_bytes")).doesNotExist();
    assertThat(pc.ensurePod(pod("e1", new ContainerBuilder().withName("a").build()))).isEqualTo("/kava-1/kubepods/besteffort/pode1");
    assertThat(read(root.resolve("cpu/kava-1/kubepods/besteffort/pode1/cpu.shares"))).isEqualTo("2");
    assertThat(pc.podUids()).containsExactlyInAnyOrder("g1", "b1", "b2", "e1");

    pc.removePod("b1");
    assertThat(read(root.resolve("cpu/kava-1/kubepods/burstable/cpu.shares"))).isEqualTo("256");
    assertThat(pc.podUids()).containsExactlyInAnyOrder("g1", "b2", "e1");
    assertThat(pc.hasPod("b1")).isFalse();
    assertThat(pc.hasPod("b2")).isTrue();
  }

  @Test
  void v2EnablesControllersAndWritesUnifiedFiles() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpuset cpu io memory pids");
    CgroupFs fs = CgroupFs.detect(root);
    assertThat(fs).isInstanceOf(CgroupFs.V2.class);
    PodCgroups pc = new PodCgroups(fs, "/kava-2", 1000, 0);
    pc.ensureTiers();
    assertThat(root.resolve("kava-2/kubepods/memory.max")).as("no allocatable limit given").doesNotExist();
    assertThat(read(root.resolve("kava-2/kubepods/cpu.weight"))).isEqualTo("39");
    pc.ensurePod(guaranteed("g"));
    assertThat(read(root.resolve("kava-2/kubepods/podg/cpu.max"))).isEqualTo("35000 100000");
    assertThat(read(root.resolve("kava-2/kubepods/podg/memory.max"))).isEqualTo(Long.toString(96L << 20));
    assertThat(read(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpu +memory +pids");
    assertThat(read(root.resolve("kava-2/kubepods/cgroup.subtree_control"))).isEqualTo("+cpu +memory +pids");
  }

  @Test
  void v2EnablesOnlyTheControllersTheParentHas() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory\n"); // a nested container without pids
    new PodCgroups(CgroupFs.detect(root), "/kava-3", 1000, 0).ensureTiers();
    assertThat(read(root.resolve("cgroup.subtree_control"))).isEqualTo("+cpu +memory");
  }

  @Test
  void podMaxPidsLimitsEveryPodCgroupInThePidsHierarchyOfV1() throws Exception {
    for (String h : List.of("cpu", "memory", "pids")) Files.createDirectories(root.resolve(h));
    PodCgroups pc = new PodCgroups(CgroupFs.detect(root), "/kava-4", 1000, 0, 64);
    pc.ensureTiers();
    assertThat(root.resolve("pids/kava-4/kubepods/pids.max")).as("the tiers stay unlimited, as the kubelet's").doesNotExist();
    pc.ensurePod(guaranteed("g"));
    pc.ensurePod(pod("e", new ContainerBuilder().withName("a").build()));
    assertThat(read(root.resolve("pids/kava-4/kubepods/podg/pids.max"))).isEqualTo("64");
    assertThat(read(root.resolve("pids/kava-4/kubepods/besteffort/pode/pids.max"))).isEqualTo("64");
  }

  @Test
  void theDefaultPodMaxPidsWritesNoLimit() throws Exception {
    for (String h : List.of("cpu", "memory", "pids")) Files.createDirectories(root.resolve(h));
    PodCgroups pc = new PodCgroups(CgroupFs.detect(root), "/kava-5", 1000, 0, PodCgroups.UNLIMITED_PIDS);
    pc.ensurePod(guaranteed("g"));
    assertThat(root.resolve("pids/kava-5/kubepods/podg/pids.max")).doesNotExist();
    assertThat(ResourceConfig.shares(2).withPidsLimit(0).pidsLimit()).isNull();
  }

  @Test
  void podMaxPidsOnV2WritesPidsMaxAndFailsClearlyWithoutTheController() throws Exception {
    Files.writeString(root.resolve("cgroup.controllers"), "cpu memory pids");
    PodCgroups pc = new PodCgroups(CgroupFs.detect(root), "/kava-6", 1000, 0, 100);
    pc.ensurePod(guaranteed("g"));
    assertThat(read(root.resolve("kava-6/kubepods/podg/pids.max"))).isEqualTo("100");

    Files.createDirectories(root.resolve("kava-6/kubepods/besteffort/podx"));
    Files.writeString(root.resolve("kava-6/kubepods/besteffort/podx/cgroup.controllers"), "cpu memory");
    assertThatThrownBy(() -> pc.ensurePod(pod("x", new ContainerBuilder().withName("a").build())))
        .isInstanceOf(java.io.IOException.class).hasMessageContaining("pids cgroup controller");
  }

  @Test
  void podMaxPidsOnV1WithoutThePidsHierarchyFailsClearly() throws Exception {
    for (String h : List.of("cpu", "memory")) Files.createDirectories(root.resolve(h));
    PodCgroups pc = new PodCgroups(CgroupFs.detect(root), "/kava-7", 1000, 0, 100);
    assertThatThrownBy(() -> pc.ensurePod(guaranteed("g"))).hasMessageContaining("pids cgroup controller");
  }
}
