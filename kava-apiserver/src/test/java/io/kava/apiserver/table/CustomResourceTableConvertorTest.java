package io.kava.apiserver.table;

import static io.kava.apiserver.table.TableTestSupport.NOW;
import static io.kava.apiserver.table.TableTestSupport.json;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class CustomResourceTableConvertorTest {
  private static final String OBJECT = """
      {"apiVersion":"example.com/v1","kind":"Widget",
       "metadata":{"name":"w1","creationTimestamp":"2024-06-01T11:55:00Z",
         "labels":{"app.kubernetes.io/name":"shop"}},
       "spec":{"replicas":3,"size":"large","ratio":0.75,"enabled":true,"tags":["a","b"],
         "nested":{"b":1,"a":"<x>"},"containers":[{"name":"c1","image":"i1"},{"name":"c2","image":"i2"}]},
       "status":{"conditions":[{"type":"Progressing","status":"True"},{"type":"Ready","status":"False"}],
         "lastSync":"2024-06-01T11:00:00Z"}}""";

  @Test
  void noColumnsMeansNameAndAge() {
    TableConvertor c = TableConvertors.forCustomResource(null);
    assertThat(c.columns()).extracting(TableColumn::name).containsExactly("Name", "Age");
    assertThat(c.columns().get(1).type()).isEqualTo("date");
    assertThat(c.cells(json(OBJECT), NOW)).containsExactly("w1", "5m");
    assertThat(TableConvertors.forCustomResource(json("[]")).cells(json("{\"metadata\":{\"name\":\"x\"}}"), NOW))
        .containsExactly("x", null);
  }

  @Test
  void printerColumns() {
    TableConvertor c = TableConvertors.forCustomResource(json("""
        [{"name":"Replicas","type":"integer","jsonPath":".spec.replicas"},
         {"name":"Size","type":"string","jsonPath":".spec.size","description":"How big"},
         {"name":"Ready","type":"string","jsonPath":".status.conditions[?(@.type==\\"Ready\\")].status"},
         {"name":"Ratio","type":"number","jsonPath":".spec.ratio","priority":1},
         {"name":"Enabled","type":"boolean","jsonPath":".spec.enabled"},
         {"name":"Synced","type":"date","jsonPath":".status.lastSync"},
         {"name":"App","type":"string","jsonPath":".metadata.labels.app\\\\.kubernetes\\\\.io/name"},
         {"name":"First","type":"string","jsonPath":".spec.containers[*].image"},
         {"name":"Last","type":"string","jsonPath":".spec.containers[-1].name"},
         {"name":"Tags","type":"string","jsonPath":".spec.tags"},
         {"name":"Nested","type":"string","jsonPath":".spec.nested"},
         {"name":"Count","type":"string","jsonPath":".spec.replicas"},
         {"name":"Missing","type":"string","jsonPath":".spec.nope"},
         {"name":"WrongType","type":"integer","jsonPath":".spec.size"}]"""));
    assertThat(c.columns()).extracting(TableColumn::name).startsWith("Name", "Replicas", "Size");
    assertThat(c.columns().get(1).description())
        .isEqualTo("Custom resource definition column (in JSONPath format): .spec.replicas");
    assertThat(c.columns().get(2).description()).isEqualTo("How big");
    assertThat(c.columns().get(4).priority()).isEqualTo(1);
    List<Object> cells = c.cells(json(OBJECT), NOW);
    assertThat(cells).containsExactly("w1", 3L, "large", "False", 0.75, true, "60m", "shop", "i1", "c2",
        "[\"a\",\"b\"]", "{\"a\":\"\\u003cx\\u003e\",\"b\":1}", "3", null, null);
  }

  @Test
  void jsonPathSubset() {
    var doc = json("""
        {"a":{"b":[{"n":1,"k":"x"},{"n":2,"k":"y"},{"n":3,"k":"z"}]},"m":{"z":1,"y":2}}""");
    assertThat(JsonPath.parse("{.a.b[1].k}").find(doc)).extracting(n -> n.asString()).containsExactly("y");
    assertThat(JsonPath.parse(".a.b[0:2].n").find(doc)).extracting(n -> n.asString()).containsExactly("1", "2");
    assertThat(JsonPath.parse(".a.b[?(@.n > 1)].k").find(doc)).extracting(n -> n.asString())
        .containsExactly("y", "z");
    assertThat(JsonPath.parse(".a.b[?(@.k != 'x')].n").find(doc)).extracting(n -> n.asString())
        .containsExactly("2", "3");
    assertThat(JsonPath.parse("..k").find(doc)).extracting(n -> n.asString()).containsExactly("x", "y", "z");
    assertThat(JsonPath.parse(".m.*").find(doc)).extracting(n -> n.asString()).containsExactly("2", "1");
    assertThat(JsonPath.parse(".a['b'][2].k").find(doc)).extracting(n -> n.asString()).containsExactly("z");
    assertThat(JsonPath.parse(".a.b[5].k").find(doc)).isEmpty();
  }

  @Test
  void goFloatFormatting() {
    assertThat(CustomResourceTableConvertor.goFloat(0.75)).isEqualTo("0.75");
    assertThat(CustomResourceTableConvertor.goFloat(123456.5)).isEqualTo("123456.5");
    assertThat(CustomResourceTableConvertor.goFloat(1234567.5)).isEqualTo("1.2345675e+06");
    assertThat(CustomResourceTableConvertor.goFloat(0.0001)).isEqualTo("0.0001");
    assertThat(CustomResourceTableConvertor.goFloat(0.00001)).isEqualTo("1e-05");
    assertThat(CustomResourceTableConvertor.text(json("{\"f\":2.5}").get("f"))).isEqualTo("2.5");
  }
}
