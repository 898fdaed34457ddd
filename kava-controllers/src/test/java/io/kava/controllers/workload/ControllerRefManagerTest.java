package io.kava.controllers.workload;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.OwnerReferenceBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.ReplicaSetBuilder;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.kava.api.json.Json;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import tools.jackson.databind.JsonNode;

class ControllerRefManagerTest {
  final ReplicaSet rs = new ReplicaSetBuilder().withNewMetadata().withName("web").withNamespace("ns").withUid("rs-uid").endMetadata().build();
  final List<String> patches = new ArrayList<>();
  int checks;

  static Pod pod(String name, String app, String controllerUid) {
    PodBuilder b = new PodBuilder().withNewMetadata().withName(name).withNamespace("ns").withUid(name + "-uid").withLabels(Map.of("app", app)).endMetadata();
    if (controllerUid != null) {
      b.editMetadata().withOwnerReferences(new OwnerReferenceBuilder().withKind("ReplicaSet").withName("x").withUid(controllerUid).withController(true).build()).endMetadata();
    }
    return b.build();
  }

  ControllerRefManager.Claimed<Pod> claim(ReplicaSet owner, List<Pod> pods) {
    ControllerRefManager m = new ControllerRefManager(owner, "apps/v1", "ReplicaSet", () -> checks++);
    return m.claim(pods, p -> "web".equals(p.getMetadata().getLabels().get("app")), (ns, n, patch) -> patches.add(n + " " + patch));
  }

  @Test
  void claimsOwnMatchingPodsAdoptsOrphansAndReleasesStrays() throws Exception {
    List<Pod> claimed = claim(rs, List.of(
        pod("mine", "web", "rs-uid"),
        pod("orphan", "web", null),
        pod("stray", "other", "rs-uid"),
        pod("theirs", "web", "someone-else"),
        pod("unrelated", "other", null))).orThrow();
    assertThat(claimed).extracting(p -> p.getMetadata().getName()).containsExactly("mine", "orphan");
    assertThat(checks).as("one live check before adopting").isEqualTo(1);
    assertThat(patches).hasSize(2);
    JsonNode adopt = Json.MAPPER.readTree(patches.get(0).substring("orphan ".length()));
    assertThat(adopt.at("/metadata/uid").asString()).isEqualTo("orphan-uid");
    assertThat(adopt.at("/metadata/ownerReferences/0/uid").asString()).isEqualTo("rs-uid");
    assertThat(adopt.at("/metadata/ownerReferences/0/controller").asBoolean()).isTrue();
    assertThat(adopt.at("/metadata/ownerReferences/0/blockOwnerDeletion").asBoolean()).isTrue();
    assertThat(adopt.at("/metadata/ownerReferences/0/kind").asString()).isEqualTo("ReplicaSet");
    JsonNode release = Json.MAPPER.readTree(patches.get(1).substring("stray ".length()));
    assertThat(release.at("/metadata/ownerReferences/0/$patch").asString()).isEqualTo("delete");
    assertThat(release.at("/metadata/ownerReferences/0/uid").asString()).isEqualTo("rs-uid");
  }

  @Test
  void aControllerBeingDeletedNeitherAdoptsNorReleases() throws Exception {
    ReplicaSet deleting = new ReplicaSetBuilder(rs).editMetadata().withDeletionTimestamp("2025-01-01T00:00:00Z").endMetadata().build();
    List<Pod> claimed = claim(deleting, List.of(pod("mine", "web", "rs-uid"), pod("orphan", "web", null), pod("stray", "other", "rs-uid"))).orThrow();
    assertThat(claimed).extracting(p -> p.getMetadata().getName()).containsExactly("mine");
    assertThat(patches).isEmpty();
  }

  @Test
  void aFailedLiveCheckStopsAdoptionAndIsReported() {
    ControllerRefManager m = new ControllerRefManager(rs, "apps/v1", "ReplicaSet", () -> {
      throw new IllegalStateException("has just been deleted");
    });
    var out = m.claim(List.of(pod("a", "web", null), pod("b", "web", null)), p -> true, (ns, n, patch) -> patches.add(n));
    assertThat(out.claimed()).isEmpty();
    assertThat(out.errors()).hasSize(2);
    assertThat(patches).isEmpty();
  }

  @Test
  void aPodGoneMeanwhileIsNeitherClaimedNorAnError() {
    ControllerRefManager m = new ControllerRefManager(rs, "apps/v1", "ReplicaSet", () -> {});
    var out = m.claim(List.of(pod("gone", "web", null)), p -> true, (ns, n, patch) -> {
      throw new KubernetesClientException("not found", 404, null);
    });
    assertThat(out.claimed()).isEmpty();
    assertThat(out.errors()).isEmpty();
  }
}
