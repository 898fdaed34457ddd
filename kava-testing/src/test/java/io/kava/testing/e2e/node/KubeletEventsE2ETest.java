package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The node agent's Events, as the kubelet records them, read back through {@code kubectl describe} and
 * {@code kubectl get events} (kubectl 1.33 and 1.27) on a containerd node.
 */
@Tag("e2e")
class KubeletEventsE2ETest {
  static ContainerdNodeFixture node;

  @BeforeAll
  static void start() throws Exception { node = ContainerdNodeFixture.start(); }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  /** An event line of `kubectl describe`: TYPE REASON AGE FROM MESSAGE; AGE may read "1s (x2 over 3s)". */
  static Pattern event(String type, String reason, String from, String message) {
    return Pattern.compile("(?m)^\\s+" + type + "\\s+" + reason + "\\s+\\S+(?: \\(x\\d+ over \\S+\\))?\\s+" + Pattern.quote(from) + "\\s+" + message);
  }

  @Test
  void describePodShowsScheduledPulledCreatedStartedAndKilling() {
    Kubectl k = node.kubectl("1.33");
    ok(k.run("run", "ev-web", "--image=" + node.image, "--image-pull-policy=Always", "--", "httpd", "-f", "-p", "8080"));
    poll(() -> get(k, "ev-web", "{.status.phase}").equals("Running"), yaml(k, "ev-web"));
    poll(() -> k.run("describe", "pod", "ev-web").out().contains("Started container ev-web"), () -> k.run("describe", "pod", "ev-web").out());
    String describe = ok(k.run("describe", "pod", "ev-web")).out();
    assertThat(describe).containsPattern(event("Normal", "Scheduled", "default-scheduler", "Successfully assigned default/ev-web to " + KavaCluster.NODE_NAME));
    assertThat(describe).containsPattern(event("Normal", "Pulling", "kubelet", Pattern.quote("Pulling image \"" + node.image + "\"")));
    assertThat(describe).containsPattern(event("Normal", "Pulled", "kubelet",
        Pattern.quote("Successfully pulled image \"" + node.image + "\" in ") + "\\S+ \\(\\S+ including waiting\\)\\. Image size: [1-9][0-9]* bytes\\."));
    assertThat(describe).containsPattern(event("Normal", "Created", "kubelet", "Created container: ev-web"));
    assertThat(describe).containsPattern(event("Normal", "Started", "kubelet", "Started container ev-web"));

    // The same events through `kubectl get events`, with the container's fieldPath and the node as source host.
    String fields = ok(k.run("get", "events", "--field-selector", "involvedObject.name=ev-web,reason=Started",
        "-o", "jsonpath={.items[0].involvedObject.fieldPath}|{.items[0].source.component}|{.items[0].source.host}")).out();
    assertThat(fields).isEqualTo("spec.containers{ev-web}|kubelet|" + KavaCluster.NODE_NAME);

    ok(k.run("delete", "pod", "ev-web", "--grace-period=1"));
    poll(() -> k.run("get", "events", "--field-selector", "involvedObject.name=ev-web,reason=Killing").out().contains("Stopping container ev-web"),
        () -> k.run("get", "events", "--field-selector", "involvedObject.name=ev-web").out());
  }

  @Test
  void anImageAlreadyPresentIsSaidSoAndAnOlderKubectlShowsTheEventsToo() {
    Kubectl k = node.kubectl("1.33");
    ok(k.run("run", "ev-first", "--image=" + node.image, "--", "sleep", "3600"));
    poll(() -> get(k, "ev-first", "{.status.phase}").equals("Running"), yaml(k, "ev-first"));
    ok(k.run("run", "ev-present", "--image=" + node.image, "--", "sleep", "3600"));
    poll(() -> get(k, "ev-present", "{.status.phase}").equals("Running"), yaml(k, "ev-present"));
    Kubectl old = node.kubectl("1.27");
    poll(() -> old.run("describe", "pod", "ev-present").out().contains("Started container ev-present"), () -> old.run("describe", "pod", "ev-present").out());
    String describe = ok(old.run("describe", "pod", "ev-present")).out();
    assertThat(describe).containsPattern(event("Normal", "Pulled", "kubelet",
        Pattern.quote("Container image \"" + node.image + "\" already present on machine")));
    assertThat(describe).containsPattern(event("Normal", "Created", "kubelet", "Created container: ev-present"));
  }

  @Test
  void aFailingPullShowsFailedAndBackOff() {
    Kubectl k = node.kubectl("1.33");
    String missing = node.registry.host() + "/nothing-here:1";
    ok(k.run("run", "ev-bad", "--image=" + missing));
    poll(() -> k.run("describe", "pod", "ev-bad").out().contains("Back-off pulling image"), () -> k.run("describe", "pod", "ev-bad").out());
    String describe = ok(k.run("describe", "pod", "ev-bad")).out();
    assertThat(describe).containsPattern(event("Normal", "Pulling", "kubelet", Pattern.quote("Pulling image \"" + missing + "\"")));
    assertThat(describe).containsPattern(event("Warning", "Failed", "kubelet", Pattern.quote("Failed to pull image \"" + missing + "\": ") + ".*not found"));
    assertThat(describe).containsPattern(event("Warning", "Failed", "kubelet", "Error: ErrImagePull"));
    assertThat(describe).containsPattern(event("Normal", "BackOff", "kubelet", Pattern.quote("Back-off pulling image \"" + missing + "\"")));
    poll(() -> k.run("describe", "pod", "ev-bad").out().contains("Error: ImagePullBackOff"), () -> k.run("describe", "pod", "ev-bad").out());
  }

