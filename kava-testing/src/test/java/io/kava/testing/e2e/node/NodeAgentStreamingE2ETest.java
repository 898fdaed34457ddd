package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.containerd.ContainerdConfig;
import io.kava.node.containerd.Prerequisites;
import io.kava.node.image.BusyboxImages;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Logs and exec of a pod that the node agent started (kava's own containerd, image from a local registry), through the
 * API server and the local node's streaming server as `kava server` wires them. Skips, saying what is missing, without
 * root, containerd, runc, the CNI plugins or the registry.
 */
@Tag("e2e")
class NodeAgentStreamingE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(120);
  static KavaCluster cluster;
  static LocalRegistry registry;
  static String image;
  static Kubectl k;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    missing.addAll(LocalRegistry.missing());
    assumeTrue(missing.isEmpty(), "skipping the node agent streaming suite: " + String.join("; ", missing));
    k = Kubectl.of("1.33", java.nio.file.Path.of("/nonexistent"));
    assumeTrue(k.available(), "kubectl 1.33 is not installed at " + k.binary() + "; skipping");
    registry = LocalRegistry.start();
    image = registry.host() + "/busybox:1";
    registry.push(BusyboxImages.busybox(BusyboxImages.findBusybox(), image));
    cluster = KavaCluster.startWithContainerdNode();
    k = cluster.kubectl("1.33");
    poll(() -> k.run("get", "node", KavaCluster.NODE_NAME, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"),
        () -> k.run("get", "nodes", "-o", "yaml").toString());
    poll(() -> k.run("get", "serviceaccount", "default", "-n", "default").ok(), () -> "no default service account");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (registry != null) registry.close();
  }

  static void poll(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(300);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  @Test
  void logsAndExecOfARunningPod() {
    ok(k.run("run", "talker", "--image=" + image, "--command", "--", "sh", "-c", "echo hello from kava; exec sleep 3600"));
    Result pending = k.run("logs", "talker");
    assertThat(pending.exitCode() == 0 ? pending.out() : pending.err()).matches("(?s)(|hello from kava\n|.*is waiting to start.*)");
    poll(() -> k.run("get", "pod", "talker", "-o", "jsonpath={.status.phase}").out().equals("Running"), () -> k.run("describe", "pod", "talker").toString());
    poll(() -> k.run("logs", "talker").out().equals("hello from kava\n"), () -> k.run("logs", "talker").toString());
    Result exec = k.run("exec", "talker", "--", "sh", "-c", "echo hi; exit 3");
    assertThat(exec.exitCode()).as(exec.toString()).isEqualTo(3);
    assertThat(exec.out()).isEqualTo("hi\n");
    assertThat(exec.err()).contains("command terminated with exit code 3");
    assertThat(ok(k.runWithInput("piped\n", "exec", "-i", "talker", "--", "cat")).out()).isEqualTo("piped\n");
  }
}
