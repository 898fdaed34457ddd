package io.kava.api.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HumanDurationTest {
  private static final long S = 1000, M = 60 * S, H = 60 * M, D = 24 * H, Y = 365 * D;

  @ParameterizedTest(name = "{0}ms -> {1}")
  @CsvSource({
      "-2000, <invalid>", "-1999, 0s", "0, 0s", "999, 0s", "1000, 1s", "70000, 70s", "119999, 119s", "120000, 2m",
      "121000, 2m1s", "190000, 3m10s", "599999, 9m59s", "600000, 10m", "601000, 10m", "10799999, 179m", "10800000, 3h",
      "10860000, 3h1m", "28799999, 7h59m", "28800000, 8h", "32340000, 8h", "169200000, 47h", "172799999, 47h",
      "172800000, 2d", "176400000, 2d1h", "691199999, 7d23h", "691200000, 8d", "698400000, 8d",
      "31708800000, 367d", "63071999999, 729d", "63072000000, 2y", "63158400000, 2y1d", "63162000000, 2y1d",
      "252287999999, 7y364d", "252288000000, 8y", "283824000000, 9y",
  })
  void humanDuration(long millis, String want) {
    assertThat(HumanDuration.format(Duration.ofMillis(millis))).isEqualTo(want);
  }

  @ParameterizedTest(name = "{0}ms -> {1}")
  @CsvSource({"-2000, <invalid>", "-1000, 0s", "0, 0s", "59999, 59s", "60000, 1m", "3599999, 59m", "3600000, 1h",
      "86399999, 23h", "86400000, 1d", "31535999999, 364d", "31536000000, 1y", "94608000000, 3y"})
  void shortHumanDuration(long millis, String want) {
    assertThat(HumanDuration.shortFormat(Duration.ofMillis(millis))).isEqualTo(want);
  }

  @Test
  void since() {
    Instant now = Instant.parse("2024-05-01T12:00:00Z");
    assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since(now.minusSeconds(5), now)).isEqualTo("5s");
    assertThat(HumanDuration.since(now.minusMillis(3 * H + 4 * M), now)).isEqualTo("3h4m");
    assertThat(HumanDuration.since(now.minusMillis(2 * D + 3 * H), now)).isEqualTo("2d3h");
    assertThat(HumanDuration.since(now.minusMillis(3 * Y + 45 * D), now)).isEqualTo("3y45d");
    assertThat(HumanDuration.since(now.plusSeconds(10), now)).isEqualTo("<invalid>");
  }
}
