package io.kava.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobConditionBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.time.Timestamps;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CronJobSyncTest {
  static final Instant NOW = Instant.parse("2025-06-01T12:00:30Z");

  static final class FakeApi implements CronJobApi {
    final Map<String, Job> jobs = new HashMap<>();
    final List<Job> created = new ArrayList<>();
    final List<String> deleted = new ArrayList<>();
    final List<CronJob> statuses = new ArrayList<>();
    final List<String> events = new ArrayList<>();

    @Override
    public Job createJob(Job job) {
      if (jobs.containsKey(job.getMetadata().getName())) throw new KubernetesClientException(
          new io.fabric8.kubernetes.api.model.StatusBuilder().withCode(409).withReason("AlreadyExists").build());
      Job j = Serial.copy(job);
      j.getMetadata().setUid("uid-" + j.getMetadata().getName());
      jobs.put(j.getMetadata().getName(), j);
      created.add(j);
      return j;
    }

    @Override
    public Job getJob(String namespace, String name) { return jobs.get(name); }

    @Override
    public void deleteJob(Job job) {
      jobs.remove(job.getMetadata().getName());
      deleted.add(job.getMetadata().getName());
    }

    @Override
    public CronJob updateStatus(CronJob cj) {
      statuses.add(Serial.copy(cj));
      return Serial.copy(cj);
    }

    @Override
    public void event(CronJob cj, String type, String reason, String message) { events.add(reason + ": " + message); }
  }

  final FakeApi api = new FakeApi();

  CronJobSync at(Instant now) { return new CronJobSync(api, Clock.fixed(now, ZoneOffset.UTC)); }

  static CronJobBuilder cron(String schedule) {
    return new CronJobBuilder().withNewMetadata().withName("tick").withNamespace("ns").withUid("cj-uid")
        .withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(45))).endMetadata()
        .withNewSpec().withSchedule(schedule).withConcurrencyPolicy("Allow").withSuspend(false)
        .withSuccessfulJobsHistoryLimit(3).withFailedJobsHistoryLimit(1)
        .withNewJobTemplate().withNewMetadata().withLabels(Map.of("app", "tick")).endMetadata()
        .withNewSpec().withNewTemplate().withNewSpec().withRestartPolicy("Never").addNewContainer().withName("c").withImage("busybox").endContainer()
        .endSpec().endTemplate().endSpec().endJobTemplate().endSpec();
  }

  static Job job(String name, String condition, Instant start) {
    JobBuilder b = new JobBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid("uid-" + name).endMetadata()
        .withNewStatus().withStartTime(Timestamps.formatTime(start)).endStatus();
    if (condition != null) {
      b.editStatus().withConditions(new JobConditionBuilder().withType(condition).withStatus("True").build())
          .withCompletionTime(condition.equals("Complete") ? Timestamps.formatTime(start.plusSeconds(5)) : null).endStatus();
    }
    return b.build();
  }

  static ObjectReference ref(String name) {
    ObjectReference r = new ObjectReference();
    r.setName(name);
    r.setNamespace("ns");
    r.setUid("uid-" + name);
    return r;
  }

  @Test
  void aDueScheduleCreatesTheJobNamedByItsMinute() {
    Duration next = at(NOW).sync(cron("*/1 * * * *").build(), List.of());
    Instant scheduled = Instant.parse("2025-06-01T12:00:00Z");
    assertThat(api.created).singleElement().satisfies(j -> {
      assertThat(j.getMetadata().getName()).isEqualTo("tick-" + scheduled.getEpochSecond() / 60);
      assertThat(j.getMetadata().getLabels()).containsEntry("app", "tick");
      assertThat(j.getMetadata().getAnnotations()).containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, "2025-06-01T12:00:00Z");
      assertThat(j.getMetadata().getOwnerReferences().getFirst().getKind()).isEqualTo("CronJob");
      assertThat(j.getSpec().getTemplate().getSpec().getContainers().getFirst().getImage()).isEqualTo("busybox");
    });
    CronJob st = api.statuses.getLast();
    assertThat(st.getStatus().getLastScheduleTime()).isEqualTo("2025-06-01T12:00:00Z");
    assertThat(st.getStatus().getActive()).extracting(ObjectReference::getName).containsExactly(api.created.getFirst().getMetadata().getName());
    assertThat(next).isEqualTo(Duration.ofSeconds(30).plus(CronJobSync.NEXT_SLACK));
    assertThat(api.events).contains("SuccessfulCreate: Created job " + api.created.getFirst().getMetadata().getName());
  }

  @Test
  void nothingIsDueBeforeTheFirstScheduleTimeAfterCreation() {
    CronJob cj = cron("0 * * * *").editMetadata().withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(20))).endMetadata().build();
    Duration next = at(NOW).sync(cj, List.of());
    assertThat(api.created).isEmpty();
    assertThat(next).isEqualTo(Duration.ofMinutes(59).plusSeconds(30).plus(CronJobSync.NEXT_SLACK));
  }

  @Test
  void forbidSkipsWhileAJobRunsAndReplaceDeletesIt() {
    Job running = job("tick-1", null, NOW.minusSeconds(3600));
    api.jobs.put("tick-1", running);
    CronJob forbid = cron("*/1 * * * *").editSpec().withConcurrencyPolicy("Forbid").endSpec()
        .withNewStatus().withActive(ref("tick-1")).endStatus().build();
    at(NOW).sync(forbid, List.of(running));
    assertThat(api.created).isEmpty();
    assertThat(api.events).anyMatch(e -> e.startsWith("JobAlreadyActive"));

    CronJob replace = new CronJobBuilder(forbid).editSpec().withConcurrencyPolicy("Replace").endSpec().build();
    at(NOW).sync(replace, List.of(running));
    assertThat(api.deleted).containsExactly("tick-1");
    assertThat(api.created).hasSize(1);
    assertThat(api.statuses.getLast().getStatus().getActive()).extracting(ObjectReference::getName)
        .containsExactly(api.created.getFirst().getMetadata().getName());
  }

  @Test
  void suspendedCronJobsStartNothing() {
    at(NOW).sync(cron("*/1 * * * *").editSpec().withSuspend(true).endSpec().build(), List.of());
    assertThat(api.created).isEmpty();
  }

  @Test
  void startingDeadlineSecondsSkipsATooLateStart() {
    CronJob cj = cron("0 * * * *").editMetadata().withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(7200))).endMetadata()
        .editSpec().withStartingDeadlineSeconds(10L).endSpec().build();
    at(NOW).sync(cj, List.of()); // 12:00:00 was 30 s ago, the deadline is 10 s
    assertThat(api.created).isEmpty();
    CronJob lenient = new CronJobBuilder(cj).editSpec().withStartingDeadlineSeconds(60L).endSpec().build();
    at(NOW).sync(lenient, List.of());
    assertThat(api.created).hasSize(1);
  }

  @Test
  void finishedJobsLeaveTheActiveListAndHistoryIsTrimmed() {
    Instant t = NOW.minusSeconds(3600);
    List<Job> jobs = List.of(job("tick-1", "Complete", t), job("tick-2", "Complete", t.plusSeconds(60)),
        job("tick-3", "Complete", t.plusSeconds(120)), job("tick-4", "Complete", t.plusSeconds(180)),
        job("tick-5", "Failed", t.plusSeconds(240)), job("tick-6", "Failed", t.plusSeconds(300)));
    jobs.forEach(j -> api.jobs.put(j.getMetadata().getName(), j));
    CronJob cj = cron("0 0 1 1 *").withNewStatus().withActive(ref("tick-4")).endStatus().build();
    at(NOW).sync(cj, jobs);
    assertThat(api.deleted).containsExactlyInAnyOrder("tick-1", "tick-5");
    CronJob st = api.statuses.getFirst();
    assertThat(st.getStatus().getActive()).isNullOrEmpty();
    assertThat(st.getStatus().getLastSuccessfulTime()).isEqualTo(Timestamps.formatTime(t.plusSeconds(185)));
    assertThat(api.events).contains("SawCompletedJob: Saw completed job: tick-4, condition: Complete");
  }

  @Test
  void theCronJobsTimeZoneDecidesTheScheduleTime() {
    // 14:00 in Berlin (UTC+2 in June) is 12:00 UTC.
    CronJob cj = cron("0 14 * * *").editSpec().withTimeZone("Europe/Berlin").endSpec().build();
    at(NOW).sync(cj, List.of());
    assertThat(api.created).singleElement().satisfies(j ->
        assertThat(j.getMetadata().getAnnotations()).containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, "2025-06-01T14:00:00+02:00"));
  }

  @Test
  void manyMissedTimesStillGiveTheMostRecentOne() {
    CronJob cj = cron("*/1 * * * *").editMetadata().withCreationTimestamp(Timestamps.formatTime(NOW.minusSeconds(86_400 * 30))).endMetadata().build();
    at(NOW).sync(cj, List.of());
    assertThat(api.created).singleElement().satisfies(j ->
        assertThat(j.getMetadata().getAnnotations()).containsEntry(CronJobSync.SCHEDULED_TIMESTAMP, "2025-06-01T12:00:00Z"));
    assertThat(api.events).anyMatch(e -> e.startsWith("TooManyMissedTimes"));
  }
}
