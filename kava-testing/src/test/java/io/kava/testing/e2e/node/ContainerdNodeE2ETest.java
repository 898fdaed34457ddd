package io.kava.testing.e2e.node;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.kava.node.containerd.Prerequisites;
import io.kava.node.containerd.ContainerdConfig;
import io.kava.node.image.BusyboxImages;
import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Kubectl.Result;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Pods as real containers: a kava cluster with a containerd node, a local registry holding a busybox image built
 * from the host's busybox-static, and the real kubectl. Needs root, containerd, runc, the CNI plugins,
 * docker-registry, skopeo and busybox-static; skips, saying what is missing, without them.
 */
@Tag("e2e")
class ContainerdNodeE2ETest {
  static final Duration DEADLINE = Duration.ofSeconds(120);
  static KavaCluster cluster;
  static LocalRegistry registry;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    List<String> missing = new ArrayList<>(Prerequisites.problems(Prerequisites.isRoot(), ContainerdConfig.DEFAULT_CNI_BIN_DIR));
    missing.addAll(LocalRegistry.missing());
    assumeTrue(missing.isEmpty(), "skipping the containerd node suite: " + String.join("; ", missing));
    registry = LocalRegistry.start();
    image = registry.host() + "/busybox:1";
    registry.push(BusyboxImages.busybox(BusyboxImages.findBusybox(), image));
    cluster = KavaCluster.startWithContainerdNode();
    Kubectl k = kubectl("1.33");
    poll(() -> k.run("get", "node", KavaCluster.NODE_NAME, "-o", "jsonpath={.status.conditions[?(@.type==\"Ready\")].status}").out().equals("True"),
        () -> k.run("get", "nodes", "-o", "yaml").toString());
    poll(() -> k.run("get", "serviceaccount", "default", "-n", "default").ok(), () -> "no default service account");
  }

  @AfterAll
  static void stop() {
    if (cluster != null) cluster.close();
    if (registry != null) registry.close();
  }

  static Kubectl kubectl(String v) {
    Kubectl k = cluster.kubectl(v);
    assumeTrue(k.available(), "kubectl " + v + " is not installed at " + k.binary() + "; skipping");
    return k;
  }

  static Result ok(Result r) {
    assertThat(r.exitCode()).as(r.toString()).isZero();
    return r;
  }

  static void poll(BooleanSupplier done, Supplier<String> what) {
    long end = System.nanoTime() + DEADLINE.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() - end > 0) throw new AssertionError("gave up after " + DEADLINE.toSeconds() + " s: " + what.get());
      try {
        Thread.sleep(250);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted", e);
      }
    }
  }

  static String get(Kubectl k, String pod, String jsonpath) { return k.run("get", "pod", pod, "-o", "jsonpath=" + jsonpath).out(); }

  static Supplier<String> describe(Kubectl k, String pod) { return () -> k.run("get", "pod", pod, "-o", "yaml").out(); }

  @Test
  void kubectlRunStartsAWebServerWithAPodIpAndWatchShowsTheTransitions() throws Exception {
    Kubectl k = kubectl("1.33");
    Process watch = new ProcessBuilder(k.binary().toString(), "get", "pods", "-w", "--kubeconfig", cluster.kubeconfig().toString())
        .redirectErrorStream(true).start();
    ok(k.run("run", "web", "--image=" + image, "--", "httpd", "-f", "-p", "8080"));
    poll(() -> get(k, "web", "{.status.phase}").equals("Running") && !get(k, "web", "{.status.podIP}").isEmpty(), describe(k, "web"));
    String ip = get(k, "web", "{.status.podIP}");
    assertThat(ip).startsWith("10.245.");
    assertThat(get(k, "web", "{.status.hostIP}")).isEqualTo("127.0.0.1");
    assertThat(get(k, "web", "{.status.containerStatuses[0].containerID}")).startsWith("containerd://");
    assertThat(get(k, "web", "{.status.containerStatuses[0].ready}")).isEqualTo("true");
    assertThat(get(k, "web", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
    // The container really listens: busybox httpd answers (404: it has no index page).
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    HttpResponse<String> r = null;
    for (int i = 0; i < 40 && r == null; i++) {
      try {
        r = http.send(HttpRequest.newBuilder(URI.create("http://" + ip + ":8080/")).timeout(Duration.ofSeconds(5)).build(),
            HttpResponse.BodyHandlers.ofString());
      } catch (java.io.IOException e) {
        Thread.sleep(250);
      }
    }
    assertThat(r).as("HTTP answer from the pod").isNotNull();
    assertThat(r.statusCode()).isIn(200, 404);
    watch.destroy();
    watch.waitFor(10, TimeUnit.SECONDS);
    String watched = new String(watch.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(watched).contains("web").containsPattern("web\\s+0/1\\s+(Pending|ContainerCreating)").containsPattern("web\\s+1/1\\s+Running");
  }

  @Test
  void aDeploymentGetsRunningPods() {
    Kubectl k = kubectl("1.33");
    ok(k.run("create", "deployment", "dep", "--image=" + image, "--replicas=2", "--", "httpd", "-f", "-p", "8080"));
    poll(() -> k.run("get", "pods", "-l", "app=dep", "-o", "jsonpath={.items[*].status.phase}").out().equals("Running Running"),
        () -> k.run("get", "pods", "-l", "app=dep", "-o", "wide").out());
    poll(() -> k.run("get", "deployment", "dep", "-o", "jsonpath={.status.readyReplicas}").out().equals("2"),
        () -> k.run("get", "deployment", "dep", "-o", "yaml").out());
  }

  @Test
  void aPodThatExitsZeroWithRestartNeverCompletes() {
    Kubectl k = kubectl("1.33");
    ok(k.run("run", "once", "--image=" + image, "--restart=Never", "--", "sh", "-c", "echo done"));
    poll(() -> get(k, "once", "{.status.phase}").equals("Succeeded"), describe(k, "once"));
    assertThat(get(k, "once", "{.status.containerStatuses[0].state.terminated.reason}")).isEqualTo("Completed");
    assertThat(get(k, "once", "{.status.containerStatuses[0].state.terminated.exitCode}")).isEqualTo("0");
    assertThat(ok(k.run("get", "pod", "once")).out()).contains("Completed");
  }

  @Test
  void aContainerThatKeepsFailingGoesIntoCrashLoopBackOff() {
    Kubectl k = kubectl("1.33");
    ok(k.run("run", "crash", "--image=" + image, "--", "sh", "-c", "echo failing; exit 1"));
    poll(() -> get(k, "crash", "{.status.containerStatuses[0].state.waiting.reason}").equals("CrashLoopBackOff"), describe(k, "crash"));
    assertThat(Integer.parseInt(get(k, "crash", "{.status.containerStatuses[0].restartCount}"))).isGreaterThanOrEqualTo(1);
    assertThat(get(k, "crash", "{.status.containerStatuses[0].lastState.terminated.exitCode}")).isEqualTo("1");
    assertThat(get(k, "crash", "{.status.containerStatuses[0].lastState.terminated.reason}")).isEqualTo("Error");
    assertThat(ok(k.run("get", "pod", "crash")).out()).contains("CrashLoopBackOff");
  }

  @Test
  void anImageThatDoesNotExistGivesErrImagePullThenImagePullBackOff() {
    Kubectl k = kubectl("1.33");
    ok(k.run("run", "badimage", "--image=" + registry.host() + "/nothing-here:1"));
    List<String> seen = new ArrayList<>();
    poll(() -> {
      String reason = get(k, "badimage", "{.status.containerStatuses[0].state.waiting.reason}");
      if (!reason.isEmpty() && !seen.contains(reason)) seen.add(reason);
      return seen.contains("ImagePullBackOff");
    }, () -> seen + "\n" + describe(k, "badimage").get());
    assertThat(get(k, "badimage", "{.status.phase}")).isEqualTo("Pending");
    poll(() -> get(k, "badimage", "{.status.containerStatuses[0].state.waiting.reason}").equals("ErrImagePull"), describe(k, "badimage"));
    assertThat(get(k, "badimage", "{.status.containerStatuses[0].state.waiting.message}")).contains("nothing-here").contains("not found");
  }

  @Test
  void deletionStopsTheContainerWithinItsGracePeriod() {
    Kubectl k = kubectl("1.33");
    // Exits on SIGTERM: deletion is quick although the grace period is long.
    ok(k.run("run", "polite", "--image=" + image, "--", "sh", "-c", "trap 'exit 0' TERM; while true; do sleep 1; done"));
    // Ignores SIGTERM (busybox sh as PID 1 without a trap): killed when its 3 s are up.
    ok(k.run("run", "stubborn", "--image=" + image, "--", "sleep", "3600"));
    poll(() -> get(k, "polite", "{.status.phase}").equals("Running") && get(k, "stubborn", "{.status.phase}").equals("Running"),
        () -> k.run("get", "pods").out());
    long t0 = System.nanoTime();
    ok(k.run("delete", "pod", "polite", "--grace-period=60"));
    long politeMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(politeMs).as("a container that exits on SIGTERM is not held for its grace period").isLessThan(40_000);
    t0 = System.nanoTime();
    ok(k.run("delete", "pod", "stubborn", "--grace-period=3"));
    long stubbornMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);
    assertThat(stubbornMs).as("SIGKILL after the grace period").isGreaterThanOrEqualTo(2_000);
    assertThat(k.run("get", "pod", "polite").err()).contains("not found");
    assertThat(k.run("get", "pod", "stubborn").err()).contains("not found");
  }

  @Test
  void aContainerOverItsMemoryLimitIsOomKilled() {
    Kubectl k = kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"hog"},
         "spec":{"restartPolicy":"Never","containers":[{"name":"hog","image":"%s",
           "command":["sh","-c","head -c 100m /dev/zero | tail"],
           "resources":{"limits":{"memory":"20Mi"}}}]}}""".formatted(image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "hog", "{.status.phase}").equals("Failed"), describe(k, "hog"));
    assertThat(get(k, "hog", "{.status.containerStatuses[0].state.terminated.reason}")).isEqualTo("OOMKilled");
    assertThat(get(k, "hog", "{.status.containerStatuses[0].state.terminated.exitCode}")).isEqualTo("137");
  }

  @Test
  void anOlderKubectlRunsAPodToo() {
    Kubectl k = kubectl("1.27");
    ok(k.run("run", "old-client", "--image=" + image, "--", "httpd", "-f", "-p", "8080"));
    poll(() -> get(k, "old-client", "{.status.phase}").equals("Running"), describe(k, "old-client"));
    assertThat(ok(k.run("get", "pod", "old-client")).out()).containsPattern("old-client\\s+1/1\\s+Running");
  }
}