  @Test
  void aCrashingContainerShowsBackOffRestarting() {
    Kubectl k = node.kubectl("1.33");
    ok(k.run("run", "ev-crash", "--image=" + node.image, "--", "sh", "-c", "exit 1"));
    poll(() -> k.run("describe", "pod", "ev-crash").out().contains("Back-off restarting failed container ev-crash in pod ev-crash_default("),
        () -> k.run("describe", "pod", "ev-crash").out());
    assertThat(ok(k.run("describe", "pod", "ev-crash")).out()).containsPattern(event("Warning", "BackOff", "kubelet",
        Pattern.quote("Back-off restarting failed container ev-crash in pod ev-crash_default(")));
  }

  @Test
  void probeFailuresAreUnhealthyAndALivenessFailureKillsTheContainer() {
    Kubectl k = node.kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"ev-probed"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"app","image":"%s","command":["sleep","3600"],
           "readinessProbe":{"exec":{"command":["test","-f","/tmp/ready"]},"periodSeconds":1},
           "livenessProbe":{"exec":{"command":["sh","-c","echo sick; exit 1"]},"periodSeconds":2,"failureThreshold":2}}]}}""".formatted(node.image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> k.run("describe", "pod", "ev-probed").out().contains("failed liveness probe, will be restarted"),
        () -> k.run("describe", "pod", "ev-probed").out());
    String describe = ok(k.run("describe", "pod", "ev-probed")).out();
    assertThat(describe).containsPattern(event("Warning", "Unhealthy", "kubelet", "Liveness probe failed: sick"));
    assertThat(describe).containsPattern(event("Warning", "Unhealthy", "kubelet", "Readiness probe failed: "));
    assertThat(describe).containsPattern(event("Normal", "Killing", "kubelet", "Container app failed liveness probe, will be restarted"));
  }

  @Test
  void aGrpcLivenessProbeOnAPortNothingListensOnTimesOutAndRestartsTheContainer() {
    Kubectl k = node.kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"ev-grpc"},
         "spec":{"terminationGracePeriodSeconds":1,"containers":[{"name":"app","image":"%s","command":["sleep","3600"],
           "livenessProbe":{"grpc":{"port":9000},"periodSeconds":2,"failureThreshold":2}}]}}""".formatted(node.image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> k.run("describe", "pod", "ev-grpc").out().contains("failed liveness probe, will be restarted"),
        () -> k.run("describe", "pod", "ev-grpc").out());
    String ip = ok(k.run("get", "pod", "ev-grpc", "-o", "jsonpath={.status.podIP}")).out().strip();
    assertThat(ip).isNotEmpty();
    String describe = ok(k.run("describe", "pod", "ev-grpc")).out();
    // The kubelet's words: its blocking gRPC dial retries a refused connection until the probe's 1 s timeout.
    assertThat(describe).containsPattern(event("Warning", "Unhealthy", "kubelet",
        Pattern.quote("Liveness probe failed: timeout: failed to connect service \"" + ip + ":9000\" within 1s: context deadline exceeded")));
    assertThat(describe).containsPattern(event("Normal", "Killing", "kubelet", "Container app failed liveness probe, will be restarted"));
  }

  @Test
  void aMissingConfigMapVolumeIsFailedMount() {
    Kubectl k = node.kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"ev-mount"},
         "spec":{"containers":[{"name":"app","image":"%s","command":["sleep","3600"],"volumeMounts":[{"name":"cfg","mountPath":"/cfg"}]}],
          "volumes":[{"name":"cfg","configMap":{"name":"not-there"}}]}}""".formatted(node.image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> k.run("describe", "pod", "ev-mount").out().contains("FailedMount"), () -> k.run("describe", "pod", "ev-mount").out());
    assertThat(ok(k.run("describe", "pod", "ev-mount")).out()).containsPattern(event("Warning", "FailedMount", "kubelet",
        Pattern.quote("MountVolume.SetUp failed for volume \"cfg\" : configmap \"not-there\" not found")));
  }

  @Test
  void describeNodeShowsTheKubeletStartingAndTheNodeReady() {
    Kubectl k = node.kubectl("1.33");
    poll(() -> k.run("describe", "node", KavaCluster.NODE_NAME).out().contains("NodeReady"), () -> k.run("describe", "node", KavaCluster.NODE_NAME).out());
    String describe = ok(k.run("describe", "node", KavaCluster.NODE_NAME)).out();
    assertThat(describe).containsPattern(event("Normal", "Starting", "kubelet", "Starting kubelet\\."));
    assertThat(describe).containsPattern(event("Normal", "NodeHasSufficientMemory", "kubelet",
        "Node " + KavaCluster.NODE_NAME + " status is now: NodeHasSufficientMemory"));
    assertThat(describe).containsPattern(event("Normal", "NodeReady", "kubelet", "Node " + KavaCluster.NODE_NAME + " status is now: NodeReady"));
  }
}
