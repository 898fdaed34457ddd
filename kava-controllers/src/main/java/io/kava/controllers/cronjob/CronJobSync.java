package io.kava.controllers.cronjob;

import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.ObjectReference;
import io.fabric8.kubernetes.api.model.ObjectReferenceBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobStatus;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobCondition;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.time.Timestamps;
import io.kava.client.EventRecorder;
import io.kava.controllers.workload.ApiErrors;
import io.kava.controllers.workload.Owners;
import io.kava.controllers.workload.Pods;
import io.kava.controllers.workload.Serial;
import java.time.Clock;
import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * One sync of one CronJob (upstream's cronjob controllerv2 syncCronJob): reconciles {@code status.active} with the
 * jobs it owns, records lastSuccessfulTime, trims finished jobs to the history limits, and starts the job of the
 * most recent missed schedule time, honouring suspend, startingDeadlineSeconds and concurrencyPolicy. Jobs are
 * named {@code <cronjob>-<scheduled time in minutes since the epoch>}, so one schedule time never makes two jobs.
 */
final class CronJobSync {
  static final String API_VERSION = "batch/v1";
  static final String KIND = "CronJob";
  static final String SCHEDULED_TIMESTAMP = "batch.kubernetes.io/cronjob-scheduled-timestamp";
  /** Upstream gives up counting missed times beyond this and says so in an event. */
  static final int TOO_MANY_MISSED = 100;
  /** Checked again a little after the next schedule time, so the clock has surely passed it. */
  static final Duration NEXT_SLACK = Duration.ofMillis(100);

  private final CronJobApi api;
  private final Clock clock;

  CronJobSync(CronJobApi api, Clock clock) {
    this.api = api;
    this.clock = clock;
  }

  /**
   * Syncs {@code cached} (not changed) owning {@code jobs}.
   *
   * @return when to look again (the next schedule time), or null
   */
  Duration sync(CronJob cached, List<Job> jobs) {
    CronJob cj = Serial.copy(cached);
    if (cj.getStatus() == null) cj.setStatus(new CronJobStatus());
    CronJobStatus st = cj.getStatus();
    boolean update = false;
    Set<String> children = new HashSet<>();
    List<ObjectReference> active = new ArrayList<>(st.getActive() == null ? List.of() : st.getActive());
    for (Job j : jobs) {
      children.add(j.getMetadata().getUid());
      boolean found = active.stream().anyMatch(r -> Objects.equals(r.getUid(), j.getMetadata().getUid()));
      boolean finished = finishedCondition(j) != null;
      if (!found && !finished) {
        // Upstream only reports it (a job made by hand with --from=cronjob/…, or one whose status write was lost).
        api.event(cj, EventRecorder.WARNING, "UnexpectedJob", "Saw a job that the controller did not create or forgot: " + j.getMetadata().getName());
      } else if (found && finished) {
        active.removeIf(r -> Objects.equals(r.getUid(), j.getMetadata().getUid()));
        api.event(cj, EventRecorder.NORMAL, "SawCompletedJob", "Saw completed job: " + j.getMetadata().getName() + ", condition: " + finishedCondition(j));
        update = true;
      }
      if (finished && "Complete".equals(finishedCondition(j)) && j.getStatus().getCompletionTime() != null) {
        Instant done = Pods.time(j.getStatus().getCompletionTime());
        Instant last = Pods.time(st.getLastSuccessfulTime());
        if (done != null && (last == null || done.isAfter(last))) {
          st.setLastSuccessfulTime(j.getStatus().getCompletionTime());
          update = true;
        }
      }
    }
    // Jobs in the active list that no longer exist (checked live: the cache may lag behind our own creations).
    for (ObjectReference r : List.copyOf(active)) {
      if (children.contains(r.getUid())) continue;
      if (api.getJob(r.getNamespace(), r.getName()) == null) {
        api.event(cj, EventRecorder.NORMAL, "MissingJob", "Active job went missing: " + r.getName());
        active.remove(r);
        update = true;
      }
    }
    st.setActive(active.isEmpty() ? null : active);
    if (update) cj = write(cj);

    if (cj.getMetadata().getDeletionTimestamp() != null) return null;
    cleanupFinished(cj, jobs);

    ZoneId zone = ZoneOffset.UTC;
    if (cj.getSpec().getTimeZone() != null) {
      try {
        zone = ZoneId.of(cj.getSpec().getTimeZone());
      } catch (DateTimeException e) {
        api.event(cj, EventRecorder.WARNING, "UnknownTimeZone", "invalid timeZone: \"" + cj.getSpec().getTimeZone() + "\": " + e.getMessage());
        return null;
      }
    }
    if (Boolean.TRUE.equals(cj.getSpec().getSuspend())) return null;
    CronSchedule schedule;
    try {
      schedule = CronSchedule.parse(cj.getSpec().getSchedule());
    } catch (IllegalArgumentException e) {
      api.event(cj, EventRecorder.WARNING, "UnparseableSchedule", "unparseable schedule: \"" + cj.getSpec().getSchedule() + "\" : " + e.getMessage());
      return null;
    }
    Instant now = clock.instant();
    Instant scheduled = mostRecentScheduleTime(cj, schedule, zone, now);
    Duration untilNext = untilNext(schedule, zone, now);
    if (scheduled == null) return untilNext;

    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null && scheduled.plusSeconds(deadline).isBefore(now)) {
      api.event(cj, EventRecorder.WARNING, "MissSchedule", "Missed scheduled time to start a job: " + rfc3339(scheduled, zone));
      return untilNext;
    }
    String name = jobName(cj, scheduled);
    List<ObjectReference> act = cj.getStatus().getActive() == null ? new ArrayList<>() : new ArrayList<>(cj.getStatus().getActive());
    if (act.stream().anyMatch(r -> name.equals(r.getName()))) return untilNext;
    String policy = cj.getSpec().getConcurrencyPolicy() == null ? "Allow" : cj.getSpec().getConcurrencyPolicy();
    if ("Forbid".equals(policy) && !act.isEmpty()) {
      api.event(cj, EventRecorder.NORMAL, "JobAlreadyActive", "Not starting job because prior execution is running and concurrency policy is Forbid");
      return untilNext;
    }
    if ("Replace".equals(policy)) {
      for (ObjectReference r : List.copyOf(act)) {
        Job j = api.getJob(r.getNamespace(), r.getName());
        if (j == null) continue;
        api.deleteJob(j);
        api.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + j.getMetadata().getName());
        act.remove(r);
      }
    }
    Job job = jobFromTemplate(cj, scheduled, zone);
    Job created;
    try {
      created = api.createJob(job);
    } catch (KubernetesClientException e) {
      if (ApiErrors.isAlreadyExists(e)) return untilNext; // made by an earlier sync whose status write was lost
      api.event(cj, EventRecorder.WARNING, "FailedCreate", "Error creating job: " + ApiErrors.message(e));
      throw e;
    }
    api.event(cj, EventRecorder.NORMAL, "SuccessfulCreate", "Created job " + created.getMetadata().getName());
    act.add(reference(created));
    cj.getStatus().setActive(act);
    cj.getStatus().setLastScheduleTime(Timestamps.formatTime(scheduled));
    write(cj);
    return untilNext;
  }

  private CronJob write(CronJob cj) { return api.updateStatus(cj); }

  private Duration untilNext(CronSchedule schedule, ZoneId zone, Instant now) {
    Instant next = schedule.next(now, zone);
    return next == null ? null : Duration.between(now, next).plus(NEXT_SLACK);
  }

  /**
   * Upstream's mostRecentScheduleTime: the latest activation in (earliest, now], where earliest is the last
   * schedule time (or creation), moved up to now - startingDeadlineSeconds when that is later; null when none.
   */
  Instant mostRecentScheduleTime(CronJob cj, CronSchedule schedule, ZoneId zone, Instant now) {
    Instant earliest = Pods.time(cj.getStatus() == null ? null : cj.getStatus().getLastScheduleTime());
    if (earliest == null) earliest = Pods.time(cj.getMetadata().getCreationTimestamp());
    if (earliest == null) earliest = now;
    Long deadline = cj.getSpec().getStartingDeadlineSeconds();
    if (deadline != null) {
      Instant schedulingDeadline = now.minusSeconds(deadline);
      if (schedulingDeadline.isAfter(earliest)) earliest = schedulingDeadline;
    }
    if (earliest.isAfter(now)) return null;
    Instant t = schedule.next(earliest, zone);
    if (t == null || t.isAfter(now)) return null;
    int missed = 1;
    for (Instant n = schedule.next(t, zone); n != null && !n.isAfter(now); n = schedule.next(t, zone)) {
      missed++;
      if (missed > TOO_MANY_MISSED + 1) {
        // Jump ahead by whole intervals instead of walking years of minutes.
        Duration interval = Duration.between(t, n);
        long skip = Duration.between(n, now).toSeconds() / Math.max(1, interval.toSeconds()) - 1;
        if (skip > 0) n = n.plusSeconds(skip * interval.toSeconds());
        Instant m = n;
        while (true) {
          Instant after = schedule.next(m, zone);
          if (after == null || after.isAfter(now)) break;
          m = after;
        }
        t = m;
        break;
      }
      t = n;
    }
    if (missed > TOO_MANY_MISSED) {
      api.event(cj, EventRecorder.WARNING, "TooManyMissedTimes",
          "too many missed start times. Set or decrease .spec.startingDeadlineSeconds or check clock skew");
    }
    return t;
  }

  /** Upstream's cleanupFinishedJobs: the oldest finished jobs beyond successful/failedJobsHistoryLimit go. */
  private void cleanupFinished(CronJob cj, List<Job> jobs) {
    Integer okLimit = cj.getSpec().getSuccessfulJobsHistoryLimit();
    Integer failLimit = cj.getSpec().getFailedJobsHistoryLimit();
    if (okLimit == null && failLimit == null) return;
    List<Job> ok = new ArrayList<>();
    List<Job> failed = new ArrayList<>();
    for (Job j : jobs) {
      String c = finishedCondition(j);
      if ("Complete".equals(c)) ok.add(j);
      else if ("Failed".equals(c)) failed.add(j);
    }
    if (okLimit != null) removeOldest(cj, ok, okLimit);
    if (failLimit != null) removeOldest(cj, failed, failLimit);
  }

  private void removeOldest(CronJob cj, List<Job> jobs, int limit) {
    if (jobs.size() <= limit) return;
    List<Job> sorted = new ArrayList<>(jobs);
    sorted.sort(Comparator.comparing((Job j) -> j.getStatus() == null || j.getStatus().getStartTime() == null ? "" : j.getStatus().getStartTime())
        .thenComparing(j -> j.getMetadata().getName()));
    for (Job j : sorted.subList(0, sorted.size() - limit)) {
      api.deleteJob(j);
      api.event(cj, EventRecorder.NORMAL, "SuccessfulDelete", "Deleted job " + j.getMetadata().getName());
    }
  }

  /** "Complete" or "Failed" when the job has finished, else null. */
  static String finishedCondition(Job j) {
    if (j.getStatus() == null || j.getStatus().getConditions() == null) return null;
    for (JobCondition c : j.getStatus().getConditions()) {
      if (("Complete".equals(c.getType()) || "Failed".equals(c.getType())) && "True".equals(c.getStatus())) return c.getType();
    }
    return null;
  }

  static String jobName(CronJob cj, Instant scheduled) {
    return cj.getMetadata().getName() + "-" + (scheduled.getEpochSecond() / 60);
  }

  /** Upstream's getJobFromTemplate2: the job template's labels, annotations and spec, our reference, the schedule time. */
  static Job jobFromTemplate(CronJob cj, Instant scheduled, ZoneId zone) {
    var tmpl = cj.getSpec().getJobTemplate();
    ObjectMeta m = new ObjectMeta();
    m.setName(jobName(cj, scheduled));
    m.setNamespace(cj.getMetadata().getNamespace());
    ObjectMeta tm = tmpl.getMetadata() == null ? new ObjectMeta() : tmpl.getMetadata();
    m.setLabels(tm.getLabels() == null ? null : new LinkedHashMap<>(tm.getLabels()));
    Map<String, String> ann = tm.getAnnotations() == null ? new LinkedHashMap<>() : new LinkedHashMap<>(tm.getAnnotations());
    ann.put(SCHEDULED_TIMESTAMP, rfc3339(scheduled, zone));
    m.setAnnotations(ann);
    m.setOwnerReferences(new ArrayList<>(List.of(Owners.newControllerRef(cj, API_VERSION, KIND))));
    Job j = new Job();
    j.setApiVersion("batch/v1");
    j.setKind("Job");
    j.setMetadata(m);
    j.setSpec(Serial.copy(tmpl.getSpec()));
    return j;
  }

  /** Go's time.RFC3339 in the schedule's zone ("2025-06-01T14:00:00+02:00", "Z" for UTC). */
  static String rfc3339(Instant t, ZoneId zone) {
    return DateTimeFormatter.ISO_OFFSET_DATE_TIME.format(t.atZone(zone).withNano(0));
  }

  static ObjectReference reference(Job j) {
    return new ObjectReferenceBuilder().withApiVersion("batch/v1").withKind("Job").withNamespace(j.getMetadata().getNamespace())
        .withName(j.getMetadata().getName()).withUid(j.getMetadata().getUid()).withResourceVersion(j.getMetadata().getResourceVersion()).build();
  }
}
