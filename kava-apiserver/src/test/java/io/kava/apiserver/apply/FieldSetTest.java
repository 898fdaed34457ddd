package io.kava.apiserver.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.kava.api.json.Json;
import io.kava.apiserver.errors.StatusException;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class FieldSetTest {
  static FieldSet parse(String json) { return FieldSet.fromFieldsV1(Json.MAPPER.readTree(json.replace('\'', '"'))); }

  @Test
  void fieldsV1RoundTripsWithDotForMembersWithChildren() {
    String json = "{\"f:metadata\":{\"f:labels\":{\".\":{},\"f:app\":{}}},\"f:spec\":{\"f:containers\":{\"k:{\\\"name\\\":\\\"c\\\"}\":{\".\":{},\"f:image\":{}}}}}";
    FieldSet s = FieldSet.fromFieldsV1(Json.MAPPER.readTree(json));
    assertThat(s.contains("f:metadata", "f:labels")).isTrue();
    assertThat(s.contains("f:metadata")).isFalse();
    assertThat(s.contains("f:spec", "f:containers", "k:{\"name\":\"c\"}")).isTrue();
    assertThat(Json.MAPPER.writeValueAsString(s.toFieldsV1())).isEqualTo(json);
    assertThat(s.size()).isEqualTo(4);
  }

  @Test
  void keysAreNormalizedSoClientSpellingsCompareEqual() {
    FieldSet a = parse("{'f:spec':{'f:ports':{'k:{\\'protocol\\': \\'TCP\\', \\'port\\': 80}':{}}}}");
    FieldSet b = new FieldSet().add("f:spec", "f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}");
    assertThat(a).isEqualTo(b);
  }

  @Test
  void malformedFieldsV1IsRejected() {
    assertThatThrownBy(() -> parse("{'f:a':1}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("{'x:a':{}}")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> parse("[]")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void setAlgebra() {
    FieldSet a = new FieldSet().add("f:a", "f:b").add("f:a", "f:c").add("f:d");
    FieldSet b = new FieldSet().add("f:a", "f:c").add("f:e");
    assertThat(a.intersection(b)).isEqualTo(new FieldSet().add("f:a", "f:c"));
    FieldSet u = a.copy();
    u.addAll(b);
    assertThat(u.size()).isEqualTo(4);
    a.removeAll(b);
    assertThat(a).isEqualTo(new FieldSet().add("f:a", "f:b").add("f:d"));
    a.removeAll(new FieldSet().add("f:a", "f:b").add("f:d"));
    assertThat(a.isEmpty()).isTrue();
  }

  @Test
  void pathsIterateMembersFirstAndPrintAsUpstream() {
    FieldSet s = new FieldSet().add("f:spec", "f:template", "f:spec", "f:containers", "k:{\"name\":\"c\"}", "f:image")
        .add("f:spec", "f:replicas").add("f:metadata", "f:finalizers", "v:\"x\"");
    List<String> printed = new ArrayList<>();
    s.forEachPath(p -> printed.add(PathElements.describe(p)));
    assertThat(printed).containsExactly(".metadata.finalizers[=\"x\"]", ".spec.replicas", ".spec.template.spec.containers[name=\"c\"].image");
    assertThat(PathElements.describe(List.of("f:ports", "k:{\"port\":80,\"protocol\":\"TCP\"}"))).isEqualTo(".ports[port=80,protocol=\"TCP\"]");
  }

  @Test
  void managerDefaultsToTheUserAgentProgram() {
    assertThat(FieldManager.managerOf("PATCH", null, "kubectl/v1.30.0 (linux/amd64) kubernetes/abc")).isEqualTo("kubectl");
    assertThat(FieldManager.managerOf("PATCH", "kubectl-edit", "kubectl/v1.30.0")).isEqualTo("kubectl-edit");
    assertThat(FieldManager.managerOf("POST", null, null)).isEmpty();
    assertThat(FieldManager.fromUserAgent("my\tagent")).isEqualTo("myagent");
    assertThat(FieldManager.fromUserAgent("x".repeat(200))).hasSize(128);
    assertThatThrownBy(() -> FieldManager.managerOf("POST", "x".repeat(129), null))
        .isInstanceOfSatisfying(StatusException.class, e -> {
          assertThat(e.code()).isEqualTo(422);
          assertThat(e.getMessage()).isEqualTo("CreateOptions.meta.k8s.io \"\" is invalid: fieldManager: Too long: may not be more than 128 bytes");
        });
  }
}
