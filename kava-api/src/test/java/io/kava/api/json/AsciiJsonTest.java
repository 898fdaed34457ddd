package io.kava.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class AsciiJsonTest {
  @Test
  void asciiIsLeftAsItIs() {
    byte[] ascii = "{\"a\":\"b\\u00fc\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(AsciiJson.escapeNonAscii(ascii)).isSameAs(ascii);
  }

  @Test
  void everyCharacterOutsideAsciiBecomesAnEscapeOfTheSameValue() {
    String json = "{\"k\":\"grüße ✓ 😀 é\",\"ü\":[\"ß\",1],\"x\":\"plain\"}";
    byte[] escaped = AsciiJson.escapeNonAscii(json.getBytes(StandardCharsets.UTF_8));
    for (byte b : escaped) assertThat(b).isNotNegative();
    assertThat(new String(escaped, StandardCharsets.US_ASCII)).contains("\\u00fc").contains("\\u2713").contains("\\ud83d\\ude00");
    assertThat(Json.MAPPER.readTree(escaped)).isEqualTo(Json.MAPPER.readTree(json.getBytes(StandardCharsets.UTF_8)));
  }

  @Test
  void bytesThatAreNotUtf8BecomeTheReplacementCharacter() {
    byte[] broken = {'"', (byte) 0xc3, '"'};
    assertThat(new String(AsciiJson.escapeNonAscii(broken), StandardCharsets.US_ASCII)).isEqualTo("\"\\ufffd\"");
  }
}
