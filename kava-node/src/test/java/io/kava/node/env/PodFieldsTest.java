package io.kava.node.env;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PodFieldsTest {
  final Pod pod = new PodBuilder().withNewMetadata().withName("p").withNamespace("ns").withUid("u")
      .withLabels(Map.of("b", "2", "a", "x\ny")).withAnnotations(Map.of("note", "é\t\"q\"")).endMetadata()
      .withNewSpec().withNodeName("node1").endSpec().build();

  @Test
  void metadataPaths() {
    assertThat(PodFields.metadata(pod, "metadata.labels")).isEqualTo("a=\"x\\ny\"\nb=\"2\"");
    assertThat(PodFields.metadata(pod, "metadata.annotations")).isEqualTo("note=\"é\\t\\\"q\\\"\"");
    assertThat(PodFields.metadata(pod, "metadata.labels['b']")).isEqualTo("2");
    assertThat(PodFields.metadata(pod, "metadata.annotations['missing']")).isEmpty();
    assertThat(PodFields.metadata(pod, "metadata.uid")).isEqualTo("u");
    assertThatThrownBy(() -> PodFields.metadata(pod, "spec.nodeName")).hasMessage("unsupported fieldPath: spec.nodeName");
  }

  @Test
  void envPaths() {
    assertThat(PodFields.env(pod, "spec.nodeName", List.of(), List.of())).isEqualTo("node1");
    assertThat(PodFields.env(pod, "spec.serviceAccountName", List.of(), List.of())).isEmpty();
    assertThat(PodFields.env(pod, "status.podIPs", List.of("10.0.0.1"), List.of("10.244.0.5", "fd00::5"))).isEqualTo("10.244.0.5,fd00::5");
    assertThat(PodFields.env(pod, "status.podIP", List.of("10.0.0.1"), List.of("10.244.0.5", "fd00::5"))).isEqualTo("10.244.0.5");
    assertThat(PodFields.env(pod, "status.hostIP", List.of("10.0.0.1"), List.of())).isEqualTo("10.0.0.1");
  }
}
