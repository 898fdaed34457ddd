package io.kava.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class FieldSelectorTest {

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x=a,y=b,z=c | x=a,y=b,z=c",
      "z=c,x=a | x=a,z=c",
      "x==a | x=a",
      "x!=a,y=b | x!=a,y=b",
      "x=a\\,b | x=a\\,b",
      "x=a\\=b\\\\ | x=a\\=b\\\\",
      "x= | x=",
  })
  void canonical(String in, String out) {
    assertThat(FieldSelector.parse(in).toString()).isEqualTo(out);
  }

  @Test
  void parsesAndMatches() {
    FieldSelector s = FieldSelector.parse("metadata.name=x,status.phase!=Running");
    assertThat(s.fields()).containsExactly("metadata.name", "status.phase");
    assertThat(s.matches(Map.of("metadata.name", "x", "status.phase", "Pending"))).isTrue();
    assertThat(s.matches(Map.of("metadata.name", "x", "status.phase", "Running"))).isFalse();
    assertThat(s.matches(Map.of("metadata.name", "x"))).isTrue();
    assertThat(s.requiresExactMatch("metadata.name")).contains("x");
    assertThat(s.requiresExactMatch("status.phase")).isEmpty();
    assertThat(FieldSelector.parse("spec.nodeName=").matches(f -> null)).isTrue();
    assertThat(FieldSelector.parse("a=x\\,y").requirements().get(0).value()).isEqualTo("x,y");
    assertThat(FieldSelector.parse("").isEmpty()).isTrue();
    assertThat(FieldSelector.parse(",").isEmpty()).isTrue();
    assertThat(FieldSelector.everything().matches(f -> "x")).isTrue();
    assertThat(FieldSelector.nothing().matches(f -> "x")).isFalse();
  }

  @Test
  void errors() {
    assertThatThrownBy(() -> FieldSelector.parse("a")).hasMessage("invalid selector: 'a'; can't understand 'a'");
    assertThatThrownBy(() -> FieldSelector.parse("b=c,a")).hasMessage("invalid selector: 'b=c,a'; can't understand 'a'");
    assertThatThrownBy(() -> FieldSelector.parse("a=b=c")).hasMessage("invalid field selector: unescaped character in value: 61");
    assertThatThrownBy(() -> FieldSelector.parse("a=\\x")).hasMessage("invalid field selector: invalid escape sequence: \\x");
    assertThatThrownBy(() -> FieldSelector.parse("a=\\")).hasMessage("invalid field selector: invalid escape sequence: \\");
    assertThatThrownBy(() -> FieldSelector.parse("spec.foo=1").requireSupported(Set.of("metadata.name")))
        .hasMessage("field label not supported: spec.foo");
  }

  @Test
  void transform() {
    FieldSelector s = FieldSelector.parse("spec.host=n1,metadata.name=a")
        .transform((f, v) -> Map.entry(f.equals("spec.host") ? "spec.nodeName" : f, v));
    assertThat(s.toString()).isEqualTo("metadata.name=a,spec.nodeName=n1");
  }

  @Test
  void escape() {
    assertThat(FieldSelector.escapeValue("a,b=c\\")).isEqualTo("a\\,b\\=c\\\\");
    assertThat(FieldSelector.unescapeValue("a\\,b\\=c\\\\")).isEqualTo("a,b=c\\");
  }
}
