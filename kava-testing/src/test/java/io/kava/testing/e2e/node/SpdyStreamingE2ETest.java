package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import io.kava.testing.TestContainerd;
import io.kava.testing.TestContainerd.ContainerSpec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The SPDY side of streaming, judged by real kubectl against a containerd node: exec, exec -it, attach and cp of
 * kubectl 1.27–1.29 (SPDY/3.1 only, bridged by the API server to the node's WebSocket), and port-forward of every
 * kubectl (1.27–1.30 over SPDY, 1.31+ over SPDY tunnelled in a WebSocket) through the node to containerd's
 * PortForward. As in {@link PodStreamingE2ETest}, the test plays the pod worker's part itself. The pod uses the host
 * network (as TestContainerd's pods do), so its HTTP server listens on a free loopback port.
 */
@Tag("e2e")
class SpdyStreamingE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(60);
  static final String NODE = "spdy-node";
  static final String NS = "default";
  static final String PAGE = "hello from web";

  static StreamingNodeFixture node;
  static KavaCluster cluster;
  static Kubectl k;
  static int webPort;

  @BeforeAll
  static void start() throws Exception {
    node = StreamingNodeFixture.start(NODE, "SPDY streaming");
    cluster = node.cluster;
    k = node.k;
    node.runPod("shell", ContainerSpec.of("sh", "sh", "-c", "exec sleep 3600"));
    webPort = freePort();
    node.runPod("web", ContainerSpec.of("httpd", "sh", "-c",
        "mkdir -p /www && echo '" + PAGE + "' > /www/index.html && exec httpd -f -p 127.0.0.1:" + webPort + " -h /www"));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  // -------------------------------------------------------------------------------------------------- helpers

  static Kubectl kubectl(String v) { return node.kubectl(v); }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }

  /** One HTTP/1.0 GET on its own connection; the whole answer, or what failed. */
  static String get(int port) {
    try (Socket s = new Socket()) {
      s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
      s.setSoTimeout(30_000);
      s.getOutputStream().write("GET /index.html HTTP/1.0\r\nHost: web\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      s.getOutputStream().flush();
      return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      return "failed: " + e;
    }
  }

  /** Everything a stream prints, collected in the background. */
  static final class Output {
    private final StringBuilder seen = new StringBuilder();

    Output(InputStream in) {
      Thread.ofVirtual().start(() -> {
        try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
          for (String l; (l = r.readLine()) != null; ) {
            synchronized (seen) {
              seen.append(l).append('\n');
            }
          }
        } catch (IOException ignored) {
          // destroyed
        }
      });
    }

    String text() {
      synchronized (seen) {
        return seen.toString();
      }
    }

    /** Waits until the text contains {@code s}. */
    void await(String s, Process p) throws InterruptedException {
      long end = System.nanoTime() + DEADLINE.toNanos();
      while (!text().contains(s)) {
        if (System.nanoTime() - end > 0) throw new AssertionError("gave up waiting for \"" + s + "\"; kubectl printed: " + text());
        Thread.sleep(100);
      }
    }
  }

  // ------------------------------------------------------------------------------------------- exec over SPDY

  /**
   * A SPDY exec offering only the old remotecommand protocols (v3 and below; no kubectl of the supported range does
   * that, so curl plays the client with the admin certificate, over HTTP/1.1 as SPDY upgrades go): a 400 Status before
   * any upgrade, saying so.
   */
  @Test
  void aSpdyExecOfferingOnlyV1ToV3IsRefusedWithAStatus() throws Exception {
    assumeTrue(Files.isExecutable(Path.of("/usr/bin/curl")), "curl is not installed; skipping");
    Path pki = cluster.dataDir().resolve("pki");
    Path body = Files.createTempFile("kava-spdy-", ".json");
    try {
      Process curl = new ProcessBuilder("curl", "-s", "--http1.1", "--max-time", "30", "-o", body.toString(), "-w", "%{http_code}",
          "--cacert", pki.resolve("ca.crt").toString(), "--cert", pki.resolve("admin.crt").toString(), "--key", pki.resolve("admin.key").toString(),
          "-X", "POST", "-H", "Connection: Upgrade", "-H", "Upgrade: SPDY/3.1",
          "-H", "X-Stream-Protocol-Version: v3.channel.k8s.io", "-H", "X-Stream-Protocol-Version: v2.channel.k8s.io",
          "-H", "X-Stream-Protocol-Version: channel.k8s.io",
          cluster.url() + "/api/v1/namespaces/" + NS + "/pods/shell/exec?command=true&stdout=true").redirectErrorStream(true).start();
      String code = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      assertThat(curl.waitFor(60, TimeUnit.SECONDS)).isTrue();
      assertThat(code).isEqualTo("400");
      assertThat(Files.readString(body)).contains("\"kind\":\"Status\"").contains("\"reason\":\"BadRequest\"").contains(
          "unable to negotiate protocol: client supports [v3.channel.k8s.io v2.channel.k8s.io channel.k8s.io], server accepts [v4.channel.k8s.io]");
    } finally {
      Files.deleteIfExists(body);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.29"})
  void execPrintsOutputAndExitCode(String version) {
    Kubectl kc = kubectl(version);
    // -v=6 puts the upgrade's status and time on stderr: if the streams ever fail, the failure shows how far it got
    Result r = kc.run("-v=6", "exec", "shell", "--", "sh", "-c", "echo hi; echo oops >&2; exit 3");
    assertThat(r.exitCode()).as(r.toString()).isEqualTo(3);
    assertThat(r.out()).isEqualTo("hi\n");
    assertThat(r.err()).contains("oops").contains("command terminated with exit code 3");
    assertThat(ok(kc.run("exec", "shell", "--", "echo", "fine")).out()).isEqualTo("fine\n");
    // stdin piped; its end is the stdin stream's FIN
    Result cat = kc.runWithInput("hello\nworld\n", "exec", "-i", "shell", "--", "sh", "-c", "cat; echo done");
    assertThat(cat.exitCode()).as(cat.toString()).isZero();
    assertThat(cat.out()).isEqualTo("hello\nworld\ndone\n");
    Result missing = kc.run("exec", "shell", "-c", "zzz", "--", "true");
    assertThat(missing.err()).contains("container zzz is not valid for pod shell");
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.29"})
  void execWithATerminalSeesItsSizeAndInput(String version) throws Exception {
    Kubectl kc = kubectl(version);
    // script(1) gives kubectl a pseudo-terminal; the size reaches the container on the resize stream, the typed line
    // on stdin.
    String cmd = "stty rows 33 cols 111; " + kc.binary() + " exec -it shell -- sh -c '"
        + "for i in $(seq 100); do s=$(stty size 2>/dev/null); [ -n \"$s\" ] && [ \"$s\" != \"0 0\" ] && break; sleep 0.1; done; echo size $s; "
        + "read line; echo got $line; tty'";
    ProcessBuilder pb = new ProcessBuilder("script", "-qec", cmd, "/dev/null");
    pb.environment().put("KUBECONFIG", cluster.kubeconfig().toString());
    pb.redirectErrorStream(true);
    Process p = pb.start();
    Output out = new Output(p.getInputStream());
    out.await("size 33 111", p);
    p.getOutputStream().write("typed-in\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as(out.text()).isTrue();
    Thread.sleep(200); // the reader's last lines
    assertThat(out.text()).as(out.text()).contains("got typed-in").contains("/dev/pts/");
    assertThat(p.exitValue()).as(out.text()).isZero();
  }

  @Test
  void attachOverSpdy() throws Exception {
    Kubectl kc = kubectl("1.29");
    node.runPod("echoer", new ContainerSpec("e", List.of("sh", "-c", "echo ready; while read l; do echo got $l; done"), true, false));
    Process p = kc.start("attach", "-i", "echoer");
    Output out = new Output(p.getInputStream());
    p.getOutputStream().write("ping\n".getBytes(StandardCharsets.UTF_8));
    p.getOutputStream().flush();
    out.await("got ping", p);
    p.destroy();
    p.waitFor(10, TimeUnit.SECONDS);
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.29"})
  void copyFilesBothWays(String version) throws Exception {
    Kubectl kc = kubectl(version);
    Path local = Files.createTempDirectory("kava-spdy-cp");
    Path src = local.resolve("in.txt");
    // Megabytes, so both bridges fill their write queues and wait for drains many times.
    String content = "line one\n" + "x".repeat(3_000_000) + "\nend\n";
    Files.writeString(src, content);
    String remote = "/tmp/in-" + version + ".txt";
    // A few rounds: a lost drain hung one copy in ten or so before the bridges re-checked their write queues.
    for (int round = 0; round < 3; round++) {
      ok(kc.run("cp", src.toString(), "shell:" + remote));
      assertThat(ok(kc.run("exec", "shell", "--", "wc", "-c", remote)).out().trim()).startsWith(Integer.toString(content.length()));
      Path back = local.resolve("back.txt");
      ok(kc.run("cp", "shell:" + remote, back.toString()));
      assertThat(Files.readString(back)).isEqualTo(content);
    }
  }

  // ------------------------------------------------------------------------------------------- port-forward

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.30", "1.33"})
  void portForwardServesHttpTwice(String version) throws Exception {
    Kubectl kc = kubectl(version);
    int local = freePort();
    Process p = kc.start("port-forward", "pod/web", local + ":" + webPort);
    Output out = new Output(p.getInputStream());
    Output err = new Output(p.getErrorStream());
    try {
      out.await("Forwarding from 127.0.0.1:" + local + " -> " + webPort, p);
      String first = get(local);
      assertThat(first).as("first GET; kubectl stderr: " + err.text()).startsWith("HTTP/1.").contains("200").endsWith(PAGE + "\n");
      String second = get(local); // a second connection: a second stream pair on the same session
      assertThat(second).as("second GET; kubectl stderr: " + err.text()).contains("200").endsWith(PAGE + "\n");
      assertThat(out.text()).contains("Handling connection for " + local);
      assertThat(p.isAlive()).as(err.text()).isTrue();
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @ParameterizedTest
  @ValueSource(strings = {"1.27", "1.33"})
  void portForwardToAClosedPortPrintsTheError(String version) throws Exception {
    Kubectl kc = kubectl(version);
    int local = freePort();
    int closed = freePort(); // nothing listens there
    Process p = kc.start("port-forward", "pod/web", local + ":" + closed);
    Output out = new Output(p.getInputStream());
    Output err = new Output(p.getErrorStream());
    try {
      out.await("Forwarding from 127.0.0.1:" + local, p);
      String answer = get(local);
      assertThat(answer).doesNotContain(PAGE);
      err.await("an error occurred forwarding " + local + " -> " + closed, p);
      assertThat(err.text()).contains("connection refused");
    } finally {
      p.destroy();
      p.waitFor(10, TimeUnit.SECONDS);
    }
  }

  @Test
  void portForwardRefusals() {
    Result missing = k.run("port-forward", "pod/nope", "1234:80");
    assertThat(missing.exitCode()).isNotZero();
    assertThat(missing.err()).contains("pods \"nope\" not found");
    // Without an upgrade the subresource says what it needs.
    Result plain = k.run("create", "--raw", "/api/v1/namespaces/default/pods/web/portforward", "-f", "/dev/null");
    assertThat(plain.exitCode()).isNotZero();
    assertThat(plain.err()).contains("Upgrade request required");
  }
}
