package io.kava.api.time;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class TimestampsTest {
  private static final Instant T = Instant.parse("2006-01-02T15:04:05.123456789Z");

  @Test
  void formats() {
    assertThat(Timestamps.formatTime(T)).isEqualTo("2006-01-02T15:04:05Z");
    assertThat(Timestamps.formatMicroTime(T)).isEqualTo("2006-01-02T15:04:05.123456Z");
    assertThat(Timestamps.formatRfc3339Nano(T)).isEqualTo("2006-01-02T15:04:05.123456789Z");
    assertThat(Timestamps.formatRfc3339Nano(Instant.parse("2006-01-02T15:04:05.120Z"))).isEqualTo("2006-01-02T15:04:05.12Z");
    assertThat(Timestamps.formatRfc3339Nano(Instant.parse("2006-01-02T15:04:05Z"))).isEqualTo("2006-01-02T15:04:05Z");
    assertThat(Timestamps.formatMicroTime(Instant.parse("2006-01-02T15:04:05Z"))).isEqualTo("2006-01-02T15:04:05.000000Z");
    assertThat(Timestamps.formatTime(null)).isNull();
    assertThat(Timestamps.formatTime(Instant.EPOCH)).isEqualTo("1970-01-01T00:00:00Z");
  }

  @Test
  void parses() {
    assertThat(Timestamps.parseTime("2006-01-02T15:04:05Z")).isEqualTo(Instant.parse("2006-01-02T15:04:05Z"));
    assertThat(Timestamps.parseTime("2006-01-02T15:04:05+01:00")).isEqualTo(Instant.parse("2006-01-02T14:04:05Z"));
    assertThat(Timestamps.parseTime("2006-01-02T15:04:05.5-02:30")).isEqualTo(Instant.parse("2006-01-02T17:34:05.5Z"));
    assertThat(Timestamps.parseMicroTime("2006-01-02T15:04:05.123456Z")).isEqualTo(Instant.parse("2006-01-02T15:04:05.123456Z"));
    assertThat(Timestamps.truncateToTime(T)).isEqualTo(Instant.parse("2006-01-02T15:04:05Z"));
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "2006-01-02", "2006-01-02 15:04:05Z", "2006-01-02T15:04:05", "2006-13-02T15:04:05Z",
      "2006-01-02T15:04:05.Z", "2006-01-02T15:04:05.1234567891Z", "2006-01-02T15:04:05+0100", "2006-01-02t15:04:05Z"})
  void rejects(String s) {
    assertThatThrownBy(() -> Timestamps.parseTime(s)).isInstanceOf(DateTimeParseException.class);
  }
}
