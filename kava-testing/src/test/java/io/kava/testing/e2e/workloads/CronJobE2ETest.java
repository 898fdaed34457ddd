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
 * The CronJob controller with real kubectl: create, a job started by hand from the cronjob, one scheduled run of
 * an every-minute schedule (so this suite takes up to a minute and a bit), and suspend. The schedule arithmetic
 * itself (descriptors, time zones, deadlines, concurrency) is covered by the unit tests with a fixed clock.
 */
@Tag("e2e")
class CronJobE2ETest {
  static KavaCluster cluster;
  static Kubectl k;

  @BeforeAll
  static void start() {
    cluster = KavaCluster.start();
    k = Workloads.kubectl(cluster, "1.33");
    SimulatedNodes.start(k, Workloads.DEADLINE, 1);
  }

  @AfterAll
  static void stop() { if (cluster != null) cluster.close(); }

  static String get(String ns, String what, String path) { return Workloads.jsonpath(k, ns, what, path); }

  @Test
  void createFromScheduleAndSuspend() {
    String ns = "cron";
    ok(k.run("create", "namespace", ns));
    ok(k.run("create", "cronjob", "tick", "--image=busybox", "--schedule=*/1 * * * *", "-n", ns, "--", "echo", "tick"));
    var r = ok(k.run("get", "cronjobs", "-n", ns));
    List<String> header = Arrays.asList(r.out().lines().findFirst().orElseThrow().trim().split("\\s{2,}"));
    assertThat(header).containsExactly("NAME", "SCHEDULE", "TIMEZONE", "SUSPEND", "ACTIVE", "LAST SCHEDULE", "AGE");
    assertThat(r.out()).containsPattern("tick\\s+\\*/1 \\* \\* \\* \\*\\s+<none>\\s+False\\s+\\d+");

    ok(k.run("create", "job", "--from=cronjob/tick", "by-hand", "-n", ns));
    ok(k.runWithTimeout(null, 100, "wait", "--for=condition=complete", "job/by-hand", "-n", ns, "--timeout=90s"));
    assertThat(get(ns, "job/by-hand", "{.metadata.ownerReferences[0].kind}/{.metadata.ownerReferences[0].name}")).isEqualTo("CronJob/tick");
    assertThat(get(ns, "job/by-hand", "{.metadata.annotations.cronjob\\.kubernetes\\.io/instantiate}")).isEqualTo("manual");

    // The first minute boundary after creation starts tick-<minutes since the epoch>, which then completes.
    until(() -> !get(ns, "cronjob/tick", "{.status.lastScheduleTime}").isEmpty(), () -> k.run("get", "cronjob,jobs", "-n", ns).out());
    String scheduled = get(ns, "cronjob/tick", "{.status.lastScheduleTime}");
    long minutes = java.time.Instant.parse(scheduled).getEpochSecond() / 60;
    String job = "tick-" + minutes;
    assertThat(get(ns, "job/" + job, "{.metadata.annotations.batch\\.kubernetes\\.io/cronjob-scheduled-timestamp}")).isEqualTo(scheduled);
    ok(k.runWithTimeout(null, 100, "wait", "--for=condition=complete", "job/" + job, "-n", ns, "--timeout=90s"));
    until(() -> !get(ns, "cronjob/tick", "{.status.lastSuccessfulTime}").isEmpty(), () -> k.run("get", "cronjob", "tick", "-n", ns, "-o", "yaml").out());
    assertThat(ok(k.run("get", "events", "-n", ns, "--field-selector", "involvedObject.kind=CronJob")).out())
        .contains("SuccessfulCreate").contains("Created job " + job);

    ok(k.run("patch", "cronjob", "tick", "-n", ns, "-p", "{\"spec\":{\"suspend\":true}}"));
    assertThat(ok(k.run("get", "cronjob", "tick", "-n", ns, "--no-headers")).out()).containsPattern("tick\\s+\\S+ \\S+ \\S+ \\S+ \\S+\\s+<none>\\s+True");

    // Deleting the cronjob takes its jobs along.
    ok(k.run("delete", "cronjob", "tick", "-n", ns));
    until(() -> ok(k.run("get", "jobs", "-n", ns, "-o", "name")).out().isBlank(), () -> k.run("get", "jobs", "-n", ns).out());
  }

  @Test
  void olderKubectlCreatesACronJobAndAJobFromIt() {
    Kubectl old = Workloads.kubectl(cluster, "1.27");
    String ns = "cron-old";
    ok(old.run("create", "namespace", ns));
    ok(old.run("create", "cronjob", "nightly", "--image=busybox", "--schedule=@daily", "-n", ns, "--", "true"));
    ok(old.run("create", "job", "--from=cronjob/nightly", "now", "-n", ns));
    ok(old.runWithTimeout(null, 100, "wait", "--for=condition=complete", "job/now", "-n", ns, "--timeout=90s"));
    assertThat(ok(old.run("get", "cronjob", "nightly", "-n", ns)).out()).containsPattern("nightly\\s+@daily\\s+<none>\\s+False\\s+0\\s+<none>");
  }
}
