package io.kava.api.validation;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NameValidationTest {
  static final String SUBDOMAIN_MSG = "a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', "
      + "and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is "
      + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')";
  static final String LABEL_MSG = "a lowercase RFC 1123 label must consist of lower case alphanumeric characters or '-', and must "
      + "start and end with an alphanumeric character (e.g. 'my-name',  or '123-abc', regex used for validation is "
      + "'[a-z0-9]([-a-z0-9]*[a-z0-9])?')";

  @ParameterizedTest
  @ValueSource(strings = {"a", "ab", "abc", "a1", "a-1", "a--1--2--b", "0", "01", "a.a", "a.b.c", "1.2.3", "a-1.b-2"})
  void goodSubdomains(String s) {
    assertThat(NameValidation.isDNS1123Subdomain(s)).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"", "A", "ABC", "aBc", "-", "a-", "-a", "a_b", "a.", ".a", "a..b", "a$b", "a@b"})
  void badSubdomains(String s) {
    assertThat(NameValidation.isDNS1123Subdomain(s)).containsExactly(SUBDOMAIN_MSG);
  }

  @Test
  void lengths() {
    assertThat(NameValidation.isDNS1123Subdomain("a".repeat(253))).isEmpty();
    assertThat(NameValidation.isDNS1123Subdomain("a".repeat(254))).containsExactly("must be no more than 253 characters");
    assertThat(NameValidation.isDNS1123Label("a".repeat(64))).containsExactly("must be no more than 63 characters");
    assertThat(NameValidation.isValidLabelValue("a".repeat(64))).containsExactly("must be no more than 63 bytes");
    assertThat(NameValidation.isQualifiedName("a".repeat(64))).containsExactly("name part must be no more than 63 bytes");
  }

  @Test
  void labels() {
    assertThat(NameValidation.isDNS1123Label("a.b")).containsExactly("must not contain dots");
    assertThat(NameValidation.isDNS1123Label("A")).containsExactly(LABEL_MSG);
    assertThat(NameValidation.isDNS1035Label("1abc")).containsExactly(
        "a DNS-1035 label must consist of lower case alphanumeric characters or '-', start with an alphabetic character, "
            + "and end with an alphanumeric character (e.g. 'my-name',  or 'abc-123', regex used for validation is "
            + "'[a-z]([-a-z0-9]*[a-z0-9])?')");
  }

  @Test
  void qualifiedNames() {
    for (String good : List.of("simple", "now-with-dashes", "1-starts-with-num", "1234", "simple/simple", "now-with-dashes/simple",
        "now-with-dashes/now-with-dashes", "now.with.dots/simple", "now-with.dashes-and.dots/simple", "1-num.2-num/3-num",
        "1234/5678", "1.2.3.4/5678", "Uppercase_Is_OK_123", "example.com/Uppercase_Is_OK_123", "a" + "a".repeat(62))) {
      assertThat(NameValidation.isQualifiedName(good)).as(good).isEmpty();
    }
    assertThat(NameValidation.isQualifiedName("/simple")).containsExactly("prefix part must be non-empty");
    assertThat(NameValidation.isQualifiedName("simple/")).hasSize(2).first().isEqualTo("name part must be non-empty");
    assertThat(NameValidation.isQualifiedName("a/b/c")).containsExactly("a valid label key must consist of alphanumeric characters, "
        + "'-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', "
        + "regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]') with an optional DNS subdomain prefix and "
        + "'/' (e.g. 'example.com/MyName')");
    assertThat(NameValidation.isQualifiedName("Foo.com/a")).containsExactly("prefix part " + SUBDOMAIN_MSG);
    assertThat(NameValidation.isQualifiedName("a".repeat(254) + "/a"))
        .containsExactly("prefix part must be no more than 253 bytes");
  }

  @Test
  void labelValues() {
    assertThat(NameValidation.isValidLabelValue("")).isEmpty();
    assertThat(NameValidation.isValidLabelValue("a_b.c-D")).isEmpty();
    assertThat(NameValidation.isValidLabelValue("-a")).hasSize(1);
    assertThat(NameValidation.isValidLabelValue("a b")).hasSize(1);
  }

  @Test
  void ports() {
    assertThat(NameValidation.isValidPortName("http")).isEmpty();
    assertThat(NameValidation.isValidPortName("h-t-t-p-8080")).isEmpty();
    assertThat(NameValidation.isValidPortName("1234")).containsExactly("must contain at least one letter (a-z)");
    assertThat(NameValidation.isValidPortName("abc-")).containsExactly("must not begin or end with a hyphen");
    assertThat(NameValidation.isValidPortName("a--b")).containsExactly("must not contain consecutive hyphens");
    assertThat(NameValidation.isValidPortName("a".repeat(16))).containsExactly("must be no more than 15 characters");
    assertThat(NameValidation.isValidPortName("HTTP")).containsExactly(
        "must contain only alpha-numeric characters (a-z, 0-9), and hyphens (-)", "must contain at least one letter (a-z)");
    assertThat(NameValidation.isValidPortNum(0)).containsExactly("must be between 1 and 65535, inclusive");
    assertThat(NameValidation.isValidPortNum(65535)).isEmpty();
  }

  @Test
  void keysAndPaths() {
    assertThat(NameValidation.isConfigMapKey("key.name")).isEmpty();
    assertThat(NameValidation.isConfigMapKey("..a")).containsExactly("must not start with '..'");
    assertThat(NameValidation.isConfigMapKey("a/b")).containsExactly("a valid config key must consist of alphanumeric characters, "
        + "'-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')");
    assertThat(NameValidation.isValidPathSegmentName("..")).containsExactly("may not be '..'");
    assertThat(NameValidation.isValidPathSegmentName("a/b%c")).containsExactly("may not contain '/'", "may not contain '%'");
    assertThat(NameValidation.isCIdentifier("_a1")).isEmpty();
    assertThat(NameValidation.isEnvVarName("1A")).hasSize(1);
    assertThat(NameValidation.isRelaxedEnvVarName("A=B")).hasSize(1);
    assertThat(NameValidation.isValidPercent("25%")).isEmpty();
  }

  @Test
  void generateName() {
    assertThat(NameRule.DNS_SUBDOMAIN.validate("web-", true)).isEmpty();
    assertThat(NameRule.DNS_SUBDOMAIN.validate("web-", false)).containsExactly(SUBDOMAIN_MSG);
    assertThat(NameRule.DNS_LABEL.validate("a-", true)).isEmpty();
    assertThat(NameRule.DNS1035_LABEL.validate("1a-", true)).hasSize(1);
    assertThat(NameRule.PATH_SEGMENT.validate("..", true)).isEmpty();
    assertThat(NameRule.PATH_SEGMENT.validate("..", false)).containsExactly("may not be '..'");
  }

  @Test
  void utf8LengthOfACodePointIsWhatTheEncoderWrites() {
    for (int cp : new int[] {'a', 0x7F, 0x80, 0xE9, 0x7FF, 0x800, 0x20AC, 0xFFFF, 0x10000, 0x1F600, 0x10FFFF}) {
      assertThat(NameValidation.utf8Length(cp)).as("U+%04X", cp)
          .isEqualTo(new String(Character.toChars(cp)).getBytes(java.nio.charset.StandardCharsets.UTF_8).length);
    }
  }
}
