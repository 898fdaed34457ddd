package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.node.containerd.ContainerdLayout;
import io.kava.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The node's pod pids limit (kubelet's {@code --pod-max-pids}): a pod that forks past it sees its forks fail in its
 * own output, while a pod beside it that stays under the limit runs every process it starts. Checked with kubectl
 * logs, and the limit in the pod cgroup's {@code pids.max}.
 */
@Tag("e2e")
class PodPidsLimitE2ETest {
  static final long LIMIT = 24;
  static final Path CGROUP = Path.of("/sys/fs/cgroup");
  static final boolean V2 = Files.exists(CGROUP.resolve("cgroup.controllers"));
  static ContainerdNodeFixture f;
  static Kubectl k;

  @BeforeAll
  static void start() throws Exception {
    f = ContainerdNodeFixture.start(o -> o.withPodMaxPids(LIMIT));
    k = f.kubectl("1.33");
  }

  @AfterAll
  static void stop() {
    if (f != null) f.close();
  }

  /**
   * A pod that starts {@code n} background sleeps, saying after each fork how many it started, then stays. busybox sh
   * prints "can't fork" when the kernel refuses a fork, and may give up there (the container then ends: restartPolicy
   * Never keeps its log for kubectl logs).
   */
  static String pod(String name, int n) {
    String script = "i=0; while [ $i -lt " + n + " ]; do sleep 600 & i=$((i+1)); echo forked $i; done; echo all forked; exec sleep 3600";
    return """
        apiVersion: v1
        kind: Pod
        metadata: {name: %s}
        spec:
          restartPolicy: Never
          terminationGracePeriodSeconds: 1
          containers:
          - name: main
            image: %s
            command: ["sh", "-c", "exec 2>&1; %s"]
        """.formatted(name, f.image, script);
  }

  @Test
  void aPodForkingPastTheLimitFailsInItsOwnOutputAndItsNeighbourDoesNot() throws Exception {
    ok(k.runWithInput(pod("forker", 60), "apply", "-f", "-"));
    ok(k.runWithInput(pod("calm", 8), "apply", "-f", "-"));
    // The forker may have failed already when first seen (busybox sh can give up at the first refused fork).
    poll(() -> !get(k, "forker", "{.status.phase}").equals("Pending"), yaml(k, "forker"));
    poll(() -> get(k, "calm", "{.status.phase}").equals("Running"), yaml(k, "calm"));

    // Every pod cgroup carries the limit. Read from the pod that stays: the forker's busybox sh may give up at the
    // first refused fork, and a finished pod keeps no cgroup (its pids.max can be gone by the time it is read).
    String uid = get(k, "calm", "{.metadata.uid}");
    String cgroup = ContainerdLayout.under(f.cluster.dataDir()).cgroupRoot() + "/kubepods/besteffort/pod" + uid;
    Path pidsMax = (V2 ? CGROUP : CGROUP.resolve("pids")).resolve(cgroup.substring(1)).resolve("pids.max");
    assertThat(Files.readString(pidsMax).strip()).isEqualTo(Long.toString(LIMIT));

    poll(() -> k.run("logs", "forker").out().contains("can't fork"), () -> "forker: " + k.run("logs", "forker"));
    String forker = k.run("logs", "forker").out();
    assertThat(forker).contains("forked 1\n");

    poll(() -> k.run("logs", "calm").out().contains("all forked"), () -> "calm: " + k.run("logs", "calm"));
    assertThat(k.run("logs", "calm").out()).doesNotContain("can't fork").contains("forked 8\n");
    // The neighbour still forks after the forker has used up its own limit: the limit is per pod, not per node.
    assertThat(ok(k.run("exec", "calm", "--", "sh", "-c", "sleep 0 & wait; echo forks fine")).out()).contains("forks fine");
    assertThat(get(k, "calm", "{.status.phase}")).isEqualTo("Running");

    ok(k.run("delete", "pod", "forker", "calm", "--wait=true"));
  }
}
