package io.kava.controllers.deployment;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodTemplateHashTest {
  static PodTemplateSpec template(String image) {
    return new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("app", "web")).endMetadata()
        .withNewSpec().addNewContainer().withName("nginx").withImage(image).endContainer().endSpec().build();
  }

  @Test
  void fnv1aMatchesTheReferenceVectors() {
    assertThat(PodTemplateHash.fnv1a(0x811c9dc5, new byte[0])).isEqualTo(0x811c9dc5);
    assertThat(PodTemplateHash.fnv1a(0x811c9dc5, "a".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xe40c292c);
    assertThat(PodTemplateHash.fnv1a(0x811c9dc5, "foobar".getBytes(StandardCharsets.UTF_8))).isEqualTo(0xbf9cf968);
  }

  @Test
  void digitsMapThroughTheSafeAlphabet() {
    assertThat(PodTemplateHash.safeEncode("0123456789")).isEqualTo("456789bcdf");
  }

  @Test
  void theHashIsStableAndLooksLikeUpstreams() {
    String h = PodTemplateHash.compute(template("nginx"), null);
    assertThat(h).isEqualTo(PodTemplateHash.compute(template("nginx"), null));
    assertThat(h).matches("[456789bcdf]{1,10}");
    assertThat(PodTemplateHash.compute(template("nginx:1.25"), null)).isNotEqualTo(h);
  }

  @Test
  void theCollisionCountChangesTheHash() {
    PodTemplateSpec t = template("nginx");
    String none = PodTemplateHash.compute(t, null);
    String zero = PodTemplateHash.compute(t, 0);
    String one = PodTemplateHash.compute(t, 1);
    assertThat(List.of(none, zero, one)).doesNotHaveDuplicates();
  }

  @Test
  void keyOrderAndEmptyFieldsDoNotMatter() {
    PodTemplateSpec a = new PodTemplateSpecBuilder().withNewMetadata().withLabels(Map.of("b", "2", "a", "1")).endMetadata()
        .withNewSpec().addNewContainer().withName("c").withImage("i").withArgs(List.of()).endContainer().endSpec().build();
    PodTemplateSpec b = new PodTemplateSpecBuilder().withNewMetadata().withLabels(new java.util.TreeMap<>(Map.of("a", "1", "b", "2"))).endMetadata()
        .withNewSpec().addNewContainer().withImage("i").withName("c").endContainer().endSpec().build();
    assertThat(PodTemplateHash.compute(a, null)).isEqualTo(PodTemplateHash.compute(b, null));
  }

  @Test
  void equalityIgnoresOnlyTheHashLabel() {
    PodTemplateSpec withHash = new PodTemplateSpecBuilder(template("nginx")).editMetadata()
        .withLabels(Map.of("app", "web", PodTemplateHash.LABEL, "5d4f8c7b9")).endMetadata().build();
    assertThat(PodTemplateHash.equalIgnoreHash(withHash, template("nginx"))).isTrue();
    assertThat(PodTemplateHash.equalIgnoreHash(withHash, template("nginx:2"))).isFalse();
    PodTemplateSpec otherLabel = new PodTemplateSpecBuilder(template("nginx")).editMetadata().withLabels(Map.of("app", "api")).endMetadata().build();
    assertThat(PodTemplateHash.equalIgnoreHash(otherLabel, template("nginx"))).isFalse();
  }
}
