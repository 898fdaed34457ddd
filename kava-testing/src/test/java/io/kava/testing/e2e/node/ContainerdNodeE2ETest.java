package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.E2E.ok;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.Poll;
import io.kava.testing.e2e.E2E;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
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
  static ContainerdNodeFixture node;
  static KavaCluster cluster;
  static LocalRegistry registry;
  static String image;

  @BeforeAll
  static void start() throws Exception {
    node = ContainerdNodeFixture.start();
    cluster = node.cluster;
    registry = node.registry;
    image = node.image;
  }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  static Kubectl kubectl(String v) { return E2E.kubectl(cluster, v); }

  static void poll(BooleanSupplier done, Supplier<String> what) { ContainerdNodeFixture.poll(done, what); }

  static String get(Kubectl k, String pod, String jsonpath) { return k.run("get", "pod", pod, "-o", "jsonpath=" + jsonpath).out(); }

  static Supplier<String> describe(Kubectl k, String pod) { return () -> k.run("get", "pod", pod, "-o", "yaml").out(); }

  @Test
  void kubectlRunStartsAWebServerWithAPodIpAndWatchShowsTheTransitions() throws Exception {
    Kubectl k = kubectl("1.33");
    java.nio.file.Path watchOut = java.nio.file.Files.createTempFile("kava-watch-", ".txt");
    Process watch = new ProcessBuilder(k.binary().toString(), "get", "pods", "-w", "--kubeconfig", cluster.kubeconfig().toString())
        .redirectErrorStream(true).redirectOutput(watchOut.toFile()).start();
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
    // egress is masqueraded by one rule for the node's pod CIDR, not by a chain per pod (the bridge plugin's ipMasq)
    Process nat = new ProcessBuilder("iptables", "-w", "-t", "nat", "-S", "POSTROUTING").redirectErrorStream(true).start();
    String rules = new String(nat.getInputStream().readAllBytes());
    nat.waitFor(30, TimeUnit.SECONDS);
    assertThat(rules).doesNotContain("-s " + ip + "/32").containsPattern("-s 10\\.245\\.[0-9.]+/24 ! -d 10\\.245\\.[0-9.]+/24 .*kava pod network.* -j MASQUERADE");
    watch.destroy();
    watch.waitFor(10, TimeUnit.SECONDS);
    String watched = java.nio.file.Files.readString(watchOut);
    java.nio.file.Files.deleteIfExists(watchOut);
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
  void aJobsPodRunsToCompletion() {
    Kubectl k = kubectl("1.33");
    ok(k.run("create", "job", "once-job", "--image=" + image, "--", "sh", "-c", "echo job done"));
    poll(() -> k.run("get", "job", "once-job", "-o", "jsonpath={.status.succeeded}").out().equals("1"),
        () -> k.run("get", "job,pods", "-o", "wide").out());
    assertThat(k.run("get", "pods", "-l", "job-name=once-job", "-o", "jsonpath={.items[0].status.phase}").out()).isEqualTo("Succeeded");
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
    // ErrImagePull after each failed pull, ImagePullBackOff while the back-off lasts (10 s, then 20 s, …).
    List<String> seen = new ArrayList<>();
    List<String> pullErrors = new ArrayList<>();
    poll(() -> {
      String waiting = get(k, "badimage", "{.status.containerStatuses[0].state.waiting.reason}|{.status.containerStatuses[0].state.waiting.message}");
      String reason = waiting.substring(0, waiting.indexOf('|'));
      if (reason.equals("ErrImagePull")) pullErrors.add(waiting.substring(waiting.indexOf('|') + 1));
      if (!reason.isEmpty() && !seen.contains(reason)) seen.add(reason);
      return seen.contains("ErrImagePull") && seen.contains("ImagePullBackOff");
    }, () -> seen + "\n" + describe(k, "badimage").get());
    assertThat(get(k, "badimage", "{.status.phase}")).isEqualTo("Pending");
    assertThat(pullErrors.get(0)).contains("nothing-here").contains("not found");
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

  @Test
  void environmentAndVolumesComeFromAConfigMapAndTheTerminationMessageIsReported() {
    Kubectl k = kubectl("1.33");
    ok(k.run("create", "configmap", "greetings", "--from-literal=greeting=hello"));
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"reader"},
         "spec":{"restartPolicy":"Never","containers":[{"name":"reader","image":"%s",
           "command":["sh","-c","echo \\"$(GREETING) $GREETING $(cat /etc/cfg/greeting)\\" > /dev/termination-log"],
           "env":[{"name":"GREETING","valueFrom":{"configMapKeyRef":{"name":"greetings","key":"greeting"}}}],
           "volumeMounts":[{"name":"cfg","mountPath":"/etc/cfg"}]}],
          "volumes":[{"name":"cfg","configMap":{"name":"greetings"}}]}}""".formatted(image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "reader", "{.status.phase}").equals("Succeeded"), describe(k, "reader"));
    assertThat(get(k, "reader", "{.status.containerStatuses[0].state.terminated.message}").trim()).isEqualTo("hello hello hello");
  }

  /**
   * Service links as upstream: a container sees {@code NAME_SERVICE_HOST/PORT} of every Service of its namespace that
   * existed when it started, and always the {@code kubernetes} Service's; {@code enableServiceLinks: false} keeps only
   * the latter. The node reads Services from its watch of them, not with a LIST per container.
   */
  @Test
  void containersSeeTheServicesOfTheirNamespaceAsEnvironmentVariables() {
    Kubectl k = kubectl("1.33");
    ok(k.run("create", "service", "clusterip", "backend", "--tcp=8080:80"));
    String ip = ok(k.run("get", "service", "backend", "-o", "jsonpath={.spec.clusterIP}")).out().trim();
    String master = ok(k.run("get", "service", "kubernetes", "-n", "default", "-o", "jsonpath={.spec.clusterIP}")).out().trim();
    String script = "echo \\\"[$BACKEND_SERVICE_HOST:$BACKEND_SERVICE_PORT] [$KUBERNETES_SERVICE_HOST:$KUBERNETES_SERVICE_PORT]\\\" > /dev/termination-log";
    for (String links : List.of("true", "false")) {
      String pod = """
          {"apiVersion":"v1","kind":"Pod","metadata":{"name":"links-%s"},
           "spec":{"restartPolicy":"Never","enableServiceLinks":%s,"containers":[{"name":"env","image":"%s",
             "command":["sh","-c","%s"]}]}}""".formatted(links, links, image, script);
      ok(k.runWithInput(pod, "create", "-f", "-"));
    }
    for (String links : List.of("true", "false")) {
      poll(() -> get(k, "links-" + links, "{.status.phase}").equals("Succeeded"), describe(k, "links-" + links));
    }
    assertThat(get(k, "links-true", "{.status.containerStatuses[0].state.terminated.message}").trim())
        .isEqualTo("[" + ip + ":8080] [" + master + ":443]");
    assertThat(get(k, "links-false", "{.status.containerStatuses[0].state.terminated.message}").trim())
        .isEqualTo("[:] [" + master + ":443]");
  }

  /**
   * The node watches the ConfigMaps and Secrets its pods refer to: an edit reaches a running pod's volume files
   * within the minute the issue allows (the kubelet's Watch strategy; kava refreshes the pod as the watch event arrives),
   * and a pod starting later reads the new values without the node asking the API server again.
   */
  @Test
  void configMapAndSecretEditsReachARunningPodsVolumes() {
    Kubectl k = kubectl("1.33");
    ok(k.run("create", "configmap", "live-cfg", "--from-literal=color=red"));
    ok(k.run("create", "secret", "generic", "live-sec", "--from-literal=token=one"));
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"live"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"app","image":"%s","command":["sleep","3600"],
           "volumeMounts":[{"name":"cfg","mountPath":"/etc/cfg"},{"name":"sec","mountPath":"/etc/sec"}]}],
          "volumes":[{"name":"cfg","configMap":{"name":"live-cfg"}},{"name":"sec","secret":{"secretName":"live-sec"}}]}}""".formatted(image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "live", "{.status.phase}").equals("Running"), describe(k, "live"));
    assertThat(ok(k.run("exec", "live", "--", "cat", "/etc/cfg/color", "/etc/sec/token")).out()).isEqualTo("redone");

    ok(k.run("patch", "configmap", "live-cfg", "-p", "{\"data\":{\"color\":\"blue\"}}"));
    ok(k.run("patch", "secret", "live-sec", "-p", "{\"data\":{\"token\":\"dHdv\"}}"));
    Poll.until(Duration.ofSeconds(60), () -> k.run("exec", "live", "--", "cat", "/etc/cfg/color", "/etc/sec/token").out().equals("bluetwo"),
        () -> "after a minute the pod reads " + k.run("exec", "live", "--", "cat", "/etc/cfg/color", "/etc/sec/token"));
    ok(k.run("delete", "pod", "live", "--wait=true"));
  }

  @Test
  void readinessProbesDriveReadyAndLivenessFailuresRestartTheContainer() {
    Kubectl k = kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"probed"},
         "spec":{"containers":[{"name":"app","image":"%s",
           "command":["sh","-c","touch /tmp/alive; sleep 10; touch /tmp/ready; sleep 5; rm /tmp/alive; sleep 3600"],
           "readinessProbe":{"exec":{"command":["test","-f","/tmp/ready"]},"periodSeconds":1},
           "livenessProbe":{"exec":{"command":["test","-f","/tmp/alive"]},"periodSeconds":1,"failureThreshold":2}}],
          "terminationGracePeriodSeconds":1}}""".formatted(image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    // Running but not ready until /tmp/ready exists (10 s), then ready.
    List<String> seen = new ArrayList<>();
    poll(() -> {
      String s = get(k, "probed", "{.status.phase}/{.status.containerStatuses[0].ready}");
      if (!seen.contains(s)) seen.add(s);
      return s.equals("Running/true");
    }, () -> seen + "\n" + describe(k, "probed").get());
    assertThat(seen).contains("Running/false");
    assertThat(get(k, "probed", "{.status.conditions[?(@.type==\"Ready\")].status}")).isEqualTo("True");
    poll(() -> !get(k, "probed", "{.status.containerStatuses[0].restartCount}").equals("0"), describe(k, "probed"));
  }
}
