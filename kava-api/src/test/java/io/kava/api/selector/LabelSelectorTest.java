package io.kava.api.selector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.validation.FieldError;
import io.kava.api.validation.FieldPath;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class LabelSelectorTest {
  private static final JsonMapper JSON = JsonMapper.builder().build();

  @ParameterizedTest
  @ValueSource(strings = {"x=a,y=b,z=c", "", "x!=a,y=b", "x=", "x= ", "x=,z= ", "x= ,z= ", "!x", "x>1", "x>1,z<5"})
  void goodStringsRoundTrip(String s) {
    assertThat(LabelSelector.parse(s).toString()).isEqualTo(s.replace(" ", ""));
  }

  @ParameterizedTest
  @ValueSource(strings = {"x=a||y=b", "x==a==b", "!x=a", "x<a"})
  void badStrings(String s) {
    assertThatThrownBy(() -> LabelSelector.parse(s)).isInstanceOf(InvalidSelectorException.class);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x notin (abc,,def),bar,z in (),w | bar,w,x notin (,abc,def),z in ()",
      "this-is-another-dns.domain.com/key-with-dash in (so,what) | this-is-another-dns.domain.com/key-with-dash in (so,what)",
      "foo  in\t (abc) | foo in (abc)",
      "x in (a,,a,,a,,a,,) | x in (,a)",
      "x in (b,a) | x in (a,b)",
      "z=1, a==2, m!=3 | a==2,m!=3,z=1",
      "in in (in, notin) | in in (in,notin)",
      "x in () | x in ()",
      "'\rx' | x",
  })
  void canonicalForm(String in, String out) {
    assertThat(LabelSelector.parse(in.replace("'", "")).toString()).isEqualTo(out);
  }

  @ParameterizedTest
  @CsvSource(delimiter = '|', value = {
      "x=a,,y=b | found ',', expected: identifier after ','",
      ",x=a | found ',', expected: !, identifier, or 'end of string'",
      "x=a y=b | found 'y', expected: ',' or 'end of string'",
      "x b | unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt",
      "x in a | unable to parse requirement: found 'a' expected: '('",
      "x in (a b) | unable to parse requirement: found 'b', expected: ',' or ')'",
      "x in (a | unable to parse requirement: found '', expected: ',' or ')'",
      "x in (= | unable to parse requirement: found '=', expected: ',', ')' or identifier",
      "x in (,= | unable to parse requirement: found '=', expected: ',', or identifier",
      "x=(a | unable to parse requirement: found '(', expected: identifier",
      "! | unable to parse requirement: found '', expected: identifier",
      "x<a | unable to parse requirement: values[0]: Invalid value: \"a\": for 'Gt', 'Lt' operators, the value must be an integer",
      "-x=a | unable to parse requirement: <nil>: Invalid value: \"-x\": name part must consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyName',  or 'my.name',  or '123-abc', regex used for validation is '([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]')",
      "app=-x | unable to parse requirement: values[0][app]: Invalid value: \"-x\": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')",
  })
  void errorMessages(String in, String message) {
    // upstream's RegexError ends each example with "', " and joins them with " or ", hence the double spaces
    assertThatThrownBy(() -> LabelSelector.parse(in)).isInstanceOf(InvalidSelectorException.class).hasMessage(message);
  }

  @Test
  void matching() {
    Map<String, String> labels = Map.of("app", "web", "tier", "front", "n", "5");
    assertThat(LabelSelector.parse("app=web").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("app=db").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app!=db,tier in (front,back)").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("missing!=x,!missing,app").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("missing notin (a)").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("missing in (a)").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("n>4,n<6").matches(labels)).isTrue();
    assertThat(LabelSelector.parse("n>5").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("app>1").matches(labels)).isFalse();
    assertThat(LabelSelector.parse("x=").matches(Map.of("x", ""))).isTrue();
    assertThat(LabelSelector.parse("x=").matches(Map.of())).isFalse();
    assertThat(LabelSelector.everything().matches(null)).isTrue();
    assertThat(LabelSelector.everything().isEmpty()).isTrue();
    assertThat(LabelSelector.nothing().matches(labels)).isFalse();
    assertThat(LabelSelector.nothing().isEmpty()).isFalse();
    assertThat(LabelSelector.parse("").isEmpty()).isTrue();
  }

  @Test
  void exactMatches() {
    LabelSelector s = LabelSelector.parse("tier in (a,b),app=web,env==prod,x in (y),z!=1");
    assertThat(s.requiresExactMatch("app")).contains("web");
    assertThat(s.requiresExactMatch("tier")).isEmpty();
    assertThat(s.requiresExactMatch("x")).contains("y");
    assertThat(s.requiresExactMatch("z")).isEmpty();
    assertThat(s.exactMatches()).containsExactly(Map.entry("app", "web"), Map.entry("env", "prod"), Map.entry("x", "y"));
  }

  @Test
  void fromJson() throws Exception {
    JsonNode node = JSON.readTree("""
        {"matchLabels":{"app":"web"},"matchExpressions":[
          {"key":"tier","operator":"In","values":["front","back"]},
          {"key":"legacy","operator":"DoesNotExist"}]}""");
    LabelSelector s = LabelSelector.fromJson(node);
    assertThat(s.toString()).isEqualTo("app=web,!legacy,tier in (back,front)");
    assertThat(s.matches(Map.of("app", "web", "tier", "back"))).isTrue();
    assertThat(s.matches(Map.of("app", "web", "tier", "back", "legacy", "1"))).isFalse();
    assertThat(LabelSelector.fromJson(JSON.readTree("{}")).isEmpty()).isTrue();
    assertThat(LabelSelector.fromJson(null).matchesNothing()).isTrue();
    assertThat(LabelSelector.fromJson(JSON.readTree("null")).matchesNothing()).isTrue();
    assertThatThrownBy(() -> LabelSelector.fromJson(JSON.readTree("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"Foo\"}]}")))
        .hasMessage("\"Foo\" is not a valid label selector operator");
    assertThatThrownBy(() -> LabelSelector.fromJson(JSON.readTree("{\"matchExpressions\":[{\"key\":\"a\",\"operator\":\"In\",\"values\":[\"-\"]}]}")))
        .hasMessageStartingWith("values[0][a]: Invalid value: \"-\": a valid label must be");
  }

  @Test
  void validateJson() throws Exception {
    JsonNode node = JSON.readTree("""
        {"matchLabels":{"app":"we b"},"matchExpressions":[
          {"key":"tier","operator":"In"},
          {"key":"x","operator":"Exists","values":["a"]},
          {"key":"bad key","operator":"Bogus"}]}""");
    List<String> msgs = LabelSelector.validate(node, FieldPath.of("spec", "selector")).stream().map(FieldError::message).toList();
    assertThat(msgs).hasSize(5);
    assertThat(msgs.get(0)).startsWith("spec.selector.matchLabels: Invalid value: \"we b\": a valid label must be");
    assertThat(msgs.get(1)).isEqualTo("spec.selector.matchExpressions[0].values: Required value: must be specified when `operator` is 'In' or 'NotIn'");
    assertThat(msgs.get(2)).isEqualTo("spec.selector.matchExpressions[1].values: Forbidden: may not be specified when `operator` is 'Exists' or 'DoesNotExist'");
    assertThat(msgs.get(3)).isEqualTo("spec.selector.matchExpressions[2].operator: Invalid value: \"Bogus\": not a valid selector operator");
    assertThat(msgs.get(4)).startsWith("spec.selector.matchExpressions[2].key: Invalid value: \"bad key\": name part must consist of");
  }

  @Test
  void requirementValidation() {
    assertThatThrownBy(() -> LabelRequirement.of("a", Operator.IN, List.of()))
        .hasMessageStartingWith("values: Invalid value: ").hasMessageEndingWith(": for 'in', 'notin' operators, values set can't be empty");
    assertThatThrownBy(() -> LabelRequirement.of("a/b/c", Operator.EXISTS, List.of()))
        .hasMessageStartingWith("key: Invalid value: \"a/b/c\": a valid label key must consist of");
    assertThat(LabelSelector.fromSet(Map.of("b", "2", "a", "1")).toString()).isEqualTo("a=1,b=2");
    assertThat(LabelSelector.everything().add(LabelRequirement.of("b", Operator.EXISTS, List.of()),
        LabelRequirement.of("a", Operator.NOT_IN, List.of("y", "x"))).toString()).isEqualTo("a notin (x,y),b");
  }
}
