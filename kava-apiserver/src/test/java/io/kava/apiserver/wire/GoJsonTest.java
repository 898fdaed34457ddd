package io.kava.apiserver.wire;

import static org.assertj.core.api.Assertions.assertThat;

import io.kava.api.json.Json;
import org.junit.jupiter.api.Test;

class GoJsonTest {
  @Test
  void keysSortedAndHtmlEscapedAsGoWritesThem() {
    assertThat(GoJson.encode(Json.MAPPER.readTree("{\"b\":[1,true,null],\"a\":\"<x&y>\",\"c\":{\"z\":1,\"y\":\"\\n\"}}")))
        .isEqualTo("{\"a\":\"\\u003cx\\u0026y\\u003e\",\"b\":[1,true,null],\"c\":{\"y\":\"\\n\",\"z\":1}}");
  }

  @Test
  void floatsInEncodingJsonsShortestForm() {
    assertThat(GoJson.encode(Json.MAPPER.readTree("[1.5,1e21,1e-7,0.000001,100.0]"))).isEqualTo("[1.5,1e+21,1e-7,0.000001,100]");
  }

  @Test
  void aLiteralKeepsHtmlCharactersAndEscapesControlOnes() {
    assertThat(GoJson.literal("a<b>&\"c\"\n\u0001")).isEqualTo("\"a<b>&\\\"c\\\"\\n\\u0001\"");
  }
}
