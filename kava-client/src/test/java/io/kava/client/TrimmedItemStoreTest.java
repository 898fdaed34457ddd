package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import org.junit.jupiter.api.Test;

class TrimmedItemStoreTest {
  static Pod pod(String name) {
    return new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withResourceVersion("7").addToLabels("app", "web")
        .withManagedFields(new ManagedFieldsEntryBuilder().withManager("kubectl").withOperation("Update").build()).endMetadata()
        .withNewSpec().withNodeName("n1").endSpec().build();
  }

  @Test
  void keepsObjectsByNamespaceAndNameWithoutManagedFields() {
    TrimmedItemStore<Pod> store = TrimmedItemStore.withoutManagedFields();
    Pod p = pod("a");
    String key = store.getKey(p);
    assertThat(key).isEqualTo("ns/a");
    assertThat(store.put(key, p)).isNull();
    Pod kept = store.get("ns/a");
    assertThat(kept.getMetadata().getManagedFields()).isNullOrEmpty();
    assertThat(kept.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(kept.getMetadata().getResourceVersion()).isEqualTo("7");
    assertThat(kept.getSpec().getNodeName()).isEqualTo("n1");
    assertThat(store.size()).isEqualTo(1);
    assertThat(store.keySet()).containsExactly("ns/a");
  }

  @Test
  void putReturnsThePreviousObjectAndRemoveForgetsIt() {
    TrimmedItemStore<Pod> store = new TrimmedItemStore<>(o -> o.getMetadata().setLabels(null));
    Pod first = pod("a");
    store.put("ns/a", first);
    assertThat(first.getMetadata().getLabels()).as("trimmed in place").isNullOrEmpty();
    Pod second = pod("a");
    assertThat(store.put("ns/a", second)).isSameAs(first);
    assertThat(store.values()).containsExactly(second);
    assertThat(store.remove("ns/a")).isSameAs(second);
    assertThat(store.get("ns/a")).isNull();
    assertThat(store.size()).isZero();
  }
}
