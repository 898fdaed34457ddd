package io.kava.client;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.utils.Serialization;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ModelCompactorTest {
  static final String POD = """
      {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ns","uid":"u","labels":{"app":"web"},
       "ownerReferences":[{"apiVersion":"apps/v1","kind":"ReplicaSet","name":"rs","uid":"o","controller":true}]},
       "spec":{"nodeName":"n1","containers":[{"name":"c","image":"nginx","resources":{"requests":{"cpu":"10m"}},
         "ports":[{"containerPort":80}]}],"tolerations":[{"key":"k","operator":"Exists"}]},
       "status":{"phase":"Running","podIP":"10.0.0.1","conditions":[{"type":"Ready","status":"True"}],
         "containerStatuses":[{"name":"c","ready":true,"restartCount":0,"state":{"running":{"startedAt":"2025-01-01T00:00:00Z"}}}]}}""";

  @Test
  void sharesEmptiesAndLeavesTheObjectEqual() {
    Pod pod = Serialization.unmarshal(POD, Pod.class);
    Pod before = Serialization.unmarshal(POD, Pod.class);
    assertThat(pod.getAdditionalProperties()).isInstanceOf(java.util.LinkedHashMap.class);
    assertThat(pod.getAdditionalProperties()).isEmpty();
    assertThat(pod.getSpec().getVolumes()).isEmpty();
    ModelCompactor.compact(pod);
    assertThat(pod).isEqualTo(before);
    assertThat(Serialization.asJson(pod)).isEqualTo(Serialization.asJson(before));
    // empties, at every depth, are the shared immutable ones
    assertThat(pod.getAdditionalProperties()).isSameAs(Map.of());
    assertThat(pod.getMetadata().getAdditionalProperties()).isSameAs(Map.of());
    assertThat(pod.getSpec().getVolumes()).isSameAs(List.of());
    assertThat(pod.getSpec().getContainers().get(0).getEnv()).isSameAs(List.of());
    assertThat(pod.getSpec().getContainers().get(0).getPorts().get(0).getAdditionalProperties()).isSameAs(Map.of());
    assertThat(pod.getSpec().getContainers().get(0).getResources().getRequests().get("cpu").getAdditionalProperties()).isSameAs(Map.of());
    assertThat(pod.getStatus().getContainerStatuses().get(0).getState().getRunning().getAdditionalProperties()).isSameAs(Map.of());
    // what is not empty is kept as it was
    assertThat(pod.getMetadata().getLabels()).containsEntry("app", "web");
    assertThat(pod.getMetadata().getOwnerReferences()).hasSize(1);
    // a compacted object still copies into an ordinary mutable one (how controllers change things)
    Pod copy = Serialization.clone(pod);
    copy.getSpec().getVolumes().add(new io.fabric8.kubernetes.api.model.Volume());
    assertThat(copy.getSpec().getVolumes()).hasSize(1);
  }

  @Test
  void compactingTwiceOrOtherKindsIsHarmless() {
    Node node = Serialization.unmarshal("{\"apiVersion\":\"v1\",\"kind\":\"Node\",\"metadata\":{\"name\":\"n\"},\"spec\":{},"
        + "\"status\":{\"allocatable\":{\"cpu\":\"4\"}}}", Node.class);
    Node before = Serialization.clone(node);
    ModelCompactor.compact(node);
    ModelCompactor.compact(node);
    assertThat(node).isEqualTo(before);
    ModelCompactor.compact("not a model object");
    ModelCompactor.compact(null);
  }

  @Test
  void theTrimmedStoreCompactsWhatItKeeps() {
    TrimmedItemStore<Pod> store = TrimmedItemStore.withoutManagedFields();
    Pod pod = Serialization.unmarshal(POD, Pod.class);
    store.put("ns/p", pod);
    assertThat(store.get("ns/p").getSpec().getVolumes()).isSameAs(List.of());
  }
}
