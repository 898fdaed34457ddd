package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.node.containerd.ContainerdLayout;
import io.kava.testing.Kubectl;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pod cgroups, checked from the host's cgroup file system as an admin would: each pod gets {@code pod<uid>} in the
 * kubelet's QoS tier for its class (kubepods, kubepods/burstable, kubepods/besteffort, below the node's own cgroup),
 * with the pod's limits (the sums of its containers' limits), its containers' processes inside, and the cgroup
 * gone once the pod is deleted or has finished. Works on cgroup v1 (this machine: v1 with an empty cgroup2 mount
 * beside it) and v2.
 */
@Tag("e2e")
class PodCgroupsE2ETest {
  static final Path CGROUP = Path.of("/sys/fs/cgroup");
  static final boolean V2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
  static ContainerdNodeFixture f;
  static Kubectl k;
  static String kubepods;

  @BeforeAll
  static void start() throws Exception {
    f = ContainerdNodeFixture.start();
    k = f.kubectl("1.33");
    kubepods = ContainerdLayout.under(f.cluster.dataDir()).cgroupRoot() + "/kubepods";
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  static String pod(String name, String resources, String restartPolicy, String command) {
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          restartPolicy: %s
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            command: ["sh", "-c", "%s"]
            resources: %s
        """.formatted(name, restartPolicy, f.image, command, resources);
  }

  /** A cgroup's directory in the hierarchy that holds {@code controller}'s files. */
  static Path dir(String controller, String cgroup) { return (V2 ? CGROUP : CGROUP.resolve(controller)).resolve(cgroup.substring(1)); }

  static String read(Path file) {
    try {
      return Files.readString(file).strip();
    } catch (IOException e) {
      throw new AssertionError("cannot read " + file, e);
    }
  }

  /** The memory limit, null for none. */
  static Long memoryLimit(String cgroup) {
    String v = read(dir("memory", cgroup).resolve(V2 ? "memory.max" : "memory.limit_in_bytes"));
    if (v.equals("max")) return null;
    long l = Long.parseLong(v);
    return l >= (1L << 62) ? null : l; // v1's "unlimited" is the largest page-aligned long
  }

  /** The CFS quota per 100 ms period in microseconds, null for none. */
  static Long cpuQuota(String cgroup) {
    if (V2) {
      String[] max = read(dir("cpu", cgroup).resolve("cpu.max")).split(" ");
      assertThat(max[1]).isEqualTo("100000");
      return max[0].equals("max") ? null : Long.parseLong(max[0]);
    }
    assertThat(read(dir("cpu", cgroup).resolve("cpu.cfs_period_us"))).isEqualTo("100000");
    long q = Long.parseLong(read(dir("cpu", cgroup).resolve("cpu.cfs_quota_us")));
    return q < 0 ? null : q;
  }

  /** cpu.shares (v1), or the cpu.weight runc would give those shares (v2). */
  static long cpuShares(String cgroup) {
    if (V2) return Long.parseLong(read(dir("cpu", cgroup).resolve("cpu.weight")));
    return Long.parseLong(read(dir("cpu", cgroup).resolve("cpu.shares")));
  }

  static long expectedShares(long shares) { return V2 ? io.kava.node.cgroups.ResourceConfig.sharesToWeight(shares) : shares; }

  /** Whether some cgroup below the pod's (a container's) holds a process. */
  static boolean hasProcessesBelow(String cgroup) {
    try (Stream<Path> s = Files.walk(dir("memory", cgroup))) {
      return s.filter(p -> p.getFileName().toString().equals("cgroup.procs")).anyMatch(p -> !read(p).isEmpty());
    } catch (IOException e) {
      return false;
    }
  }

  String runAndFindCgroup(String name, String resources, String qosClass, String tier) {
    ok(k.runWithInput(pod(name, resources, "Always", "exec sleep 3600"), "apply", "-f", "-"));
    poll(() -> get(k, name, "{.status.phase}").equals("Running"), yaml(k, name));
    assertThat(get(k, name, "{.status.qosClass}")).isEqualTo(qosClass);
    String cgroup = tier + "/pod" + get(k, name, "{.metadata.uid}");
    assertThat(dir("memory", cgroup)).as("the pod's cgroup").isDirectory();
    poll(() -> hasProcessesBelow(cgroup), () -> "no container process below " + cgroup);
    return cgroup;
  }

  @Test
  void eachQosClassHasItsTierAndThePodCgroupCarriesThePodLimits() {
    String guaranteed = runAndFindCgroup("guaranteed", "{requests: {cpu: 100m, memory: 32Mi}, limits: {cpu: 100m, memory: 32Mi}}",
        "Guaranteed", kubepods);
    assertThat(memoryLimit(guaranteed)).isEqualTo(32L << 20);
    assertThat(cpuQuota(guaranteed)).isEqualTo(10_000L);
    assertThat(cpuShares(guaranteed)).isEqualTo(expectedShares(102));

    String burstable = runAndFindCgroup("burstable", "{requests: {cpu: 50m, memory: 16Mi}, limits: {cpu: 200m, memory: 64Mi}}",
        "Burstable", kubepods + "/burstable");
    assertThat(memoryLimit(burstable)).isEqualTo(64L << 20);
    assertThat(cpuQuota(burstable)).isEqualTo(20_000L);
    // Unlimited containers make an unlimited pod; its request still counts in the tier's shares.
    String unlimited = runAndFindCgroup("burstable-unlimited", "{requests: {cpu: 150m}}", "Burstable", kubepods + "/burstable");
    assertThat(memoryLimit(unlimited)).isNull();
    assertThat(cpuQuota(unlimited)).isNull();
    poll(() -> cpuShares(kubepods + "/burstable") == expectedShares(204), () -> "burstable tier shares " + cpuShares(kubepods + "/burstable"));

    String bestEffort = runAndFindCgroup("besteffort", "{}", "BestEffort", kubepods + "/besteffort");
    assertThat(memoryLimit(bestEffort)).isNull();
    assertThat(cpuShares(bestEffort)).isEqualTo(expectedShares(2));

    ok(k.run("delete", "pod", "guaranteed", "burstable", "burstable-unlimited", "besteffort", "--wait=true"));
    for (String cgroup : List.of(guaranteed, burstable, unlimited, bestEffort)) {
      poll(() -> !Files.exists(dir("memory", cgroup)) && !Files.exists(dir("cpu", cgroup)), () -> cgroup + " is still there");
    }
    poll(() -> cpuShares(kubepods + "/burstable") == expectedShares(2), () -> "burstable tier shares " + cpuShares(kubepods + "/burstable"));
  }

  @Test
  void aFinishedPodKeepsNoCgroup() {
    ok(k.runWithInput(pod("done", "{limits: {memory: 16Mi}}", "Never", "exit 0"), "apply", "-f", "-"));
    poll(() -> get(k, "done", "{.status.phase}").equals("Succeeded"), yaml(k, "done"));
    String cgroup = kubepods + "/burstable/pod" + get(k, "done", "{.metadata.uid}");
    poll(() -> !Files.exists(dir("memory", cgroup)), () -> cgroup + " is still there after the pod finished");
    ok(k.run("delete", "pod", "done", "--wait=true"));
  }
}
