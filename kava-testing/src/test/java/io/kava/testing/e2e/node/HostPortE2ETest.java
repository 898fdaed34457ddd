package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.Kubectl;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * A pod's {@code ports[].hostPort} reaches the pod on 127.0.0.1 (the CNI portmap plugin's DNAT), and the port's
 * iptables rules go with the pod.
 */
@Tag("e2e")
class HostPortE2ETest {
  static ContainerdNodeFixture node;

  @BeforeAll
  static void start() throws Exception { node = ContainerdNodeFixture.start(); }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  static int freePort() throws IOException {
    try (ServerSocket s = new ServerSocket(0)) {
      return s.getLocalPort();
    }
  }

  /** The nat table as iptables-save prints it (portmap writes through the iptables on PATH). */
  static String natRules() throws IOException, InterruptedException {
    Process p = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S").redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor(30, TimeUnit.SECONDS);
    return out;
  }

  static boolean hasRulesFor(String rules, int hostPort, String podIp) {
    return rules.lines().anyMatch(l -> l.contains("--dport " + hostPort + " ") || l.endsWith("--dport " + hostPort)
        || l.contains("--to-destination " + podIp + ":"));
  }

  static HttpResponse<String> httpGet(String url) {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    try {
      return http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(5)).build(), HttpResponse.BodyHandlers.ofString());
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError(e);
    }
  }

  @Test
  void aHostPortReachesThePodOnLoopbackAndItsRulesGoWithThePod() throws Exception {
    Kubectl k = node.kubectl("1.33");
    int hostPort = freePort();
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hp"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"web","image":"%s",
           "command":["sh","-c","mkdir -p /www && echo hello-from-hostport > /www/index.html && exec httpd -f -p 8080 -h /www"],
           "ports":[{"containerPort":8080,"hostPort":%d}]}]}}""".formatted(node.image, hostPort);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "hp", "{.status.phase}").equals("Running"), yaml(k, "hp"));
    String podIp = get(k, "hp", "{.status.podIP}");
    String url = "http://127.0.0.1:" + hostPort + "/index.html";
    poll(() -> {
      HttpResponse<String> r = httpGet(url);
      return r != null && r.statusCode() == 200 && r.body().contains("hello-from-hostport");
    }, () -> "no answer on " + url);
    assertThat(hasRulesFor(natRules(), hostPort, podIp)).as("portmap's DNAT rules while the pod runs").isTrue();

    ok(k.run("delete", "pod", "hp", "--grace-period=1"));
    poll(() -> {
      try {
        return !hasRulesFor(natRules(), hostPort, podIp);
      } catch (IOException | InterruptedException e) {
        throw new AssertionError(e);
      }
    }, () -> {
      try {
        return "rules left after deletion:\n" + natRules().lines().filter(l -> l.contains(String.valueOf(hostPort)) || l.contains(podIp + ":"))
            .reduce("", (a, b) -> a + b + "\n");
      } catch (IOException | InterruptedException e) {
        return e.toString();
      }
    });
    assertThat(httpGet(url)).as("nothing answers on the host port after deletion").isNull();
  }
}
