package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Quantities and label selectors, printed as upstream prints them. */
class HelpersTest {
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
      "1Gi, 1Gi",
      "1024Mi, 1Gi",
      "1536Mi, 1536Mi",
      "1.5Gi, 1536Mi",
      "0.5Gi, 512Mi",
      "0.5Ki, 512",
      "2048Ki, 2Mi",
      "100, 100",
      "1000, 1k",
      "1500, 1500",
      "1000m, 1",
      "1500m, 1500m",
      "0.5, 500m",
      "0.1, 100m",
      "100m, 100m",
      "1e3, 1e3",
      "1E3, 1E3",
      "5e-3, 5e-3",
      "0, 0",
      "0Gi, 0",
      "1M, 1M",
      "1000k, 1M",
      "1G, 1G",
      "0.0000000001, 1n",
      // upstream keeps the input text when it is already canonical (int64 fast path), so these print as sent
      "12.345, 12.345",
      "-1, -1",
      "-1.5, -1500m",
      "+2, +2",
      "1P, 1P",
      "1E, 1E",
      "1Ei, 1Ei",
      "junk, junk",
  })
  void canonicalQuantities(String in, String expected) {
    assertThat(Quantities.canonical(in)).isEqualTo(expected);
  }

  @org.junit.jupiter.api.Test
  void quantitiesFromJsonNumbers() {
    assertThat(Quantities.canonical(json("{\"q\":2}").get("q"))).isEqualTo("2");
    assertThat(Quantities.canonical(json("{\"q\":0.25}").get("q"))).isEqualTo("250m");
    assertThat(Quantities.canonical((tools.jackson.databind.JsonNode) null)).isEqualTo("0");
  }

  @Test
  void labels() {
    assertThat(Selectors.formatLabels(Map.of())).isEqualTo("<none>");
    assertThat(Selectors.formatLabels(Map.of("b", "2", "a", "1"))).isEqualTo("a=1,b=2");
  }

  @Test
  void labelSelectors() {
    assertThat(Selectors.formatLabelSelector(null)).isEqualTo("<none>");
    assertThat(Selectors.formatLabelSelector(json("{}"))).isEqualTo("<none>");
    assertThat(Selectors.formatLabelSelector(json("""
        {"matchLabels":{"z":"1","a":"2"},"matchExpressions":[
          {"key":"m","operator":"NotIn","values":["b","a"]},{"key":"e","operator":"Exists"},
          {"key":"a","operator":"DoesNotExist"}]}"""))).isEqualTo("a=2,!a,e,m notin (a,b),z=1");
    assertThat(Selectors.formatLabelSelector(json("""
        {"matchExpressions":[{"key":"m","operator":"In","values":[]}]}"""))).isEqualTo("<error>");
    assertThat(Selectors.formatLabelSelector(json("""
        {"matchExpressions":[{"key":"m","operator":"Exists","values":["x"]}]}"""))).isEqualTo("<error>");
  }
}
