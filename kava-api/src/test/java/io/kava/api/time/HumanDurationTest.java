package io.kava.api.time;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The age formats, cross-checked against upstream's duration tests and their boundaries. */
class HumanDurationTest {
  private static final Duration MS = Duration.ofMillis(1);

  private static Duration s(long n) {
    return Duration.ofSeconds(n);
  }

  private static Duration m(long n) {
    return Duration.ofMinutes(n);
  }

  private static Duration h(long n) {
    return Duration.ofHours(n);
  }

  static Stream<Arguments> human() {
    return Stream.of(
        Arguments.of(s(1), "1s"),
        Arguments.of(s(45), "45s"),
        Arguments.of(s(70), "70s"),
        Arguments.of(s(190), "3m10s"),
        Arguments.of(m(5), "5m"),
        Arguments.of(m(5).plusSeconds(30), "5m30s"),
        Arguments.of(m(70), "70m"),
        Arguments.of(h(47), "47h"),
        Arguments.of(h(49), "2d1h"),
        Arguments.of(h(2 * 24 + 3), "2d3h"),
        Arguments.of(h(8 * 24 + 2), "8d"),
        Arguments.of(h(10 * 24), "10d"),
        Arguments.of(h(367 * 24), "367d"),
        Arguments.of(h(365 * 2 * 24 + 25), "2y1d"),
        Arguments.of(h(365 * 8 * 24 + 2), "8y"),
        // boundaries
        Arguments.of(s(-2), "<invalid>"),
        Arguments.of(s(-2).plusNanos(1), "0s"),
        Arguments.of(Duration.ZERO, "0s"),
        Arguments.of(s(1).minus(MS), "0s"),
        Arguments.of(m(2).minus(MS), "119s"),
        Arguments.of(m(2), "2m"),
        Arguments.of(m(2).plusSeconds(1), "2m1s"),
        Arguments.of(m(10).minus(MS), "9m59s"),
        Arguments.of(m(10), "10m"),
        Arguments.of(m(10).plusSeconds(1), "10m"),
        Arguments.of(h(3).minus(MS), "179m"),
        Arguments.of(h(3), "3h"),
        Arguments.of(h(3).plusMinutes(1), "3h1m"),
        Arguments.of(h(8).minus(MS), "7h59m"),
        Arguments.of(h(8), "8h"),
        Arguments.of(h(8).plusMinutes(59), "8h"),
        Arguments.of(h(48).minus(MS), "47h"),
        Arguments.of(h(48), "2d"),
        Arguments.of(h(49), "2d1h"),
        Arguments.of(h(8 * 24).minus(MS), "7d23h"),
        Arguments.of(h(8 * 24), "8d"),
        Arguments.of(h(8 * 24 + 23), "8d"),
        Arguments.of(h(2 * 365 * 24).minus(MS), "729d"),
        Arguments.of(h(2 * 365 * 24), "2y"),
        Arguments.of(h(2 * 365 * 24 + 23).plusMinutes(59), "2y"),
        Arguments.of(h(2 * 365 * 24 + 24).minus(MS), "2y"),
        Arguments.of(h(2 * 365 * 24 + 24), "2y1d"),
        Arguments.of(h(3 * 365 * 24), "3y"),
        Arguments.of(h(7 * 365 * 24), "7y"),
        Arguments.of(h(8 * 365 * 24).minus(MS), "7y364d"),
        Arguments.of(h(8 * 365 * 24), "8y"),
        Arguments.of(h(8 * 365 * 24 + 364 * 24), "8y"),
        Arguments.of(h(9 * 365 * 24), "9y"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("human")
  void humanDuration(Duration d, String expected) {
    assertThat(HumanDuration.format(d)).isEqualTo(expected);
  }

  static Stream<Arguments> shortForm() {
    return Stream.of(
        Arguments.of(s(-2), "<invalid>"),
        Arguments.of(s(-2).plusNanos(1), "0s"),
        Arguments.of(Duration.ZERO, "0s"),
        Arguments.of(s(1).minus(MS), "0s"),
        Arguments.of(s(1), "1s"),
        Arguments.of(s(2).minus(MS), "1s"),
        Arguments.of(m(1).minus(MS), "59s"),
        Arguments.of(m(1), "1m"),
        Arguments.of(m(2).minus(MS), "1m"),
        Arguments.of(h(1).minus(MS), "59m"),
        Arguments.of(h(1), "1h"),
        Arguments.of(h(2).minus(MS), "1h"),
        Arguments.of(h(24).minus(MS), "23h"),
        Arguments.of(h(24), "1d"),
        Arguments.of(h(48).minus(MS), "1d"),
        Arguments.of(h(365 * 24).minus(MS), "364d"),
        Arguments.of(h(365 * 24), "1y"),
        Arguments.of(h(2 * 365 * 24).minus(MS), "1y"),
        Arguments.of(h(2 * 365 * 24), "2y"));
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @MethodSource("shortForm")
  void shortHumanDuration(Duration d, String expected) {
    assertThat(HumanDuration.shortFormat(d)).isEqualTo(expected);
  }

  @Test
  void sinceAndUnknown() {
    Instant now = Instant.parse("2024-06-01T12:00:00Z");
    assertThat(HumanDuration.since(Instant.parse("2024-06-01T11:55:00Z"), now)).isEqualTo("5m");
    assertThat(HumanDuration.since(null, now)).isEqualTo("<unknown>");
    assertThat(HumanDuration.since(Instant.parse("0001-01-01T00:00:00Z"), now)).isEqualTo("<unknown>");
    // a timestamp one second in the future is clock skew, not an error
    assertThat(HumanDuration.since(now.plusSeconds(1), now)).isEqualTo("0s");
    assertThat(HumanDuration.since(now.plusSeconds(5), now)).isEqualTo("<invalid>");
    assertThat(HumanDuration.until(now.plusSeconds(90), now)).isEqualTo("90s");
  }

  @Test
  void hugeDurationsSaturateLikeGo() {
    assertThat(HumanDuration.format(Duration.ofDays(365L * 1000))).isEqualTo("292y");
  }
}
