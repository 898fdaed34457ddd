package io.kava.testing.e2e.apply;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.vertx5.Vertx5HttpClientFactory;
import io.kava.testing.KavaCluster;
import java.nio.file.Files;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/** The fabric8 client's server-side apply against kava. */
@Tag("e2e")
class Fabric8ServerSideApplyE2ETest {
  static KavaCluster cluster;
  static KubernetesClient client;

  @BeforeAll
  static void start() throws Exception {
    cluster = KavaCluster.start();
    Config config = Config.fromKubeconfig(Files.readString(cluster.kubeconfig()));
    config.setClientKeyAlgo("EC"); // kava's admin key is ECDSA (PKCS#8), which fabric8 would read as RSA
    config.setOnlyHttpWatches(true);
    client = new KubernetesClientBuilder().withConfig(config)
        .withHttpClientFactory(new Vertx5HttpClientFactory()).build();
  }

  @AfterAll
  static void stop() {
    if (client != null) client.close();
    if (cluster != null) cluster.close();
  }

  static ConfigMap cm(String mode) {
    return new ConfigMapBuilder().withNewMetadata().withName("settings").withNamespace("f8").endMetadata().addToData("mode", mode).build();
  }

  @Test
  void serverSideApplyCreatesUpdatesAndConflicts() {
    client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("f8").endMetadata().build()).create();
    ConfigMap created = client.configMaps().inNamespace("f8").resource(cm("fast")).fieldManager("tool").serverSideApply();
    assertThat(created.getData()).containsEntry("mode", "fast");
    ManagedFieldsEntry entry = created.getMetadata().getManagedFields().get(0);
    assertThat(entry.getManager()).isEqualTo("tool");
    assertThat(entry.getOperation()).isEqualTo("Apply");
    assertThat(entry.getFieldsV1().getAdditionalProperties()).containsKey("f:data");

    assertThatThrownBy(() -> client.configMaps().inNamespace("f8").resource(cm("slow")).fieldManager("other").serverSideApply())
        .isInstanceOfSatisfying(KubernetesClientException.class, e -> {
          assertThat(e.getCode()).isEqualTo(409);
          assertThat(e.getStatus().getMessage()).isEqualTo("Apply failed with 1 conflict: conflict with \"tool\": .data.mode");
          assertThat(e.getStatus().getDetails().getCauses().get(0).getReason()).isEqualTo("FieldManagerConflict");
        });
    ConfigMap forced = client.configMaps().inNamespace("f8").resource(cm("slow")).fieldManager("other").forceConflicts().serverSideApply();
    assertThat(forced.getData()).containsEntry("mode", "slow");
    assertThat(forced.getMetadata().getManagedFields()).extracting(ManagedFieldsEntry::getManager).containsExactly("other");
  }
}
