package io.kava.node.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import org.junit.jupiter.api.Test;

class CriLogLineTest {
  @Test
  void parsesFullAndPartialLines() {
    CriLogLine full = CriLogLine.parse("2026-11-26T12:00:01.123456789Z stdout F hello world");
    assertThat(full.time()).isEqualTo(Instant.parse("2026-11-26T12:00:01.123456789Z"));
    assertThat(full.stream()).isEqualTo("stdout");
    assertThat(full.partial()).isFalse();
    assertThat(new String(full.content(), StandardCharsets.UTF_8)).isEqualTo("hello world");

    CriLogLine partial = CriLogLine.parse("2026-11-26T12:00:01Z stderr P part");
    assertThat(partial.partial()).isTrue();
    assertThat(partial.stream()).isEqualTo("stderr");
    assertThat(partial.time()).isEqualTo(Instant.parse("2026-11-26T12:00:01Z"));
  }

  @Test
  void acceptsAnyFractionAndOffsets() {
    assertThat(CriLogLine.parse("2026-11-26T12:00:01.5+01:00 stdout F x").time()).isEqualTo(Instant.parse("2026-11-26T11:00:01.5Z"));
    assertThat(CriLogLine.parse("2026-11-26T12:00:01.1234Z stdout F x").time()).isEqualTo(Instant.parse("2026-11-26T12:00:01.1234Z"));
  }

  @Test
  void keepsSpacesAndEmptyContent() {
    assertThat(new String(CriLogLine.parse("2026-11-26T12:00:01Z stdout F   two  spaces ").content(), StandardCharsets.UTF_8)).isEqualTo("  two  spaces ");
    assertThat(CriLogLine.parse("2026-11-26T12:00:01Z stdout F ").content()).isEmpty();
    assertThat(CriLogLine.parse("2026-11-26T12:00:01Z stdout F").content()).isEmpty();
  }

  @Test
  void rejectsWhatIsNotALogLine() {
    assertThat(CriLogLine.parse("garbage")).isNull();
    assertThat(CriLogLine.parse("yesterday stdout F x")).isNull();
    assertThat(CriLogLine.parse("2026-11-26T12:00:01Z stdin F x")).isNull();
  }

  @Test
  void formatsTimesAsKubeletDoes() {
    assertThat(CriLogLine.formatTime(Instant.parse("2026-11-26T12:00:01.5Z"))).isEqualTo("2026-11-26T12:00:01.500000000Z");
    assertThat(CriLogLine.formatTime(Instant.parse("2026-11-26T12:00:01Z"))).isEqualTo("2026-11-26T12:00:01.000000000Z");
  }
}
