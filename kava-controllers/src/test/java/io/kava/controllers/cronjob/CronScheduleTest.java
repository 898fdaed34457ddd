package io.kava.controllers.cronjob;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.ZoneId;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class CronScheduleTest {
  static final ZoneId UTC = ZoneOffset.UTC;

  static Instant next(String spec, String after) { return CronSchedule.parse(spec).next(Instant.parse(after), UTC); }

  @Test
  void fieldsListsRangesAndSteps() {
    assertThat(next("*/1 * * * *", "2025-06-01T12:00:30Z")).isEqualTo("2025-06-01T12:01:00Z");
    assertThat(next("*/15 * * * *", "2025-06-01T12:00:00Z")).isEqualTo("2025-06-01T12:15:00Z");
    assertThat(next("5,35 9-17 * * *", "2025-06-01T17:40:00Z")).isEqualTo("2025-06-02T09:05:00Z");
    assertThat(next("0 0 1 jan *", "2025-06-01T00:00:00Z")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(next("30 2 * * mon-fri", "2025-05-31T00:00:00Z")).isEqualTo("2025-06-02T02:30:00Z"); // Saturday → Monday
    assertThat(next("0 0 29 2 *", "2025-03-01T00:00:00Z")).isEqualTo("2028-02-29T00:00:00Z");
  }

  @Test
  void dayOfMonthAndDayOfWeekAreOredUnlessOneIsAStar() {
    // The 15th or any Sunday: 2025-06-01 is a Sunday.
    assertThat(next("0 0 15 * 0", "2025-05-31T12:00:00Z")).isEqualTo("2025-06-01T00:00:00Z");
    assertThat(next("0 0 * * 0", "2025-06-01T00:00:00Z")).isEqualTo("2025-06-08T00:00:00Z");
  }

  @Test
  void descriptors() {
    assertThat(next("@hourly", "2025-06-01T12:00:00Z")).isEqualTo("2025-06-01T13:00:00Z");
    assertThat(next("@daily", "2025-06-01T12:00:00Z")).isEqualTo("2025-06-02T00:00:00Z");
    assertThat(next("@midnight", "2025-06-01T12:00:00Z")).isEqualTo("2025-06-02T00:00:00Z");
    assertThat(next("@weekly", "2025-06-02T12:00:00Z")).isEqualTo("2025-06-08T00:00:00Z");
    assertThat(next("@monthly", "2025-06-01T12:00:00Z")).isEqualTo("2025-07-01T00:00:00Z");
    assertThat(next("@yearly", "2025-06-01T12:00:00Z")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(next("@annually", "2025-06-01T12:00:00Z")).isEqualTo("2026-01-01T00:00:00Z");
    assertThat(next("@every 90s", "2025-06-01T12:00:00Z")).isEqualTo("2025-06-01T12:01:30Z");
  }

  @Test
  void timeZonesFromThePrefixOrTheCaller() {
    // 09:00 in Berlin (summer, UTC+2) is 07:00 UTC.
    assertThat(next("CRON_TZ=Europe/Berlin 0 9 * * *", "2025-06-01T08:00:00Z")).isEqualTo("2025-06-02T07:00:00Z");
    assertThat(next("TZ=Asia/Tokyo 0 9 * * *", "2025-06-01T00:00:00Z")).isEqualTo("2025-06-02T00:00:00Z");
    assertThat(CronSchedule.parse("0 9 * * *").next(Instant.parse("2025-06-01T08:00:00Z"), ZoneId.of("America/New_York")))
        .isEqualTo("2025-06-01T13:00:00Z");
  }

  @Test
  void errorsInUpstreamsWords() {
    assertThatThrownBy(() -> CronSchedule.parse("* * * *")).hasMessageStartingWith("expected exactly 5 fields, found 4");
    assertThatThrownBy(() -> CronSchedule.parse("61 * * * *")).hasMessage("end of range (61) above maximum (59): 61");
    assertThatThrownBy(() -> CronSchedule.parse("@fortnightly")).hasMessage("unrecognized descriptor: @fortnightly");
    assertThatThrownBy(() -> CronSchedule.parse("CRON_TZ=Mars/Olympus * * * * *")).hasMessageContaining("unknown time zone Mars/Olympus");
  }
}
