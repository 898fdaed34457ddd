package io.kava.controllers.rootcacert;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import java.util.Map;
import org.junit.jupiter.api.Test;

class RootCaCertPublisherTest {
  private static final String CA = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

  @Test
  void aNamespaceWithoutTheConfigMapGetsOne() {
    ConfigMap cm = RootCaCertPublisher.desired("ns1", null, CA);
    assertThat(cm.getMetadata().getName()).isEqualTo("kube-root-ca.crt");
    assertThat(cm.getMetadata().getNamespace()).isEqualTo("ns1");
    assertThat(cm.getData()).isEqualTo(Map.of("ca.crt", CA));
    assertThat(cm.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description", RootCaCertPublisher.DESCRIPTION);
    assertThat(cm.getMetadata().getResourceVersion()).isNull();
  }

  @Test
  void aCurrentConfigMapIsLeftAlone() {
    ConfigMap have = new ConfigMapBuilder(RootCaCertPublisher.desired("ns1", null, CA)).editMetadata().withResourceVersion("7")
        .addToLabels("team", "x").endMetadata().build();
    assertThat(RootCaCertPublisher.desired("ns1", have, CA)).isNull();
  }

  @Test
  void anEditedConfigMapIsRestoredConditionallyKeepingOtherMetadata() {
    ConfigMap edited = new ConfigMapBuilder().withNewMetadata().withName("kube-root-ca.crt").withNamespace("ns1").withResourceVersion("9")
        .addToLabels("team", "x").endMetadata().withData(Map.of("ca.crt", "forged", "extra", "y")).withBinaryData(Map.of("b", "AA==")).build();
    ConfigMap fixed = RootCaCertPublisher.desired("ns1", edited, CA);
    assertThat(fixed.getData()).isEqualTo(Map.of("ca.crt", CA));
    assertThat(fixed.getBinaryData()).isNullOrEmpty();
    assertThat(fixed.getMetadata().getResourceVersion()).isEqualTo("9");
    assertThat(fixed.getMetadata().getLabels()).containsEntry("team", "x");
    assertThat(fixed.getMetadata().getAnnotations()).containsEntry("kubernetes.io/description", RootCaCertPublisher.DESCRIPTION);
    // a new CA (a rotated --root-ca-file) is published too
    assertThat(RootCaCertPublisher.desired("ns1", RootCaCertPublisher.desired("ns1", null, "old"), CA).getData()).containsEntry("ca.crt", CA);
  }
}
