package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
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
  static ContainerdNodeFixture node;
  static KavaCluster cluster;
  static LocalRegistry registry;
  static String image;
  static Kubectl k;

  @BeforeAll
  static void start() throws Exception {
    node = ContainerdNodeFixture.start();
    cluster = node.cluster;
    registry = node.registry;
    image = node.image;
    k = node.kubectl("1.33");
  }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  static void poll(BooleanSupplier done, Supplier<String> what) { ContainerdNodeFixture.poll(done, what); }

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
