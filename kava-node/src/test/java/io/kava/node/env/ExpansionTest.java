package io.kava.node.env;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class ExpansionTest {
  final java.util.function.Function<String, String> m = Expansion.mappingFor(Map.of("A", "x", "EMPTY", ""), Map.of("B", "svc"));

  @Test
  void expandsLikeUpstream() {
    assertThat(Expansion.expand("$(A)-$(B)", m)).isEqualTo("x-svc");
    assertThat(Expansion.expand("$(NOPE)", m)).isEqualTo("$(NOPE)");
    assertThat(Expansion.expand("$$(A)", m)).isEqualTo("$(A)");
    assertThat(Expansion.expand("$$$(A)", m)).isEqualTo("$x");
    assertThat(Expansion.expand("$$$$(A)", m)).isEqualTo("$$(A)");
    assertThat(Expansion.expand("a$(A", m)).isEqualTo("a$(A");
    assertThat(Expansion.expand("$A $", m)).isEqualTo("$A $");
    assertThat(Expansion.expand("($(EMPTY))", m)).isEqualTo("()");
    assertThat(Expansion.expand("$()", m)).isEqualTo("$()");
    assertThat(Expansion.expand("no vars", m)).isEqualTo("no vars");
  }
}
