package io.kava.api.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ObjectNode;

class NestedFieldCutTest {
  private static final NestedFieldCut MANAGED_FIELDS = new NestedFieldCut("metadata", "managedFields");

  private static String cut(String json) {
    byte[] out = MANAGED_FIELDS.apply(json.getBytes(StandardCharsets.UTF_8));
    return out == null ? null : new String(out, StandardCharsets.UTF_8);
  }

  /** What parsing, removing and comparing as trees gives: the reference for every shape below. */
  private static void assertCutAsTrees(String json) {
    ObjectNode expected = (ObjectNode) Json.MAPPER.readTree(json);
    ((ObjectNode) expected.get("metadata")).remove("managedFields");
    String out = cut(json);
    assertThat(out).as(json).isNotNull();
    JsonNode actual = Json.MAPPER.readTree(out);
    assertThat(actual).as(json).isEqualTo(expected);
  }

  @Test
  void cutsTheFieldWhereverItStandsInTheObject() {
    String mf = "[{\"manager\":\"m\",\"fieldsV1\":{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:a\\\"}\":{}}}}}]";
    assertCutAsTrees("{\"kind\":\"Pod\",\"metadata\":{\"name\":\"p\",\"managedFields\":" + mf + ",\"uid\":\"u\"},\"spec\":{}}");
    assertCutAsTrees("{\"metadata\":{\"managedFields\":" + mf + ",\"name\":\"p\"}}");
    assertCutAsTrees("{\"metadata\":{\"name\":\"p\",\"annotations\":{\"x\":\"}]\"},\"managedFields\":" + mf + "},\"status\":{}}");
    assertCutAsTrees("{\"metadata\":{\"managedFields\":" + mf + "}}");
    assertCutAsTrees(" { \"metadata\" : { \"name\" : \"p\" , \"managedFields\" : [ ] } , \"x\" : 1 } ");
    assertThat(cut("{\"metadata\":{\"name\":\"p\",\"managedFields\":[]}}")).isEqualTo("{\"metadata\":{\"name\":\"p\"}}");
    assertThat(cut("{\"metadata\":{\"managedFields\":[],\"name\":\"p\"}}")).isEqualTo("{\"metadata\":{\"name\":\"p\"}}");
  }

  @Test
  void leavesTheBytesAloneWhenThereIsNothingToCut() {
    byte[] none = "{\"metadata\":{\"name\":\"p\",\"annotations\":{\"managedFields\":\"x\"}},\"spec\":{\"managedFields\":1}}"
        .getBytes(StandardCharsets.UTF_8);
    assertThat(MANAGED_FIELDS.apply(none)).isSameAs(none);
    byte[] noMetadata = "{\"kind\":\"Status\"}".getBytes(StandardCharsets.UTF_8);
    assertThat(MANAGED_FIELDS.apply(noMetadata)).isSameAs(noMetadata);
    byte[] empty = "{\"metadata\":{}}".getBytes(StandardCharsets.UTF_8);
    assertThat(MANAGED_FIELDS.apply(empty)).isSameAs(empty);
  }

  @Test
  void givesUpOnWhatTheScanDoesNotUnderstand() {
    assertThat(cut("{\"metadata\":{\"name\":\"p\",5:1}}")).isNull();
    assertThat(cut("{\"metadata\":{\"name\":\"p\",\"managedFields\":[1,2}")).isEqualTo("{\"metadata\":{\"name\":\"p\",\"managedFields\":[1,2}");
    assertThat(cut("{\"metadata\":{\"name\" \"p\"}}")).isNull();
  }
}
