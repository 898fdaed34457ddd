package io.kava.testing.e2e.node;

import static io.kava.testing.e2e.node.ContainerdNodeFixture.get;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.ok;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.poll;
import static io.kava.testing.e2e.node.ContainerdNodeFixture.yaml;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.Kubectl;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sidecar containers (init containers with {@code restartPolicy: Always}) as upstream runs them since 1.29: the next
 * init container starts once the sidecar has started (its startupProbe passed), the sidecar keeps running beside
 * the main container without holding up Initialized, is restarted when it exits, and is stopped after the main
 * container when the pod is deleted.
 */
@Tag("e2e")
class SidecarE2ETest {
  static ContainerdNodeFixture node;
  @TempDir Path shared;

  @BeforeAll
  static void start() throws Exception { node = ContainerdNodeFixture.start(); }

  @AfterAll
  static void stop() { if (node != null) node.close(); }

  @Test
  void aSidecarStartsBeforeTheNextInitContainerKeepsRunningRestartsAndStopsLast() throws Exception {
    Kubectl k = node.kubectl("1.33");
    // The sidecar is started (its startupProbe passes) only once it wrote /shared/up, 3 s in; "check" fails
    // (and, under restartPolicy Never, fails the pod) unless that file is already there when it runs.
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sc"},
         "spec":{"restartPolicy":"Never","terminationGracePeriodSeconds":10,
          "volumes":[{"name":"shared","hostPath":{"path":"%s"}}],
          "initContainers":[
           {"name":"proxy","image":"%s","restartPolicy":"Always","volumeMounts":[{"name":"shared","mountPath":"/shared"}],
            "command":["sh","-c","trap 'echo proxy-stopped >> /shared/order; exit 0' TERM; sleep 3; touch /shared/up; while true; do sleep 0.2; done"],
            "startupProbe":{"exec":{"command":["test","-f","/shared/up"]},"periodSeconds":1,"failureThreshold":30}},
           {"name":"check","image":"%s","volumeMounts":[{"name":"shared","mountPath":"/shared"}],
            "command":["sh","-c","test -f /shared/up && echo proxy-was-up > /shared/check"]}],
          "containers":[
           {"name":"app","image":"%s","volumeMounts":[{"name":"shared","mountPath":"/shared"}],
            "command":["sh","-c","trap 'sleep 2; echo app-stopped >> /shared/order; exit 0' TERM; while true; do sleep 0.2; done"]}]}}"""
        .formatted(shared, node.image, node.image, node.image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "sc", "{.status.phase}").equals("Running")
        && get(k, "sc", "{.status.containerStatuses[0].state.running.startedAt}").length() > 0, yaml(k, "sc"));
    assertThat(Files.readString(shared.resolve("check")).trim()).isEqualTo("proxy-was-up");
    assertThat(get(k, "sc", "{.status.conditions[?(@.type==\"Initialized\")].status}")).isEqualTo("True");
    poll(() -> get(k, "sc", "{.status.conditions[?(@.type==\"Ready\")].status}").equals("True"), yaml(k, "sc"));
    assertThat(get(k, "sc", "{.status.initContainerStatuses[0].state.running.startedAt}")).isNotEmpty();
    assertThat(get(k, "sc", "{.status.initContainerStatuses[0].started}")).isEqualTo("true");
    assertThat(get(k, "sc", "{.status.initContainerStatuses[0].ready}")).isEqualTo("true");
    assertThat(get(k, "sc", "{.status.initContainerStatuses[1].state.terminated.reason}")).isEqualTo("Completed");
    // kubectl 1.29+ counts a running sidecar in READY.
    assertThat(ok(k.run("get", "pod", "sc")).out()).containsPattern("sc\\s+2/2\\s+Running");

    // The sidecar exits: it is restarted although the pod's restartPolicy is Never.
    ok(k.run("exec", "sc", "-c", "proxy", "--", "kill", "1"));
    poll(() -> get(k, "sc", "{.status.initContainerStatuses[0].restartCount}").equals("1")
        && get(k, "sc", "{.status.initContainerStatuses[0].state.running.startedAt}").length() > 0, yaml(k, "sc"));
    assertThat(get(k, "sc", "{.status.phase}")).isEqualTo("Running");
    Files.deleteIfExists(shared.resolve("order"));

    // Deletion: the main container first (it takes 2 s after SIGTERM), then the sidecar.
    ok(k.run("delete", "pod", "sc"));
    assertThat(Files.readAllLines(shared.resolve("order"))).containsExactly("app-stopped", "proxy-stopped");
  }

  @Test
  void aPodWhoseMainContainerCompletesSucceedsAndItsSidecarIsStopped() {
    Kubectl k = node.kubectl("1.33");
    String pod = """
        {"apiVersion":"v1","kind":"Pod","metadata":{"name":"sc-job"},
         "spec":{"restartPolicy":"Never",
          "initContainers":[{"name":"logger","image":"%s","restartPolicy":"Always","command":["sh","-c","while true; do sleep 0.2; done"]}],
          "containers":[{"name":"work","image":"%s","command":["sh","-c","sleep 2; echo done"]}]}}""".formatted(node.image, node.image);
    ok(k.runWithInput(pod, "create", "-f", "-"));
    poll(() -> get(k, "sc-job", "{.status.phase}").equals("Succeeded"), yaml(k, "sc-job"));
    poll(() -> !get(k, "sc-job", "{.status.initContainerStatuses[0].state.terminated}").isEmpty(), yaml(k, "sc-job"));
    assertThat(get(k, "sc-job", "{.status.containerStatuses[0].state.terminated.reason}")).isEqualTo("Completed");
  }
}
