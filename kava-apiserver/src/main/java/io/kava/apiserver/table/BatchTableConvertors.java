package io.kava.apiserver.table;

import io.kava.api.time.HumanDuration;
import static io.kava.apiserver.table.Nodes.at;
import static io.kava.apiserver.table.Nodes.lng;
import static io.kava.apiserver.table.Nodes.lngOrNull;
import static io.kava.apiserver.table.Nodes.str;
import static io.kava.apiserver.table.RowConvertor.age;
import static io.kava.apiserver.table.RowConvertor.bool;
import static io.kava.apiserver.table.RowConvertor.containers;
import static io.kava.apiserver.table.RowConvertor.images;
import static io.kava.apiserver.table.RowConvertor.integer;
import static io.kava.apiserver.table.RowConvertor.name;
import static io.kava.apiserver.table.RowConvertor.row;
import static io.kava.apiserver.table.RowConvertor.str;
import static io.kava.apiserver.table.RowConvertor.wideStr;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import tools.jackson.databind.JsonNode;

/** Printers of the batch group: Job and CronJob. */
final class BatchTableConvertors {
  private BatchTableConvertors() {
  }

  static final TableConvertor JOB = new RowConvertor(
      List.of(name(),
          str("Status", "Status of the job."),
          str("Completions", Docs.JOB_STATUS_SUCCEEDED),
          str("Duration", "Time required to complete the job."),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.JOB_SPEC_SELECTOR)),
      BatchTableConvertors::jobRow);

  private static List<Object> jobRow(JsonNode o, Instant now) {
    long succeeded = lng(o, "status", "succeeded");
    Long completions = lngOrNull(o, "spec", "completions");
    String completionsText;
    if (completions != null) {
      completionsText = succeeded + "/" + completions;
    } else {
      long parallelism = lng(o, "spec", "parallelism");
      completionsText = parallelism > 1 ? succeeded + "/1 of " + parallelism : succeeded + "/1";
    }
    Instant start = Nodes.time(o, "status", "startTime");
    Instant completion = Nodes.time(o, "status", "completionTime");
    String duration = "";
    if (start != null) {
      duration = HumanDuration.format(Duration.between(start, completion == null ? now : completion));
    }
    String status;
    if (jobCondition(o, "Complete")) {
      status = "Complete";
    } else if (jobCondition(o, "Failed")) {
      status = "Failed";
    } else if (Nodes.deleting(o)) {
      status = "Terminating";
    } else if (jobCondition(o, "Suspended")) {
      status = "Suspended";
    } else if (jobCondition(o, "FailureTarget")) {
      status = "FailureTarget";
    } else {
      status = "Running";
    }
    String[] ci = Nodes.containerCells(at(o, "spec", "template", "spec"));
    return row(Nodes.name(o), status, completionsText, duration, Nodes.age(o, now), ci[0], ci[1],
        Selectors.formatLabelSelector(at(o, "spec", "selector")));
  }

  /** True when the first condition of {@code type} is True. */
  private static boolean jobCondition(JsonNode job, String type) {
    JsonNode c = Nodes.condition(job, type, "status", "conditions");
    return c != null && "True".equals(str(c, "status"));
  }

  static final TableConvertor CRON_JOB = new RowConvertor(
      List.of(name(),
          str("Schedule", Docs.CRON_JOB_SPEC_SCHEDULE),
          str("Timezone", Docs.CRON_JOB_SPEC_TIME_ZONE),
          bool("Suspend", Docs.CRON_JOB_SPEC_SUSPEND),
          integer("Active", Docs.CRON_JOB_STATUS_ACTIVE),
          str("Last Schedule", Docs.CRON_JOB_STATUS_LAST_SCHEDULE_TIME),
          age(),
          containers(),
          images(),
          wideStr("Selector", Docs.JOB_SPEC_SELECTOR)),
      (o, now) -> {
        Instant lastSchedule = Nodes.time(o, "status", "lastScheduleTime");
        String timeZone = Nodes.strOrNull(o, "spec", "timeZone");
        Boolean suspend = Nodes.boolOrNull(o, "spec", "suspend");
        JsonNode jobSpec = at(o, "spec", "jobTemplate", "spec");
        String[] ci = Nodes.containerCells(at(jobSpec, "template", "spec"));
        return row(Nodes.name(o),
            str(o, "spec", "schedule"),
            timeZone == null ? "<none>" : timeZone,
            Nodes.boolPtr(suspend == null ? Boolean.FALSE : suspend), // false is the v1 default
            (long) Nodes.size(o, "status", "active"),
            lastSchedule == null ? "<none>" : HumanDuration.since(lastSchedule, now),
            Nodes.age(o, now), ci[0], ci[1],
            Selectors.formatLabelSelector(at(jobSpec, "selector")));
      });
}
