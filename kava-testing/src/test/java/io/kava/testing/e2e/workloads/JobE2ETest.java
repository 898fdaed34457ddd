package io.kava.testing.e2e.workloads;

import static io.kava.testing.e2e.workloads.Workloads.ok;
import static io.kava.testing.e2e.workloads.Workloads.until;
import static org.assertj.core.api.Assertions.assertThat;

import io.kava.testing.KavaCluster;
import io.kava.testing.Kubectl;
import io.kava.testing.SimulatedNodes;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * The Job controller on simulated nodes, judged by real kubectl: pods of jobs run to Succeeded or Failed on the sim
 * nodes (their commands say how they end), the controller counts them and finishes the jobs.
 */
@Tag("e2e")
class JobE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    k = Workloads.kubectl(cluster, "1.33");
    SimulatedNodes.start(k, Workloads.DEADLINE, 2);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String get(String ns, String what, String path) { return Workloads.jsonpath(k, ns, what, path); }

  static void apply(String ns, String yaml) { ok(k.runWithInput(yaml, "apply", "--validate=false", "-n", ns, "-f", "-")); }

  static void waitFor(String ns, String condition, String job) {
    ok(k.runWithTimeout(null, 100, "wait", "--for=condition=" + condition, "job/" + job, "-n", ns, "--timeout=90s"));
  }

  @Test
  void createJobRunsToCompleteAndGetJobsShowsUpstreamColumns() {
    String ns = "job-basic";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "job", "hello", "--image=busybox", "-n", ns, "--", "echo", "hi"));
    waitFor(ns, "complete", "hello");

    var r = ok(k.run("get", "jobs", "-n", ns));
    List<String> header = Arrays.asList(r.out().lines().findFirst().orElseThrow().trim().split("\\s+"));
    assertThat(header).containsExactly("NAME", "STATUS", "COMPLETIONS", "DURATION", "AGE");
    assertThat(r.out()).containsPattern("hello\\s+Complete\\s+1/1\\s+\\d+s\\s+\\d+s");
    assertThat(get(ns, "job/hello", "{.status.succeeded} {.status.conditions[*].type}")).isEqualTo("1 SuccessCriteriaMet Complete");
    assertThat(get(ns, "job/hello", "{.status.startTime}")).isNotEmpty();
    assertThat(get(ns, "job/hello", "{.status.completionTime}")).isNotEmpty();
    assertThat(get(ns, "job/hello", "{.spec.selector.matchLabels}")).contains("batch.kubernetes.io/controller-uid");

    String uid = get(ns, "job/hello", "{.metadata.uid}");
    String pods = ok(k.run("get", "pods", "-n", ns, "-l", "batch.kubernetes.io/job-name=hello", "-o",
        "jsonpath={range .items[*]}{.metadata.name} {.status.phase} {.metadata.labels.batch\\.kubernetes\\.io/controller-uid} [{.metadata.finalizers}]{\"\\n\"}{end}")).out();
    assertThat(pods.lines()).hasSize(1).allSatisfy(l -> assertThat(l).matches("hello-[a-z0-9]{5} Succeeded " + uid + " \\[\\]"));
    assertThat(ok(k.run("get", "pods", "-n", ns)).out()).containsPattern("hello-\\S+\\s+0/1\\s+Completed");
    assertThat(ok(k.run("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=Job")).out())
        .contains("SuccessfulCreate").contains("Completed");

    // Deleting the job deletes its pods (garbage collector), nothing is held by the tracking finalizer.
    ok(k.run("delete", "job", "hello", "-n", ns));
    until(() -> ok(k.run("get", "pods", "-n", ns, "-o", "name")).out().isBlank(), () -> k.run("get", "pods", "-n", ns, "-o", "yaml").out());
  }

  @Test
  void completionsAndParallelismRunPodsInWaves() {
    String ns = "job-parallel";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: waves}
        spec:
          completions: 5
          parallelism: 2
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: [sh, -c, "sleep 1"]}]
        """);
    waitFor(ns, "complete", "waves");
    assertThat(get(ns, "job/waves", "{.status.succeeded}")).isEqualTo("5");
    assertThat(ok(k.run("get", "job", "waves", "-n", ns, "--no-headers")).out()).containsPattern("waves\\s+Complete\\s+5/5");
    assertThat(ok(k.run("get", "pods", "-n", ns, "-o", "name")).out().lines()).hasSize(5);
  }

  @Test
  void failingPodsBeyondTheBackoffLimitFailTheJob() {
    String ns = "job-fail";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: bad}
        spec:
          backoffLimit: 1
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: ["false"]}]
        """);
    waitFor(ns, "failed", "bad");
    assertThat(get(ns, "job/bad", "{.status.failed}")).isEqualTo("2");
    assertThat(get(ns, "job/bad", "{.status.conditions[?(@.type==\"Failed\")].reason}")).isEqualTo("BackoffLimitExceeded");
    assertThat(get(ns, "job/bad", "{.status.conditions[?(@.type==\"FailureTarget\")].message}")).isEqualTo("Job has reached the specified backoff limit");
    assertThat(ok(k.run("get", "job", "bad", "-n", ns, "--no-headers")).out()).containsPattern("bad\\s+Failed\\s+0/1");
  }

  @Test
  void podFailurePolicyFailsTheJobOnAMatchingExitCode() {
    String ns = "job-pfp";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: strict}
        spec:
          backoffLimit: 6
          podFailurePolicy:
            rules:
            - action: FailJob
              onExitCodes: {containerName: main, operator: In, values: [42]}
          template:
            spec:
              restartPolicy: Never
              containers: [{name: main, image: busybox, command: [sh, -c, "exit 42"]}]
        """);
    waitFor(ns, "failed", "strict");
    assertThat(get(ns, "job/strict", "{.status.conditions[?(@.type==\"Failed\")].reason}")).isEqualTo("PodFailurePolicy");
    assertThat(get(ns, "job/strict", "{.status.conditions[?(@.type==\"Failed\")].message}"))
        .matches("Container main for pod job-pfp/strict-[a-z0-9]{5} failed with exit code 42 matching FailJob rule at index 0");
    assertThat(get(ns, "job/strict", "{.status.failed}")).isEqualTo("1");
  }

  @Test
  void activeDeadlineSecondsStopsARunningJob() {
    String ns = "job-deadline";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: slow}
        spec:
          activeDeadlineSeconds: 3
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: [sleep, "3600"]}]
        """);
    waitFor(ns, "failed", "slow");
    assertThat(get(ns, "job/slow", "{.status.conditions[?(@.type==\"Failed\")].reason}")).isEqualTo("DeadlineExceeded");
    until(() -> ok(k.run("get", "pods", "-n", ns, "-o", "name")).out().isBlank(), () -> k.run("get", "pods", "-n", ns).out());
  }

  @Test
  void indexedJobsGiveEachPodItsIndex() {
    String ns = "job-indexed";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: idx}
        spec:
          completions: 3
          parallelism: 3
          completionMode: Indexed
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: [sh, -c, "sleep 2"]}]
        """);
    waitFor(ns, "complete", "idx");
    assertThat(get(ns, "job/idx", "{.status.completedIndexes}")).isEqualTo("0-2");
    String pods = ok(k.run("get", "pods", "-n", ns, "-o",
        "jsonpath={range .items[*]}{.metadata.annotations.batch\\.kubernetes\\.io/job-completion-index}={.metadata.labels.batch\\.kubernetes\\.io/job-completion-index}={.spec.hostname}={.metadata.name}{\"\\n\"}{end}")).out();
    assertThat(pods.lines().sorted().toList()).hasSize(3).satisfies(l -> {
      for (int i = 0; i < 3; i++) assertThat(l.get(i)).matches(i + "=" + i + "=idx-" + i + "=idx-" + i + "-[a-z0-9]{5}");
    });
  }

  @Test
  void suspendedJobsWaitUntilResumed() {
    String ns = "job-suspend";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: later}
        spec:
          suspend: true
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: [echo, done]}]
        """);
    until(() -> "True".equals(get(ns, "job/later", "{.status.conditions[?(@.type==\"Suspended\")].status}")),
        () -> k.run("get", "job", "later", "-n", ns, "-o", "yaml").out());
    assertThat(get(ns, "job/later", "{.status.conditions[?(@.type==\"Suspended\")].reason}")).isEqualTo("JobSuspended");
    assertThat(ok(k.run("get", "job", "later", "-n", ns, "--no-headers")).out()).containsPattern("later\\s+Suspended\\s+0/1");
    assertThat(ok(k.run("get", "pods", "-n", ns, "-o", "name")).out()).isBlank();
    assertThat(get(ns, "job/later", "{.status.startTime}")).isEmpty();

    ok(k.run("patch", "job", "later", "-n", ns, "-p", "{\"spec\":{\"suspend\":false}}"));
    waitFor(ns, "complete", "later");
    assertThat(get(ns, "job/later", "{.status.conditions[?(@.type==\"Suspended\")].reason}")).isEqualTo("JobResumed");
    assertThat(get(ns, "job/later", "{.status.startTime}")).isNotEmpty();
  }

  @Test
  void ttlSecondsAfterFinishedDeletesTheFinishedJobAndItsPods() {
    String ns = "job-ttl";
    ok(k.run("create", "namespace", ns));
    apply(ns, """
        apiVersion: batch/v1
        kind: Job
        metadata: {name: brief}
        spec:
          ttlSecondsAfterFinished: 0
          template:
            spec:
              restartPolicy: Never
              containers: [{name: c, image: busybox, command: [echo, done]}]
        """);
    until(() -> !k.run("get", "job", "brief", "-n", ns).ok(), () -> k.run("get", "job", "brief", "-n", ns).out());
    until(() -> ok(k.run("get", "pods", "-n", ns, "-o", "name")).out().isBlank(), () -> k.run("get", "pods", "-n", ns).out());
    // It was deleted because it finished, not before.
    assertThat(ok(k.run("get", "events", "-n", ns, "--field-selector", "involvedObject.name=brief")).out()).contains("Job completed");
  }

  @Test
  void olderKubectlCreatesAndWaitsForAJob() {
    Kubectl old = Workloads.kubectl(cluster, "1.27");
    String ns = "job-old";
    ok(old.run("create", "namespace", ns));
    ok(old.run("create", "job", "hello", "--image=busybox", "-n", ns, "--", "echo", "hi"));
    ok(old.runWithTimeout(null, 100, "wait", "--for=condition=complete", "job/hello", "-n", ns, "--timeout=90s"));
    assertThat(ok(old.run("get", "jobs", "-n", ns)).out()).containsPattern("hello\\s+Complete\\s+1/1");
  }
}
