package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.node.cri.v1.PodSandboxConfig;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.TestContainerd;
import io.kava.testing.TestContainerd.ContainerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Logs, exec, attach and cp through the API server, judged by real kubectl: the API server proxies to the node's
 * streaming server, which reads CRI log files and bridges WebSocket v5/v4 to containerd's SPDY streams. The test plays
 * the pod worker's part itself (it starts the containers through CRI in its own containerd and writes the pod
 * status), so the streaming path is tested on its own.
 */
@Tag("e2e")
class PodStreamingE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String NODE = "stream-node";
  static final String NS = "default";

  static StreamingNodeFixture node;
  static KavaCluster cluster;
  static TestContainerd containerd;
  static Kubectl k;

  @BeforeAll
  static void start() throws Exception {
    node = StreamingNodeFixture.start(NODE, "pod streaming");
    cluster = node.cluster;
    containerd = node.containerd;
    k = node.k;
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  // -------------------------------------------------------------------------------------------------- helpers

  static void poll(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError(e);
      }
    }
  }

  static Kubectl kubectl(String v) { return node.kubectl(v); }

  /** Reads a running kubectl's stdout until a line matches, then stops it; returns what it printed. */
  static String readUntil(Process p, String regex) throws IOException, InterruptedException {
    StringBuilder seen = new StringBuilder();
    Thread reader = Thread.ofVirtual().start(() -> {
      try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
        for (String l; (l = r.readLine()) != null; ) {
          synchronized (seen) {
            seen.append(l).append('\n');
          }
          if (l.matches(regex)) return;
        }
      } catch (IOException ignored) {
        // destroyed
      }
    });
    reader.join(DEADLINE);
    p.destroy();
    p.waitFor(10, TimeUnit.SECONDS);
    synchronized (seen) {
      return seen.toString();
    }
  }

  // -------------------------------------------------------------------------------------------------- logs

  @Test
  void logsOfTwoContainers() {
    node.runPod("two", ContainerSpec.of("a", "sh", "-c", "echo a-one; sleep 0.1; echo a-two >&2; sleep 0.1; echo a-three; exec sleep 3600"),
        ContainerSpec.of("b", "sh", "-c", "echo b-only; exec sleep 3600"));
    poll(() -> k.run("logs", "two", "-c", "a").out().equals("a-one\na-two\na-three\n"), () -> k.run("logs", "two", "-c", "a").toString());
    assertThat(ok(k.run("logs", "two", "-c", "b")).out()).isEqualTo("b-only\n");
    Result noContainer = k.run("get", "--raw", "/api/v1/namespaces/default/pods/two/log");
    assertThat(noContainer.exitCode()).isNotZero();
    assertThat(noContainer.err()).contains("a container name must be specified for pod two, choose one of: [a b]");
    Result defaulted = ok(k.run("logs", "two")); // kubectl picks the first container itself, and says so
    assertThat(defaulted.err()).contains("Defaulted container \"a\"");
    assertThat(ok(k.run("logs", "two", "--all-containers")).out()).contains("a-one", "b-only");
    assertThat(ok(k.run("logs", "two", "-c", "a", "--tail=1")).out()).isEqualTo("a-three\n");
    assertThat(ok(k.run("logs", "two", "-c", "a", "--tail=0")).out()).isEmpty();
    assertThat(ok(k.run("logs", "two", "-c", "a", "--limit-bytes=8")).out()).isEqualTo("a-one\na-");
    assertThat(ok(k.run("logs", "two", "-c", "a", "--since=1h")).out()).isEqualTo("a-one\na-two\na-three\n");
    assertThat(ok(k.run("logs", "two", "-c", "a", "--since-time=2999-01-01T00:00:00Z")).out()).isEmpty();
    String stamped = ok(k.run("logs", "two", "-c", "a", "--timestamps")).out();
    assertThat(stamped.lines().toList()).hasSize(3)
        .allMatch(l -> l.matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{9}Z a-(one|two|three)"), "kubelet's timestamp format");
    Result bad = k.run("logs", "two", "-c", "nope");
    assertThat(bad.err()).contains("container nope is not valid for pod two");
    assertThat(k.run("logs", "missing-pod").err()).contains("pods \"missing-pod\" not found");
  }

  @Test
  void logsFollowSeesNewLines() throws Exception {
    node.runPod("ticker", ContainerSpec.of("t", "sh", "-c", "i=0; while true; do i=$((i+1)); echo tick $i; sleep 0.3; done"));
    Process p = k.start("logs", "-f", "ticker");
    String out = readUntil(p, "tick 8");
    assertThat(out).contains("tick 1\n", "tick 2\n", "tick 8\n");
  }

  @Test
  void logsOfPendingAndPreviousContainers() throws Exception {
    ok(k.runWithInput("apiVersion: v1\nkind: Pod\nmetadata: {name: pending}\nspec:\n  nodeName: " + NODE + "\n  containers:\n  - {name: c, image: busybox}\n", "create", "-f", "-"));
    Result pending = k.run("logs", "pending");
    assertThat(pending.err()).contains("container \"c\" in pod \"pending\" is waiting to start: ContainerCreating");

    String sandbox = node.runPod("restarted", ContainerSpec.of("r", "sh", "-c", "echo first run; exit 1"));
    String uid = ok(k.run("get", "pod", "restarted", "-o", "jsonpath={.metadata.uid}")).out();
    poll(() -> k.run("logs", "restarted").out().equals("first run\n"), () -> k.run("logs", "restarted").toString());
    assertThat(k.run("logs", "restarted", "--previous").err()).contains("previous terminated container \"r\" in pod \"restarted\" not found");
    // The worker's part: a second attempt, and the status that says so.
    PodSandboxConfig config = containerd.sandboxConfig(NS, "restarted", uid);
    containerd.startContainer(sandbox, config, ContainerSpec.of("r", "sh", "-c", "echo second run; exec sleep 3600"), 1);
    node.setStatus("restarted", List.of(StreamingNodeFixture.runningStatus("r", 1, "{\"exitCode\":1,\"reason\":\"Error\",\"startedAt\":null,\"finishedAt\":null}")));
    poll(() -> k.run("logs", "restarted").out().equals("second run\n"), () -> k.run("logs", "restarted").toString());
    assertThat(ok(k.run("logs", "restarted", "--previous")).out()).isEqualTo("first run\n");
    assertThat(ok(k.run("logs", "restarted", "-p", "--timestamps")).out()).matches("\\S+Z first run\n");
  }

  // -------------------------------------------------------------------------------------------------- exec

  @ParameterizedTest
  @ValueSource(strings = {"1.30", "1.31", "1.33"})
  void execPrintsOutputAndExitCode(String version) {
    Kubectl kc = kubectl(version);
    ensureShell();
    Result r = kc.run("exec", "shell", "--", "sh", "-c", "echo hi; echo oops >&2; exit 3");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("hi\n");
    assertThat(r.err()).contains("oops").contains("command terminated with exit code 3");
    assertThat(ok(kc.run("exec", "shell", "--", "echo", "fine")).out()).isEqualTo("fine\n");
    // stdin piped, and closed at its end (the v5 protocol's close message)
    Result cat = kc.runWithInput("hello\nworld\n", "exec", "-i", "shell", "--", "sh", "-c", "cat; echo done");
    assertThat(cat.exitCode()).as(cat.toString()).isZero();
    assertThat(cat.out()).isEqualTo("hello\nworld\ndone\n");
  }

  static synchronized void ensureShell() {
    if (!k.run("get", "pod", "shell").ok()) {
      node.runPod("shell", ContainerSpec.of("sh", "sh", "-c", "exec sleep 3600"));
    }
  }

  @Test
  void execWithATerminalSeesItsSize() throws Exception {
    ensureShell();
    // script(1) gives kubectl a pseudo-terminal; its size reaches the container through the resize channel.
    String cmd = "stty rows 33 cols 111; " + k.binary() + " exec -it shell -- sh -c '"
        // the size comes on the resize channel, possibly just after the command started: wait for it
        + "for i in $(seq 100); do s=$(stty size 2>/dev/null); [ -n \"$s\" ] && [ \"$s\" != \"0 0\" ] && break; sleep 0.1; done; echo $s; tty'";
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null");
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    p.getOutputStream().close();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).isTrue();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(out).as(out).contains("33 111").contains("/dev/pts/");
    assertThat(p.exitValue()).as(out).isZero();
  }

  @Test
  void execErrors() {
    ensureShell();
    Result missing = k.run("exec", "nope", "--", "true");
    assertThat(missing.err()).contains("pods \"nope\" not found");
    node.runPod("pair", ContainerSpec.of("left", "sleep", "3600"), ContainerSpec.of("right", "sleep", "3600"));
    Result which = k.run("exec", "pair", "-c", "zzz", "--", "true");
    assertThat(which.err()).contains("container zzz is not valid for pod pair");
    Result none = k.run("exec", "pair", "--", "true");
    assertThat(none.exitCode()).isZero(); // kubectl picks the first container itself (and says so)
    assertThat(none.err()).contains("Defaulted container \"left\"");
    // SPDY (kubectl 1.29 and older): SpdyStreamingE2ETest
  }

  // ---------------------------------------------------------------------------------------------- attach, cp

  @Test
  void attachToAContainerReadingStdin() throws Exception {
    node.runPod("echoer", new ContainerSpec("e", List.of("sh", "-c", "echo ready; while read l; do echo got $l; done"), true, false));
    Process p = k.start("attach", "-i", "echoer");
    p.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    String out = readUntil(p, "got ping");
    assertThat(out).contains("got ping");
  }

  @Test
  void copyFilesBothWays() throws Exception {
    ensureShell();
    Path local = Files.createTempDirectory("kava-cp");
    Path src = local.resolve("in.txt");
    String content = "line one\n" + "x".repeat(200_000) + "\nend\n";
    Files.writeString(src, content);
    ok(k.run("cp", src.toString(), "shell:/tmp/in.txt"));
    assertThat(ok(k.run("exec", "shell", "--", "wc", "-c", "/tmp/in.txt")).out().trim()).startsWith(Integer.toString(content.length()));
    ok(k.run("exec", "shell", "--", "sh", "-c", "echo from the pod > /tmp/out.txt"));
    Path back = local.resolve("out.txt");
    ok(k.run("cp", "shell:/tmp/out.txt", back.toString()));
    assertThat(Files.readString(back)).isEqualTo("from the pod\n");
    Path roundTrip = local.resolve("again.txt");
    ok(k.run("cp", "shell:/tmp/in.txt", roundTrip.toString()));
    assertThat(Files.readString(roundTrip)).isEqualTo(content);
  }
}
